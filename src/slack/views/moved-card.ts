import type { KnownBlock } from "@slack/types";
import { describeMissingCard, type MissingCard } from "./missing-card.ts";
import { escapeMrkdwn, linkMrkdwn } from "./mrkdwn.ts";

/** What the old card becomes after a hand-over to another department: a pointer to the new one. */
export function buildMovedCard(input: {
  from: string;
  to: string;
  link?: string | undefined;
  missingCard?: MissingCard | undefined;
}): {
  text: string;
  blocks: KnownBlock[];
} {
  const where = input.link
    ? linkMrkdwn(input.link, input.to)
    : `${escapeMrkdwn(input.to)}${input.missingCard ? ` (${describeMissingCard(input.missingCard)})` : ""}`;
  const text = `:arrow_right: Handed over from ${escapeMrkdwn(input.from)} to ${where}. Follow it there.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
