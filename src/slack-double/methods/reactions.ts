import { ApiError, argNonEmpty, requireArg } from "../args.ts";
import { findMessage } from "../message-store.ts";
import type { DoubleState } from "../state.ts";
import type { StoredMessage } from "../types.ts";
import { visibleChannelOrThrow } from "../workspace.ts";
import type { Method } from "./method.ts";

/** Emoji names are bare (no colons), optionally with a skin-tone suffix. */
const EMOJI_NAME = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

function targetMessage(state: DoubleState, args: Record<string, unknown>): StoredMessage {
  const channel = visibleChannelOrThrow(state, requireArg(args, "channel", "channel_not_found"));
  const ts = argNonEmpty(args, "timestamp");
  if (ts === undefined) throw new ApiError("no_item_specified");
  const msg = findMessage(state, channel.id, ts);
  if (!msg) throw new ApiError("message_not_found");
  return msg;
}

function emojiName(args: Record<string, unknown>): string {
  const name = requireArg(args, "name", "invalid_name");
  if (!EMOJI_NAME.test(name)) throw new ApiError("invalid_name");
  return name;
}

const add: Method = (args, { state }) => {
  const msg = targetMessage(state, args);
  const name = emojiName(args);
  const bot = state.config.botUserId;
  const reaction = msg.reactions.find((r) => r.name === name);
  if (reaction?.users.includes(bot)) throw new ApiError("already_reacted");
  if (reaction) reaction.users.push(bot);
  else msg.reactions.push({ name, users: [bot] });
  return {};
};

const remove: Method = (args, { state }) => {
  const msg = targetMessage(state, args);
  const name = emojiName(args);
  const bot = state.config.botUserId;
  const reaction = msg.reactions.find((r) => r.name === name && r.users.includes(bot));
  if (!reaction) throw new ApiError("no_reaction");
  reaction.users = reaction.users.filter((u) => u !== bot);
  msg.reactions = msg.reactions.filter((r) => r.users.length > 0);
  return {};
};

/** reactions.* methods. */
export const REACTION_METHODS: Record<string, Method> = {
  "reactions.add": add,
  "reactions.remove": remove,
};
