import {
  type ChatPostMessageArguments,
  ErrorCode,
  type WebAPIPlatformError,
  type WebClient,
} from "@slack/web-api";
import type { OutboxRow } from "../db/schema.ts";
import { CHANNEL_LIST_PAGE } from "./check-channels.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";

/**
 * The message metadata event type on every message the outbox posts, with the item's id in
 * its payload: it lets a later try find what an earlier one sent.
 * https://docs.slack.dev/messaging/message-metadata
 */
export const OUTBOX_EVENT_TYPE = "switchboard_outbox_item";

/** Slack's clock and ours may disagree: look this far back before the item was queued. */
const CLOCK_MARGIN_MS = 5 * 60_000;
/** A page of history; the search gives up after MAX_PAGES (at Slack's 1 post/s, 30 minutes). */
const PAGE_SIZE = 200;
const MAX_PAGES = 10;

/** What postOnce reads of an outbox item. */
export type PostedItem = Pick<OutboxRow, "id" | "attempts" | "createdAt">;

/**
 * Posts the one message of an outbox item, so that it reaches Slack once. chat.postMessage
 * has no idempotency key, so every post carries the item's id as message metadata, and any
 * try after the first (the previous one failed without an answer, or its worker died after
 * Slack may have taken the message) first looks for that id in the channel, or the thread,
 * since the item was queued: a message found there is the delivery, and nothing is posted.
 *
 * A lookup Slack rate-limits or does not answer fails the try like a failed post (the item
 * is retried). When the app may not read the conversation (installed from a manifest without
 * the history scopes) the message is posted without looking, as before.
 */
export async function postOnce(
  client: WebClient,
  item: PostedItem,
  args: ChatPostMessageArguments,
): Promise<{ ts: string; channel: string }> {
  const metadata = { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: String(item.id) } };
  if (item.attempts > 1) {
    const found = await findPosted(client, item, args);
    if (found) return found;
  }
  const res = await client.chat.postMessage({ ...args, metadata });
  if (!res.ts || !res.channel) throw new PermanentDeliveryError("chat.postMessage returned no ts");
  return { ts: res.ts, channel: res.channel };
}

/** The message an earlier try posted for this item, or null. */
async function findPosted(
  client: WebClient,
  item: PostedItem,
  args: ChatPostMessageArguments,
): Promise<{ ts: string; channel: string } | null> {
  const id = String(item.id);
  try {
    const channel = await channelId(client, String(args.channel));
    if (!channel) return null;
    const common = {
      channel,
      oldest: ((item.createdAt.getTime() - CLOCK_MARGIN_MS) / 1000).toFixed(6),
      inclusive: true,
      include_all_metadata: true,
      limit: PAGE_SIZE,
    };
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const paging = cursor ? { cursor } : {};
      const res = args.thread_ts
        ? await client.conversations.replies({ ...common, ...paging, ts: args.thread_ts })
        : await client.conversations.history({ ...common, ...paging });
      const hit = res.messages?.find(
        (m) =>
          m.metadata?.event_type === OUTBOX_EVENT_TYPE &&
          (m.metadata.event_payload as { outbox_id?: unknown } | undefined)?.outbox_id === id,
      );
      if (hit?.ts) return { ts: hit.ts, channel };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return null;
    }
    return null;
  } catch (error) {
    // Slack said no for good (missing_scope, channel_not_found…): the post says what is wrong.
    if ((error as WebAPIPlatformError).code === ErrorCode.PlatformError) return null;
    throw error;
  }
}

/** Channel ids by name, per client: conversations.list is Tier 2, so each name is read once. */
const idsByName = new WeakMap<WebClient, Map<string, string>>();

/**
 * A channel's id. Reading history takes an id, while departments may name a channel
 * ("#sb-baggage"), which chat.postMessage resolves by itself; null when no such channel.
 */
async function channelId(client: WebClient, ref: string): Promise<string | null> {
  if (/^[CGD][A-Z0-9]{2,}$/.test(ref)) return ref;
  const name = ref.replace(/^#/, "");
  let known = idsByName.get(client);
  if (!known?.has(name)) {
    known = new Map();
    let cursor: string | undefined;
    do {
      const res = await client.conversations.list({
        types: "public_channel,private_channel",
        exclude_archived: true,
        limit: CHANNEL_LIST_PAGE,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of res.channels ?? []) if (c.id && c.name) known.set(c.name, c.id);
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    idsByName.set(client, known);
  }
  return known.get(name) ?? null;
}
