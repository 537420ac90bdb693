import type { SectionBlock } from "@slack/types";
import type { SlackMessage } from "./complaint-card.ts";
import { describeWhen } from "./due-line.ts";
import { NOTICE_BLOCK_ID } from "./ids.ts";
import { truncate, userMention } from "./mrkdwn.ts";

/** Slack's section text limit (SLACK.md §7). */
const MAX_TEXT = 3000;

/**
 * An ephemeral notice for the person who clicked: a refusal ("<@U1> already owns this
 * thread (claimed 14:02)") or a confirmation. `text` is Switchboard's own mrkdwn, so mentions
 * work; escape anything a customer or user wrote (escapeMrkdwn) before putting it in.
 */
export function buildNotice(text: string): SlackMessage {
  const bounded = truncate(text.trim() || "Done.", MAX_TEXT);
  const block: SectionBlock = {
    type: "section",
    block_id: NOTICE_BLOCK_ID,
    text: { type: "mrkdwn", text: bounded, verbatim: true },
  };
  return { text: bounded, blocks: [block] };
}

/** "<@U1> already owns this thread (claimed 14:02)", with the time in the department's zone. */
export function buildAlreadyOwnedNotice(input: {
  owner: string;
  claimedAt?: Date | undefined;
  now: Date;
  timezone: string;
}): SlackMessage {
  const claimed =
    input.claimedAt && Number.isFinite(input.claimedAt.getTime())
      ? ` (claimed ${describeWhen(input.claimedAt, input.now, input.timezone)})`
      : "";
  return buildNotice(`${userMention(input.owner)} already owns this thread${claimed}`);
}
