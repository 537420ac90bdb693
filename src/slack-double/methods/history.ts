import { ApiError, argBool, argNonEmpty, argNum, isObj, type Obj, requireArg } from "../args.ts";
import { UNCONFIRMED } from "../limits.ts";
import { findMessage, messageObject } from "../message-store.ts";
import type { ChannelRecord, DoubleState } from "../state.ts";
import type { StoredMessage } from "../types.ts";
import { botIsMember, conversationObject, visibleChannelOrThrow } from "../workspace.ts";
import type { Method } from "./method.ts";

/**
 * conversations.history / replies / list paging: default 100, at most 999. For
 * conversations.list, older docs said "no larger than 1000"; the current method docs (the
 * docs-derived slack_kit scrape) say "Must be an integer under 1000", as @slack/web-api's own
 * CursorPaginationEnabled.limit does ("max value of 999"): the double takes the stricter.
 */
const HISTORY_PAGING = { defaultLimit: 100, maxLimit: 999, listMaxLimit: 999 } as const;

/**
 * A conversation whose messages the bot may read: one it can see (channel_not_found
 * otherwise) and is a member of (not_in_channel for a public channel it has not joined).
 * Slack wants an ID here; names are not resolved.
 */
function readableChannel(state: DoubleState, ref: string): ChannelRecord {
  const channel = visibleChannelOrThrow(state, ref);
  if (!botIsMember(state, channel)) throw new ApiError("not_in_channel");
  return channel;
}

/** Slack's opaque cursor: base64 of "offset:<n>" into the filtered list. */
function pageOf<T>(items: T[], args: Obj, maxLimit: number) {
  const limit = argNum(args, "limit") ?? HISTORY_PAGING.defaultLimit;
  if (!Number.isInteger(limit) || limit < 0 || limit > maxLimit)
    throw new ApiError("invalid_limit");
  const size = limit === 0 ? HISTORY_PAGING.defaultLimit : limit;
  const cursor = argNonEmpty(args, "cursor");
  let start = 0;
  if (cursor !== undefined) {
    const decoded = Buffer.from(cursor, "base64").toString("utf8");
    start = decoded.startsWith("offset:") ? Number(decoded.slice(7)) : Number.NaN;
    if (!Number.isInteger(start) || start < 0) throw new ApiError("invalid_cursor");
  }
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  const next = more ? Buffer.from(`offset:${start + size}`).toString("base64") : "";
  return { page, more, next };
}

/** Messages between `oldest` and `latest` (exclusive unless `inclusive`), as Slack filters them. */
function inWindow(args: Obj): (m: StoredMessage) => boolean {
  const oldest = Number(argNonEmpty(args, "oldest") ?? "0");
  const latest = Number(argNonEmpty(args, "latest") ?? "Infinity");
  const inclusive = argBool(args, "inclusive");
  return (m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  };
}

/** A message as history returns it: metadata only when asked for with include_all_metadata. */
function listed(state: DoubleState, m: StoredMessage, withMetadata: boolean): Obj {
  const { metadata, ...object } = messageObject(state, m);
  return {
    ...object,
    ...(m.replyCount > 0 ? { reply_count: m.replyCount, thread_ts: m.ts } : {}),
    ...(withMetadata && isObj(metadata) ? { metadata } : {}),
  };
}

/** Top-level messages (and replies also sent to the channel), newest first. */
const history: Method = (args, { state }) => {
  const channel = readableChannel(state, requireArg(args, "channel", "channel_not_found"));
  const top = state.messages
    .filter((m) => m.channel === channel.id && (m.threadTs === undefined || m.replyBroadcast))
    .filter(inWindow(args))
    .reverse();
  const { page, more, next } = pageOf(top, args, HISTORY_PAGING.maxLimit);
  const withMetadata = argBool(args, "include_all_metadata");
  return {
    messages: page.map((m) => listed(state, m, withMetadata)),
    has_more: more,
    response_metadata: { next_cursor: next },
  };
};

/** A thread: its parent and replies, oldest first. */
const replies: Method = (args, { state }) => {
  const channel = readableChannel(state, requireArg(args, "channel", "channel_not_found"));
  const ts = requireArg(args, "ts", UNCONFIRMED.threadNotFoundError);
  const parent = findMessage(state, channel.id, ts);
  if (!parent) throw new ApiError(UNCONFIRMED.threadNotFoundError);
  const thread = state.messages
    .filter((m) => m.channel === channel.id && (m === parent || m.threadTs === parent.ts))
    .filter(inWindow(args));
  const { page, more, next } = pageOf(thread, args, HISTORY_PAGING.maxLimit);
  const withMetadata = argBool(args, "include_all_metadata");
  return {
    messages: page.map((m) => listed(state, m, withMetadata)),
    has_more: more,
    response_metadata: { next_cursor: next },
  };
};

/** Channels the bot can see: every public one, and private ones it is in (by `types`). */
const list: Method = (args, { state }) => {
  const types = (argNonEmpty(args, "types") ?? "public_channel").split(",").map((t) => t.trim());
  const excludeArchived = argBool(args, "exclude_archived");
  const wanted = (c: ChannelRecord) => {
    if (excludeArchived && c.isArchived) return false;
    if (c.isIm) return types.includes("im") && botIsMember(state, c);
    if (c.isMpim) return types.includes("mpim") && botIsMember(state, c);
    if (c.isPrivate) return types.includes("private_channel") && botIsMember(state, c);
    return types.includes("public_channel");
  };
  const channels = [...state.channels.values()].filter(wanted);
  const { page, next } = pageOf(channels, args, HISTORY_PAGING.listMaxLimit);
  return {
    channels: page.map((c) => conversationObject(state, c, false)),
    response_metadata: { next_cursor: next },
  };
};

/** Reading conversations: the bot's way to see what it already posted. */
export const HISTORY_METHODS: Record<string, Method> = {
  "conversations.history": history,
  "conversations.replies": replies,
  "conversations.list": list,
};
