import type { Obj } from "./args.ts";
import { messageObject } from "./message-store.ts";
import type { ChannelRecord, DoubleState } from "./state.ts";
import type { StoredMessage, StoredView } from "./types.ts";
import { slackView } from "./view-store.ts";

/** The (deprecated) verification token the double puts in payloads. */
export const VERIFICATION_TOKEN = "double-verification-token";

/** Slack's `team` object in interaction payloads. */
export function teamObject(state: DoubleState): Obj {
  return { id: state.config.teamId, domain: state.config.teamDomain };
}

/** Slack's `user` object in interaction payloads. */
export function userObject(state: DoubleState, userId: string): Obj {
  const name = state.users.get(userId)?.name ?? userId;
  return { id: userId, username: name, name, team_id: state.config.teamId };
}

/** The channel name Slack reports (IMs are "directmessage"). */
export function channelName(channel: ChannelRecord | undefined): string {
  if (!channel) return "unknown";
  if (channel.isIm) return "directmessage";
  return channel.isMpim ? "mpdm" : channel.name;
}

/** Fields every interaction payload carries. */
export function interactionBase(state: DoubleState, type: string, userId: string): Obj {
  return {
    type,
    team: teamObject(state),
    user: userObject(state, userId),
    api_app_id: state.config.appId,
    token: VERIFICATION_TOKEN,
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** The slash command form fields (SLACK.md §3). */
export function commandFields(
  state: DoubleState,
  p: { command: string; text: string; userId: string; channel: ChannelRecord },
  handles: { responseUrl: string; triggerId: string },
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: state.config.teamId,
    team_domain: state.config.teamDomain,
    channel_id: p.channel.id,
    channel_name: channelName(p.channel),
    user_id: p.userId,
    user_name: state.users.get(p.userId)?.name ?? p.userId,
    command: p.command,
    text: p.text,
    api_app_id: state.config.appId,
    is_enterprise_install: "false",
    response_url: handles.responseUrl,
    trigger_id: handles.triggerId,
  };
}

/** block_actions from a message: container, channel, message (unless ephemeral), state, response_url. */
export function messageActionPayload(
  state: DoubleState,
  p: { userId: string; message: StoredMessage; action: Obj; values: Obj },
  handles: { responseUrl: string; triggerId: string },
  includeMessage: boolean,
): Obj {
  const m = p.message;
  return {
    ...interactionBase(state, "block_actions", p.userId),
    container: {
      type: "message",
      message_ts: m.ts,
      channel_id: m.channel,
      is_ephemeral: m.ephemeralTo !== undefined,
      ...(m.threadTs === undefined ? {} : { thread_ts: m.threadTs }),
    },
    trigger_id: handles.triggerId,
    channel: { id: m.channel, name: channelName(state.channels.get(m.channel)) },
    ...(includeMessage ? { message: messageObject(state, m) } : {}),
    state: { values: p.values },
    response_url: handles.responseUrl,
    actions: [p.action],
  };
}

/** block_actions from a modal or Home view. */
export function viewActionPayload(
  state: DoubleState,
  p: { userId: string; view: StoredView; action: Obj },
  triggerId: string,
): Obj {
  return {
    ...interactionBase(state, "block_actions", p.userId),
    container: { type: "view", view_id: p.view.id },
    trigger_id: triggerId,
    view: slackView(p.view),
    actions: [p.action],
  };
}

/** The Events API envelope around one event (SLACK.md §3). */
export function eventEnvelope(state: DoubleState, event: Obj, eventId: string): Obj {
  const c = state.config;
  return {
    token: VERIFICATION_TOKEN,
    team_id: c.teamId,
    context_team_id: c.teamId,
    context_enterprise_id: null,
    api_app_id: c.appId,
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(state.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: c.teamId,
        user_id: c.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(eventId).toString("base64url")}`,
  };
}

/** The `message` event for a stored user message (thread replies carry thread_ts + parent_user_id). */
export function messageEvent(state: DoubleState, msg: StoredMessage): Obj {
  const channel = state.channels.get(msg.channel);
  const type = channel?.isIm
    ? "im"
    : channel?.isMpim
      ? "mpim"
      : channel?.isPrivate
        ? "group"
        : "channel";
  const parent = msg.threadTs
    ? state.messages.find((m) => m.channel === msg.channel && m.ts === msg.threadTs)
    : undefined;
  return {
    type: "message",
    channel: msg.channel,
    channel_type: type,
    user: msg.user,
    text: msg.text,
    ts: msg.ts,
    event_ts: msg.ts,
    team: state.config.teamId,
    ...(msg.blocks.length > 0 ? { blocks: msg.blocks } : {}),
    ...(msg.threadTs === undefined ? {} : { thread_ts: msg.threadTs }),
    ...(parent ? { parent_user_id: parent.user } : {}),
  };
}
