import type { ChatUpdateArguments, WebClient } from "@slack/web-api";
import type { Transaction } from "../db/client.ts";
import { PermanentDeliveryError, slackErrorName } from "./slack-errors.ts";
import type { MissingCard } from "./views/missing-card.ts";

/** A link to a card, or why Slack has none: the message goes without it and says why. */
export interface CardLink {
  permalink?: string | undefined;
  missing?: MissingCard | undefined;
}

/**
 * The permalink to a message Switchboard posted (a thread's card, a campaign card or heads-up).
 * Someone may delete it in Slack (message_not_found), or the bot may lose sight of its channel
 * (channel_not_found): then there is no link, and whatever refers to it is still sent. Any
 * other failure (Slack down, rate limited) is thrown, so the delivery is tried again.
 */
export async function cardPermalink(
  client: WebClient,
  where: { channel: string; ts: string },
): Promise<CardLink> {
  try {
    const res = await client.chat.getPermalink({ channel: where.channel, message_ts: where.ts });
    return { permalink: res.permalink };
  } catch (error) {
    const missing = missingCardOf(error);
    if (!missing) throw error;
    return { missing };
  }
}

/** The card is gone for good; undefined for anything else (Slack down, rate limited). */
export function missingCardOf(error: unknown): MissingCard | undefined {
  const name = slackErrorName(error);
  if (name === "message_not_found") return "deleted";
  if (name === "channel_not_found") return "channel_unavailable";
  return undefined;
}

/** Slack refused a reply because its parent is gone (deleted in Slack). */
export function isThreadGone(error: unknown): boolean {
  return slackErrorName(error) === "thread_not_found";
}

/**
 * What a failed update records when its message was deleted in Slack: the admins' failed
 * deliveries say why in words ("card_deleted_in_slack …"), Slack's own error, and what Retry
 * does (for most messages nothing: Slack cannot bring them back).
 */
export function deletedInSlackError(
  what: string,
  slackError = "message_not_found",
  retry = "Retry cannot bring it back",
): string {
  return `${what}_deleted_in_slack (${slackError}): nothing to update, ${retry}`;
}

/**
 * Slack's error when a chat.update finds the bot's message deleted, or undefined. A message
 * without replies is gone (message_not_found). One with thread replies stays as a
 * placeholder, "This message was deleted.", posted by Slackbot (subtype tombstone:
 * slack-edge/slack-edge#10, hackclub/toriel#238), which is no longer the bot's to edit:
 * cant_update_message, "Authenticated user does not have permission to update this message"
 * (docs: chat.update method; SLACK.md §5 "only the caller's own messages"). Switchboard only
 * ever updates its own posts, so for it that error means the same: deleted in Slack.
 */
export function deletedOnUpdate(error: unknown): string | undefined {
  if (missingCardOf(error) === "deleted") return "message_not_found";
  if (slackErrorName(error) === "cant_update_message") return "cant_update_message";
  return undefined;
}

/**
 * chat.update of a message Switchboard posted. One deleted in Slack fails the delivery for
 * good, saying so (the channel's later messages go on); other failures are thrown as they are.
 */
export async function updatePosted(
  client: WebClient,
  args: ChatUpdateArguments,
  /** What the message is, for the error: "card", "campaign_card", "heads_up", "warning", "rollup_page". */
  what = "card",
  /** Whose failure it is: the error's wording for Retry and what to record about the message. */
  deleted?: { retry: string; record: (tx: Transaction) => Promise<void> },
): Promise<void> {
  try {
    await client.chat.update(args);
  } catch (error) {
    const slackError = deletedOnUpdate(error);
    if (slackError === undefined) throw error;
    throw new PermanentDeliveryError(
      deletedInSlackError(what, slackError, deleted?.retry),
      deleted?.record,
    );
  }
}
