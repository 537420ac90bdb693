import { ApiError, argBool, argNonEmpty, argNum, requireArg } from "../args.ts";
import { PAGING } from "../limits.ts";
import {
  channelOrThrow,
  conversationObject,
  openIm,
  openMpim,
  userOrThrow,
  visibleChannelOrThrow,
} from "../workspace.ts";
import type { Method } from "./method.ts";

const open: Method = (args, { state }) => {
  const channelArg = argNonEmpty(args, "channel");
  if (channelArg !== undefined) {
    const channel = visibleChannelOrThrow(state, channelArg);
    return { no_op: true, already_open: true, channel: conversationObject(state, channel, false) };
  }
  const users = (argNonEmpty(args, "users") ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (users.length === 0) throw new ApiError("not_enough_users");
  if (users.length > 8) throw new ApiError("too_many_users");
  // Slack refuses a DM with a deactivated member.
  for (const u of users) if (userOrThrow(state, u).deactivated) throw new ApiError("user_disabled");
  const { channel, existed } =
    users.length === 1 ? openIm(state, users[0] as string) : openMpim(state, users);
  if (argBool(args, "prevent_creation") && !existed) throw new ApiError("channel_not_found");
  const full = argBool(args, "return_im");
  const body = full ? conversationObject(state, channel, false) : { id: channel.id };
  return existed ? { no_op: true, already_open: true, channel: body } : { channel: body };
};

const info: Method = (args, { state }) => {
  const channel = visibleChannelOrThrow(state, requireArg(args, "channel", "channel_not_found"));
  const withCount = argBool(args, "include_num_members");
  return { channel: conversationObject(state, channel, withCount) };
};

/** Slack's opaque member cursor: base64 of "user:<next user id>". */
function decodeCursor(cursor: string, members: string[]): number {
  const decoded = Buffer.from(cursor, "base64").toString("utf8");
  const index = decoded.startsWith("user:") ? members.indexOf(decoded.slice(5)) : -1;
  if (index < 0) throw new ApiError("invalid_cursor");
  return index;
}

const members: Method = (args, { state }) => {
  const channel = visibleChannelOrThrow(state, requireArg(args, "channel", "channel_not_found"));
  const limit = argNum(args, "limit") ?? PAGING.defaultLimit;
  if (!Number.isInteger(limit) || limit < 0 || limit > PAGING.maxLimit) {
    throw new ApiError("invalid_limit");
  }
  const pageSize = limit === 0 ? PAGING.defaultLimit : limit;
  const cursor = argNonEmpty(args, "cursor");
  const start = cursor === undefined ? 0 : decodeCursor(cursor, channel.members);
  const page = channel.members.slice(start, start + pageSize);
  const next = channel.members[start + pageSize];
  const nextCursor = next === undefined ? "" : Buffer.from(`user:${next}`).toString("base64");
  return { members: page, response_metadata: { next_cursor: nextCursor } };
};

const join: Method = (args, { state }) => {
  const channel = channelOrThrow(state, requireArg(args, "channel", "channel_not_found"));
  if (channel.isArchived) throw new ApiError("is_archived");
  if (channel.isIm || channel.isMpim || channel.isPrivate) {
    throw new ApiError("method_not_supported_for_channel_type");
  }
  const bot = state.config.botUserId;
  const already = channel.members.includes(bot);
  if (!already) channel.members.push(bot);
  const body = { channel: conversationObject(state, channel, false) };
  return already
    ? {
        ...body,
        warning: "already_in_channel",
        response_metadata: { warnings: ["already_in_channel"] },
      }
    : body;
};

/** conversations.* methods. */
export const CONVERSATION_METHODS: Record<string, Method> = {
  "conversations.open": open,
  "conversations.info": info,
  "conversations.members": members,
  "conversations.join": join,
};
