import { ApiError } from "./args.ts";
import type { ChannelRecord, DoubleState, UserRecord } from "./state.ts";
import type { ChannelSpec, UserSpec } from "./types.ts";

/** Adds (or replaces) a channel; the bot joins unless botIsMember is false. */
export function addChannel(state: DoubleState, spec: ChannelSpec): ChannelRecord {
  const members = [...(spec.members ?? [])];
  const botUser = state.config.botUserId;
  if (spec.botIsMember !== false && !members.includes(botUser)) members.push(botUser);
  const record: ChannelRecord = {
    id: spec.id,
    name: spec.name.replace(/^#/, ""),
    members,
    isPrivate: spec.isPrivate ?? false,
    isArchived: spec.isArchived ?? false,
    isIm: spec.id.startsWith("D"),
    isMpim: false,
    created: Math.floor(state.now() / 1000),
  };
  state.channels.set(record.id, record);
  return record;
}

/** Adds (or replaces) a user. */
export function addUser(state: DoubleState, spec: UserSpec): UserRecord {
  const record: UserRecord = {
    id: spec.id,
    name: spec.name,
    realName: spec.realName ?? spec.name,
    tz: spec.tz ?? "UTC",
    isBot: spec.isBot ?? false,
    ...(spec.email === undefined ? {} : { email: spec.email }),
  };
  state.users.set(record.id, record);
  return record;
}

/** Finds a channel by ID, or by name ("#name" / "name") when byName is allowed. */
export function findChannel(
  state: DoubleState,
  ref: string,
  byName: boolean,
): ChannelRecord | undefined {
  const byId = state.channels.get(ref);
  if (byId || !byName) return byId;
  const name = ref.replace(/^#/, "");
  return [...state.channels.values()].find((c) => !c.isIm && c.name === name);
}

/** A channel by reference or ApiError channel_not_found. */
export function channelOrThrow(state: DoubleState, ref: string, byName = false): ChannelRecord {
  const channel = findChannel(state, ref, byName);
  if (!channel) throw new ApiError("channel_not_found");
  return channel;
}

/**
 * A conversation the bot can see, or ApiError channel_not_found: a private channel, DM or
 * group DM the bot is not in is invisible to it (SLACK.md §5: conversations.members,
 * chat.postMessage), while public channels can be read without joining.
 */
export function visibleChannelOrThrow(state: DoubleState, ref: string, byName = false) {
  const channel = channelOrThrow(state, ref, byName);
  if ((channel.isPrivate || channel.isIm || channel.isMpim) && !botIsMember(state, channel)) {
    throw new ApiError("channel_not_found");
  }
  return channel;
}

/** A user by id or ApiError user_not_found. */
export function userOrThrow(state: DoubleState, id: string): UserRecord {
  const user = state.users.get(id);
  if (!user) throw new ApiError("user_not_found");
  return user;
}

/** True when the bot user is a member of the channel. */
export function botIsMember(state: DoubleState, channel: ChannelRecord): boolean {
  return channel.members.includes(state.config.botUserId);
}

/** Returns the IM between the bot and a user, creating it on first use. */
export function openIm(
  state: DoubleState,
  userId: string,
): { channel: ChannelRecord; existed: boolean } {
  const existing = [...state.channels.values()].find((c) => c.isIm && c.imUser === userId);
  if (existing) return { channel: existing, existed: true };
  const channel: ChannelRecord = {
    id: state.ids.next("D"),
    name: userId,
    members: [state.config.botUserId, userId],
    isPrivate: true,
    isArchived: false,
    isIm: true,
    isMpim: false,
    imUser: userId,
    created: Math.floor(state.now() / 1000),
  };
  state.channels.set(channel.id, channel);
  return { channel, existed: false };
}

/** Returns the group DM holding exactly these users and the bot, creating it on first use. */
export function openMpim(
  state: DoubleState,
  userIds: string[],
): { channel: ChannelRecord; existed: boolean } {
  const members = [state.config.botUserId, ...userIds].sort();
  const same = (c: ChannelRecord) => c.isMpim && [...c.members].sort().join() === members.join();
  const existing = [...state.channels.values()].find(same);
  if (existing) return { channel: existing, existed: true };
  const channel: ChannelRecord = {
    id: state.ids.next("G"),
    name: `mpdm-${members.join("--")}-1`,
    members,
    isPrivate: true,
    isArchived: false,
    isIm: false,
    isMpim: true,
    created: Math.floor(state.now() / 1000),
  };
  state.channels.set(channel.id, channel);
  return { channel, existed: false };
}

/** Slack's conversation object for conversations.info / join / open. */
export function conversationObject(state: DoubleState, c: ChannelRecord, withCount: boolean) {
  const base = {
    id: c.id,
    created: c.created,
    is_archived: c.isArchived,
    is_im: c.isIm,
    is_org_shared: false,
    context_team_id: state.config.teamId,
  };
  if (c.isIm) {
    const deleted = c.imUser !== undefined && state.users.get(c.imUser)?.deleted === true;
    return { ...base, user: c.imUser, is_user_deleted: deleted, priority: 0 };
  }
  return {
    ...base,
    name: c.name,
    name_normalized: c.name,
    is_channel: !c.isPrivate && !c.isMpim,
    is_group: c.isPrivate && !c.isMpim,
    is_mpim: c.isMpim,
    is_private: c.isPrivate,
    is_general: false,
    is_shared: false,
    is_ext_shared: false,
    is_member: botIsMember(state, c),
    creator: "U0ADMIN",
    topic: { value: "", creator: "", last_set: 0 },
    purpose: { value: "", creator: "", last_set: 0 },
    ...(withCount ? { num_members: c.members.length } : {}),
  };
}
