import type { SectionBlock } from "@slack/types";
import type { SlackMessage } from "./complaint-card.ts";
import { slackWhen } from "./due-line.ts";
import { NOTICE_BLOCK_ID } from "./ids.ts";
import { truncate, userMention } from "./mrkdwn.ts";

/** Slack's section text limit (SLACK.md §7). */
const MAX_TEXT = 3000;

/**
 * An ephemeral notice for the person who clicked: a refusal ("<@U1> already owns this
 * thread (since today 14:02)") or a confirmation. `text` is Switchboard's own mrkdwn, so mentions
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

/**
 * "<@U1> already owns this thread (since today 14:02)", told to a late claimer. The time is
 * Slack's date token, shown in each reader's own zone with its day; the department's zone is
 * its fallback.
 */
export function buildAlreadyOwnedNotice(input: AlreadyOwned): SlackMessage {
  return buildNotice(describeAlreadyOwned(input));
}

/** Who owns a thread a click could not claim, and since when. */
export interface AlreadyOwned {
  owner: string;
  since?: Date | undefined;
  now: Date;
  /** The department's IANA zone, for the fallback text. */
  timezone: string;
}

/** The text of buildAlreadyOwnedNotice, for surfaces that take a line (the Home's note). */
export function describeAlreadyOwned(input: AlreadyOwned): string {
  const since =
    input.since && Number.isFinite(input.since.getTime())
      ? ` (since ${slackWhen(input.since, input.now, input.timezone)})`
      : "";
  return `${userMention(input.owner)} already owns this thread${since}.`;
}

/**
 * What to tell someone whose click could not go through because Slack refused or did not
 * answer a call it needed (a 429 with Retry-After, an outage): nothing changed, try again.
 */
export function describeSlackBusy(retryAfterMs: number | undefined): string {
  const seconds = Math.ceil((retryAfterMs ?? 0) / 1000);
  const when =
    seconds <= 5
      ? "in a few seconds"
      : seconds < 90
        ? `in ${seconds} seconds`
        : `in ${Math.ceil(seconds / 60)} minutes`;
  return `Slack is busy right now, so nothing changed. Try again ${when}.`;
}

/** The private notice form of describeSlackBusy. */
export function buildBusyNotice(retryAfterMs: number | undefined): SlackMessage {
  return buildNotice(`:hourglass_flowing_sand: ${describeSlackBusy(retryAfterMs)}`);
}
