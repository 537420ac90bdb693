import type { Obj } from "./args.ts";
import type { ChannelRecord, DoubleState } from "./state.ts";
import { botIsMember } from "./workspace.ts";

// What Slack sends an app at all, by its manifest (SLACK.md §9, §3). A test asking the driver
// for anything else asks for what cannot happen in Slack, so the driver refuses it.

/** The subscription a message event needs: message.channels, .groups, .im or .mpim. */
function messageSubscription(channel: ChannelRecord): string {
  if (channel.isIm) return "message.im";
  if (channel.isMpim) return "message.mpim";
  return channel.isPrivate ? "message.groups" : "message.channels";
}

/**
 * Why Slack would not deliver this event, or undefined when it would: the app must subscribe
 * to it (bot_events), and a message event must come from a conversation the bot is in.
 */
export function eventRefusal(state: DoubleState, event: Obj): string | undefined {
  const channel =
    event.type === "message" && typeof event.channel === "string"
      ? state.channels.get(event.channel)
      : undefined;
  const subscription = channel ? messageSubscription(channel) : String(event.type);
  const subscribed = state.config.botEvents;
  if (subscribed !== null && !subscribed.includes(subscription)) {
    return `Slack would not send a ${subscription} event: the app's manifest does not subscribe to it (settings.event_subscriptions.bot_events)`;
  }
  if (channel && !botIsMember(state, channel)) {
    return `Slack would not send a ${subscription} event from ${channel.id}: the bot is not in it`;
  }
  return undefined;
}

/** Throws unless the app declares this slash command (features.slash_commands). */
export function checkCommandDelivered(state: DoubleState, command: string): void {
  const declared = state.config.slashCommands;
  if (declared !== null && !declared.includes(command)) {
    throw new Error(
      `Slack would not send ${command}: the app's manifest does not declare it (features.slash_commands)`,
    );
  }
}

/** Throws unless interactivity is on (settings.interactivity.is_enabled). */
export function checkInteractivity(state: DoubleState): void {
  if (!state.config.interactivityEnabled) {
    throw new Error(
      "Slack would not send interactions: the app's manifest leaves interactivity off (settings.interactivity.is_enabled)",
    );
  }
}

/**
 * Throws unless the person could do anything in Slack at all: a deactivated account is signed
 * out everywhere (Slack help: Deactivate a member's account), so it sends no command, click,
 * message or Home visit.
 */
export function checkUserActive(state: DoubleState, userId: string): void {
  if (state.users.get(userId)?.deleted) {
    throw new Error(`Slack would send nothing from ${userId}: their account is deactivated`);
  }
}

/**
 * Throws unless the person can see the conversation: anyone may read a public channel, but a
 * private channel, DM or group DM shows only to its members.
 */
export function checkUserSees(state: DoubleState, userId: string, channel: ChannelRecord): void {
  const closed = channel.isPrivate || channel.isIm || channel.isMpim;
  if (closed && !channel.members.includes(userId)) {
    throw new Error(`${userId} cannot see ${channel.id}: it is private and they are not in it`);
  }
}
