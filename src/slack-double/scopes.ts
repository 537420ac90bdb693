import { argNonEmpty, argStr, type Obj } from "./args.ts";
import type { ChannelRecord, DoubleState } from "./state.ts";
import { findChannel } from "./workspace.ts";

/**
 * The bot scopes a Web API call needs (SLACK.md §5 "bot scope" column and §9); none for
 * auth.test, chat.getPermalink and views.*. For the conversations.* methods the scope follows
 * the conversation's type: channels:* for a public channel, groups:* for a private one, im:*
 * and mpim:* for DMs.
 */
type ScopeRule = (args: Obj, state: DoubleState) => string[];

type Access = "read" | "history" | "write";

/** The scope family of a conversation type, e.g. groups:history for a private channel. */
function typeScope(channel: ChannelRecord, access: Access): string {
  if (channel.isIm) return `im:${access}`;
  if (channel.isMpim) return `mpim:${access}`;
  return `${channel.isPrivate ? "groups" : "channels"}:${access}`;
}

/**
 * The scope for the conversation named by `channel`; none when there is no such one (the
 * method then answers channel_not_found).
 */
function byConversation(access: Access): ScopeRule {
  return (args, state) => {
    const channel = findChannel(state, argStr(args, "channel") ?? "", false);
    return channel ? [typeScope(channel, access)] : [];
  };
}

/** conversations.open: im:write for one person, mpim:write for a group DM. */
const openScope: ScopeRule = (args, state) => {
  const ref = argNonEmpty(args, "channel");
  const channel = ref === undefined ? undefined : findChannel(state, ref, false);
  if (channel) return [channel.isMpim ? "mpim:write" : "im:write"];
  const users = (argNonEmpty(args, "users") ?? "").split(",").filter((u) => u.trim() !== "");
  return [users.length > 1 ? "mpim:write" : "im:write"];
};

const LIST_TYPE_SCOPES: Record<string, string> = {
  public_channel: "channels:read",
  private_channel: "groups:read",
  im: "im:read",
  mpim: "mpim:read",
};

/** conversations.list needs the read scope of every type it is asked for. */
const listScopes: ScopeRule = (args) => {
  const types = (argNonEmpty(args, "types") ?? "public_channel").split(",");
  return types.flatMap((t) => LIST_TYPE_SCOPES[t.trim()] ?? []);
};

const fixed =
  (scope: string): ScopeRule =>
  () => [scope];

const RULES: Record<string, ScopeRule> = {
  "chat.postMessage": fixed("chat:write"),
  "chat.update": fixed("chat:write"),
  "chat.delete": fixed("chat:write"),
  "chat.postEphemeral": fixed("chat:write"),
  "conversations.open": openScope,
  "conversations.info": byConversation("read"),
  "conversations.members": byConversation("read"),
  "conversations.history": byConversation("history"),
  "conversations.replies": byConversation("history"),
  "conversations.list": listScopes,
  "conversations.join": fixed("channels:join"),
  "users.info": fixed("users:read"),
  "users.lookupByEmail": fixed("users:read.email"),
  "usergroups.users.list": fixed("usergroups:read"),
  "reactions.add": fixed("reactions:write"),
  "reactions.remove": fixed("reactions:write"),
  "files.getUploadURLExternal": fixed("files:write"),
  "files.completeUploadExternal": fixed("files:write"),
  "files.info": fixed("files:read"),
};

/**
 * The first scope a bot-token call lacks, or undefined when the token holds what it needs (or
 * the double was started without botScopes: then the token holds every scope).
 */
export function missingScope(state: DoubleState, method: string, args: Obj): string | undefined {
  const granted = state.config.botScopes;
  if (granted === null) return undefined;
  return RULES[method]?.(args, state).find((scope) => !granted.includes(scope));
}
