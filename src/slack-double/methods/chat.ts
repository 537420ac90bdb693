import { ApiError, argBool, argNonEmpty, argStr, type Obj, requireArg } from "../args.ts";
import { TEXT_LIMITS, UNCONFIRMED } from "../limits.ts";
import {
  checkThreadParent,
  contentFromArgs,
  deleteMessage,
  findMessage,
  messageObject,
  noteMissingFallback,
  replaceContent,
  storeMessage,
} from "../message-store.ts";
import type { ChannelRecord, DoubleState } from "../state.ts";
import { botIsMember, findChannel, openIm, visibleChannelOrThrow } from "../workspace.ts";
import { type Method, RateLimitedError } from "./method.ts";

/**
 * The channel a post goes to: an ID, a name ("#x" / "x"), or a user ID, which posts to the
 * app's DM with that user (SLACK.md §5 chat.postMessage notes).
 */
function postTarget(state: DoubleState, ref: string): ChannelRecord {
  const channel = findChannel(state, ref, true);
  if (channel) return channel;
  if (/^[UW]/.test(ref) && state.users.has(ref)) return openIm(state, ref).channel;
  throw new ApiError("channel_not_found");
}

/** Membership and archive checks shared by the posting methods. */
function checkCanPost(state: DoubleState, channel: ChannelRecord): void {
  if (channel.isArchived) throw new ApiError("is_archived");
  const publicOk = UNCONFIRMED.botHasChatWritePublic && !channel.isPrivate;
  if (!botIsMember(state, channel) && !publicOk) {
    throw new ApiError(channel.isPrivate ? UNCONFIRMED.privateNotMemberError : "not_in_channel");
  }
}

const postMessage: Method = (args, { state, rate }) => {
  const channel = postTarget(state, requireArg(args, "channel", "channel_not_found"));
  const decision = rate.takePost(channel.id);
  if (!decision.ok) throw new RateLimitedError(decision.retryAfterS);
  checkCanPost(state, channel);
  const content = contentFromArgs(args);
  const threadTs = argNonEmpty(args, "thread_ts");
  if (threadTs !== undefined) checkThreadParent(state, channel.id, threadTs);
  const text = content.text.slice(0, TEXT_LIMITS.postMessageTruncateAt);
  noteMissingFallback(state, `chat.postMessage to ${channel.id}`, content);
  const msg = storeMessage(state, {
    ...content,
    text,
    channel: channel.id,
    ...(threadTs === undefined ? {} : { threadTs }),
  });
  if (threadTs !== undefined && argBool(args, "reply_broadcast")) msg.replyBroadcast = true;
  return { channel: channel.id, ts: msg.ts, message: messageObject(state, msg) };
};

/**
 * The bot's own, non-ephemeral message at channel/ts, or the matching ApiError. Like posting,
 * changing a message needs the bot in the channel (not_in_channel, or channel_not_found for
 * a private one it cannot see) and the channel not archived.
 */
function ownMessage(state: DoubleState, args: Obj, tsArg: string) {
  // chat.update / chat.delete need a channel ID; names are not resolved.
  const channel = visibleChannelOrThrow(state, requireArg(args, "channel", "channel_not_found"));
  checkCanPost(state, channel);
  const msg = findMessage(state, channel.id, requireArg(args, tsArg, "message_not_found"));
  if (!msg) throw new ApiError("message_not_found");
  if (msg.subtype === "tombstone") throw new ApiError(UNCONFIRMED.tombstoneUpdateError);
  if (msg.user !== state.config.botUserId) throw new ApiError("cant_update_message");
  return { channel, msg };
}

const update: Method = (args, { state }) => {
  const { channel, msg } = ownMessage(state, args, "ts");
  const text = argStr(args, "text");
  if (text !== undefined && text.length > TEXT_LIMITS.updateMaxText) {
    throw new ApiError("msg_too_long");
  }
  const content = contentFromArgs(args);
  noteMissingFallback(state, `chat.update of ${channel.id}/${msg.ts}`, content);
  replaceContent(msg, content);
  return { channel: channel.id, ts: msg.ts, text: msg.text, message: messageObject(state, msg) };
};

const deleteMethod: Method = (args, { state }) => {
  const { channel, msg } = ownMessage(state, args, "ts");
  deleteMessage(state, msg);
  return { channel: channel.id, ts: msg.ts };
};

const postEphemeral: Method = (args, { state }) => {
  const channel = postTarget(state, requireArg(args, "channel", "channel_not_found"));
  const user = requireArg(args, "user", "user_not_found");
  if (!state.users.has(user)) throw new ApiError("user_not_found");
  checkCanPost(state, channel);
  if (!channel.members.includes(user)) throw new ApiError("user_not_in_channel");
  const content = contentFromArgs(args);
  noteMissingFallback(state, `chat.postEphemeral to ${user} in ${channel.id}`, content);
  const threadTs = argNonEmpty(args, "thread_ts");
  const msg = storeMessage(state, {
    ...content,
    channel: channel.id,
    ephemeralTo: user,
    ...(threadTs === undefined ? {} : { threadTs }),
  });
  return { message_ts: msg.ts };
};

const getPermalink: Method = (args, { state }) => {
  const channel = visibleChannelOrThrow(state, requireArg(args, "channel", "channel_not_found"));
  const ts = requireArg(args, "message_ts", "message_not_found");
  const msg = findMessage(state, channel.id, ts);
  if (!msg) throw new ApiError("message_not_found");
  const base = `https://${state.config.teamDomain}.slack.com/archives/${channel.id}/p${ts.replace(".", "")}`;
  const thread = msg.threadTs && msg.threadTs !== msg.ts;
  const permalink = thread ? `${base}?thread_ts=${msg.threadTs}&cid=${channel.id}` : base;
  return { channel: channel.id, permalink };
};

/** chat.* methods. */
export const CHAT_METHODS: Record<string, Method> = {
  "chat.postMessage": postMessage,
  "chat.update": update,
  "chat.delete": deleteMethod,
  "chat.postEphemeral": postEphemeral,
  "chat.getPermalink": getPermalink,
};
