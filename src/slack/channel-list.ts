import type { WebClient } from "@slack/web-api";
import { classifySlackError } from "./slack-errors.ts";

/** A channel as conversations.list names it. */
export interface ListedChannel {
  id: string;
  name: string;
  archived: boolean;
}

export interface ListOptions {
  /** Archived channels too (the start-up check names them); otherwise only live ones. */
  withArchived: boolean;
  /**
   * conversations.list is Tier 2 (20 calls a minute), and the bot's client rejects a 429
   * rather than wait. With `wait`, each page waits out Retry-After up to `tries` times; without
   * it, the 429 is thrown for the caller (the outbox retries under its hold).
   */
  rateLimited?: { wait: (ms: number) => Promise<void>; tries: number } | undefined;
}

/**
 * The largest page conversations.list gives: its docs say "Must be an integer under 1000"
 * (older copies said up to 1000), and Slack answers invalid_limit beyond it.
 */
export const CHANNEL_LIST_PAGE = 999;

/** Every channel the bot can see, page by page. */
export async function listChannels(
  client: WebClient,
  options: ListOptions,
): Promise<ListedChannel[]> {
  const channels: ListedChannel[] = [];
  let cursor: string | undefined;
  do {
    const res = await listPage(client, cursor, options);
    for (const c of res.channels ?? []) {
      if (c.id && c.name)
        channels.push({ id: c.id, name: c.name, archived: c.is_archived === true });
    }
    cursor = res.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return channels;
}

async function listPage(client: WebClient, cursor: string | undefined, options: ListOptions) {
  for (let refused = 0; ; refused++) {
    try {
      return await client.conversations.list({
        types: "public_channel,private_channel",
        exclude_archived: !options.withArchived,
        limit: CHANNEL_LIST_PAGE,
        ...(cursor ? { cursor } : {}),
      });
    } catch (error) {
      const retry = options.rateLimited;
      const failure = classifySlackError(error);
      if (failure.type !== "rate_limited" || !retry || refused >= retry.tries) throw error;
      await retry.wait(failure.retryAfterMs);
    }
  }
}
