import { IdFactory } from "./ids.ts";
import type {
  CallRecord,
  ResponseRecord,
  StoredFile,
  StoredMessage,
  StoredView,
  UsergroupSpec,
} from "./types.ts";

/** The workspace identity the double answers with. */
export interface DoubleConfig {
  botToken: string;
  /** The app-level token (xapp-…) Socket Mode connects with. */
  appToken: string;
  teamId: string;
  teamDomain: string;
  teamName: string;
  botUserId: string;
  botId: string;
  botName: string;
  appId: string;
  /** The bot token's scopes; null: every scope (SlackDoubleOptions.botScopes). */
  botScopes: readonly string[] | null;
  /** Whether the app has a Home tab (views.publish answers not_enabled without one). */
  homeTabEnabled: boolean;
  /** Events the app subscribes to; null: every event (SlackDoubleOptions.botEvents). */
  botEvents: readonly string[] | null;
  /** Slash commands the app declares; null: every command. */
  slashCommands: readonly string[] | null;
  /** Whether Slack sends the app interactions (buttons, menus, modals). */
  interactivityEnabled: boolean;
}

/** A conversation: public/private channel, IM or group DM. */
export interface ChannelRecord {
  id: string;
  name: string;
  members: string[];
  isPrivate: boolean;
  isArchived: boolean;
  isIm: boolean;
  isMpim: boolean;
  /** For IMs: the human on the other side. */
  imUser?: string;
  created: number;
}

/** A workspace member. */
export interface UserRecord {
  id: string;
  name: string;
  realName: string;
  tz: string;
  email?: string;
  isBot: boolean;
  /** Deactivated by an admin: users.info says deleted, and no DM can be opened with them. */
  deleted?: boolean;
}

/** A trigger_id the double issued. */
export interface TriggerRecord {
  id: string;
  userId: string;
  issuedAt: number;
  used: boolean;
  /** The view the interaction came from, if any (views.push needs it). */
  viewId?: string;
}

/** What a response_url was issued for. */
export interface ResponseUrlRecord {
  id: string;
  issuedAt: number;
  uses: number;
  channelId: string;
  userId: string;
  /** The message whose interaction issued it (absent for slash commands). */
  source?: { channel: string; ts: string; ephemeral: boolean };
}

/** All mutable state of one double. Method modules read and change it. */
export class DoubleState {
  readonly ids: IdFactory;
  baseUrl = "";
  readonly channels = new Map<string, ChannelRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly usergroups = new Map<string, UsergroupSpec>();
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: StoredMessage[] = [];
  readonly views: StoredView[] = [];
  readonly triggers = new Map<string, TriggerRecord>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  readonly responses: ResponseRecord[] = [];
  readonly files = new Map<string, StoredFile>();
  /**
   * While true, files.completeUploadExternal completes files but leaves their share for
   * later (SlackDouble.holdFileShares): the shares waiting, in order.
   */
  fileSharesHeld = false;
  readonly heldFileShares: Array<() => void> = [];
  readonly calls: CallRecord[] = [];
  /** Socket Mode tickets handed out by apps.connections.open, by ticket id. */
  readonly socketTickets = new Map<string, { issuedAt: number; used: boolean }>();
  /** What Slack accepts but should not have been sent (see SlackDouble.problems). */
  readonly problems: string[] = [];
  /** Called after anything may have changed (see SlackDouble.onChange). */
  readonly changeListeners = new Set<() => void>();

  constructor(
    readonly config: DoubleConfig,
    readonly now: () => number,
  ) {
    this.ids = new IdFactory(now);
  }

  /** Tells the listeners that state may have changed (they look for themselves what did). */
  changed(): void {
    for (const listener of this.changeListeners) listener();
  }
}
