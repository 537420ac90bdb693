import { ErrorCode, type WebAPIPlatformError, type WebClient } from "@slack/web-api";
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
  if ((error as WebAPIPlatformError).code !== ErrorCode.PlatformError) return undefined;
  const name = (error as WebAPIPlatformError).data.error;
  if (name === "message_not_found") return "deleted";
  if (name === "channel_not_found") return "channel_unavailable";
  return undefined;
}
