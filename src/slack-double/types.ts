import type { DoubleSnapshot } from "./snapshot.ts";

/** A channel to seed into the double's workspace. */
export interface ChannelSpec {
  id: string;
  name: string;
  members?: string[];
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Default true. */
  botIsMember?: boolean;
}

/** A user to seed into the double's workspace. */
export interface UserSpec {
  id: string;
  name: string;
  realName?: string;
  tz?: string;
  email?: string;
  isBot?: boolean;
}

/** A user group (subteam) to seed. */
export interface UsergroupSpec {
  id: string;
  handle: string;
  users: string[];
  /** Disabled by an admin (Slack's "delete" of a user group disables it). */
  disabled?: boolean;
}

/**
 * Rate-limit settings. By default every method has its Slack tier's per-minute limit
 * (METHOD_PER_MINUTE; chat.postMessage's is its workspace-wide limit) and chat.postMessage
 * also a per-channel token bucket.
 */
export interface RateLimitSpec {
  postMessagePerChannel?: { burst: number; perSecond: number };
  /** Per-minute limits by method, replacing the tier's (0 refuses every call). */
  perMethodPerMinute?: Record<string, number>;
  /** Multiplies every tier's per-minute limit (not perMethodPerMinute); default 1. */
  perMinuteFactor?: number;
}

/** Options for startSlackDouble. */
export interface SlackDoubleOptions {
  botToken?: string;
  /** App-level token for apps.connections.open (Socket Mode). */
  appToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  channels?: ChannelSpec[];
  users?: UserSpec[];
  usergroups?: UsergroupSpec[];
  rateLimits?: RateLimitSpec;
  /**
   * The bot token's scopes, as an app manifest's oauth_config.scopes.bot grants them (see
   * appFromManifest): a call needing another answers missing_scope, as Slack does. Absent:
   * the token holds every scope.
   */
  botScopes?: readonly string[];
  /** features.app_home.home_tab_enabled; default true. Without it views.publish answers not_enabled. */
  homeTabEnabled?: boolean;
  /**
   * settings.event_subscriptions.bot_events: the only events Slack delivers to the app
   * (message events as message.channels, message.groups, message.im, message.mpim). The
   * driver refuses to send any other. Absent: every event is subscribed.
   */
  botEvents?: readonly string[];
  /** features.slash_commands[].command: the only commands Slack sends. Absent: every command. */
  slashCommands?: readonly string[];
  /** settings.interactivity.is_enabled; default true. Without it Slack sends no interactions. */
  interactivityEnabled?: boolean;
  /** Millisecond clock for ts, rate limits and trigger/response_url expiry. */
  now?: () => number;
  /**
   * A workspace saved by `double.snapshot()` to start from (the sandbox keeps its workspace
   * across restarts this way). `users`, `channels` and `usergroups` are applied over it.
   */
  restore?: DoubleSnapshot;
}

/** One Web API call as the double saw and answered it. */
export interface CallRecord {
  method: string;
  args: Record<string, unknown>;
  token: string | undefined;
  at: number;
  status: number;
  /** The JSON body sent back; null when the socket was destroyed. */
  response: Record<string, unknown> | null;
  /** The Retry-After header of a 429, in seconds. */
  retryAfterS?: number;
  /** The double answered (response), but dropped the connection before sending it. */
  answerLost?: boolean;
}

/** A reaction on a stored message. */
export interface Reaction {
  name: string;
  users: string[];
}

/** A message as the double stores it (chat.update changes it in place). */
export interface StoredMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: unknown[];
  attachments?: unknown[];
  /** Poster's user id (the bot user id for bot posts). */
  user: string;
  botId?: string;
  updatedCount: number;
  ephemeralTo?: string;
  replyCount: number;
  replyBroadcast?: boolean;
  /** "tombstone": deleted in Slack while it had replies, it stays as "This message was deleted.". */
  subtype?: "tombstone";
  reactions: Reaction[];
  files?: Array<{ id: string; name: string; title: string; altText?: string }>;
  metadata?: unknown;
}

/** Where a response_url posts land and what they did. */
export interface ResponseRecord {
  /** The response_url's id (last path segment). */
  id: string;
  /** "response_url" for POSTs to the URL, "ack" for a message carried in an ack body. */
  via: "response_url" | "ack";
  body: Record<string, unknown>;
  at: number;
  status: number;
  effect: "ephemeral" | "in_channel" | "replaced" | "deleted" | "rejected";
  error?: string;
}

/** A modal or Home view: Slack's view object fields plus the double's bookkeeping. */
export interface StoredView {
  id: string;
  team_id: string;
  type: "modal" | "home";
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, Record<string, unknown>>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
  /** The user the view belongs to. */
  userId: string;
  /** How the view came to be. */
  via: "open" | "push" | "publish";
  isOpen: boolean;
  updatedCount: number;
}

/** A file uploaded through the getUploadURLExternal flow. */
export interface StoredFile {
  id: string;
  filename: string;
  length: number;
  title?: string;
  /** The screen-reader description given to files.getUploadURLExternal. */
  altText?: string;
  bytes?: Buffer;
  completed: boolean;
  /** When files.completeUploadExternal completed it (epoch seconds). */
  created?: number;
  channelId?: string;
  /** The ts of the message that shared it in channelId. */
  shareTs?: string;
  threadTs?: string;
  initialComment?: string;
}
