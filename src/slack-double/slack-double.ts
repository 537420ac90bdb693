import type { Server } from "node:http";
import { ApiRouter, type Fault } from "./api-router.ts";
import { SlackDriver } from "./driver.ts";
import { HttpTransport } from "./driver-http.ts";
import { SocketTransport } from "./driver-socket.ts";
import { deleteMessage, findMessage, storeMessage } from "./message-store.ts";
import { RateLimiter } from "./rate-limiter.ts";
import { issueResponseUrl } from "./response-urls.ts";
import { close, listen } from "./server.ts";
import { type DoubleSnapshot, restoreSnapshot, takeSnapshot } from "./snapshot.ts";
import { type DisconnectReason, SocketModeServer } from "./socket-mode.ts";
import { type ChannelRecord, type DoubleConfig, DoubleState, type UserRecord } from "./state.ts";
import type {
  CallRecord,
  ChannelSpec,
  ResponseRecord,
  SlackDoubleOptions,
  StoredFile,
  StoredMessage,
  StoredView,
  UsergroupSpec,
  UserSpec,
} from "./types.ts";
import { issueTrigger } from "./view-store.ts";
import { addChannel, addUser, openIm, userOrThrow } from "./workspace.ts";

/** A running Slack double: a Web API server plus inspection and fault-injection helpers. */
export class SlackDouble {
  /** "http://127.0.0.1:<port>" */
  readonly url: string;
  /** Pass as `slackApiUrl`: url + "/api/". */
  readonly apiUrl: string;

  constructor(
    private readonly state: DoubleState,
    private readonly api: ApiRouter,
    private readonly rate: RateLimiter,
    private readonly server: Server,
    private readonly sockets: SocketModeServer,
  ) {
    this.url = state.baseUrl;
    this.apiUrl = `${state.baseUrl}/api/`;
  }

  /** The workspace identity (token, team, bot ids) the double answers with. */
  get config(): Readonly<DoubleConfig> {
    return this.state.config;
  }

  /** Every Web API call, answered or not (429s and outages included). */
  get calls(): readonly CallRecord[] {
    return this.state.calls;
  }

  /**
   * What Slack accepts but should never be sent, such as blocks without a text fallback.
   * The end-to-end harness fails a test that leaves any.
   */
  get problems(): readonly string[] {
    return this.state.problems;
  }

  /** Calls to one method. */
  callsTo(method: string): CallRecord[] {
    return this.state.calls.filter((c) => c.method === method);
  }

  /** Current (non-ephemeral) messages, optionally of one channel, oldest first. */
  messages(channelId?: string): StoredMessage[] {
    return this.state.messages.filter((m) => channelId === undefined || m.channel === channelId);
  }

  /** Ephemeral messages, optionally of one channel and/or for one user. */
  ephemerals(channelId?: string, userId?: string): StoredMessage[] {
    return this.state.ephemerals.filter(
      (m) =>
        (channelId === undefined || m.channel === channelId) &&
        (userId === undefined || m.ephemeralTo === userId),
    );
  }

  /** What was posted to response_urls (and messages carried in slash-command acks). */
  get responses(): readonly ResponseRecord[] {
    return this.state.responses;
  }

  /** Every view opened, pushed or published (updated in place). */
  get views(): readonly StoredView[] {
    return this.state.views;
  }

  /** One view by id. */
  view(id: string): StoredView | undefined {
    return this.state.views.find((v) => v.id === id);
  }

  /**
   * From now on files.completeUploadExternal answers ok and completes the files, but shares
   * them only at releaseFileShares(), as real Slack shares them asynchronously after answering
   * (its answer and files.info show no `shares` yet; the file's message can land after
   * messages posted meanwhile: slackapi/bolt-js#2115, python-slack-sdk#1277,
   * node-slack-sdk#2260). Never releasing them is a share that does not land.
   */
  holdFileShares(): void {
    this.state.fileSharesHeld = true;
  }

  /** Makes the shares held since holdFileShares(), in order, and shares at once again. */
  releaseFileShares(): void {
    this.state.fileSharesHeld = false;
    for (const share of this.state.heldFileShares.splice(0)) share();
    this.state.changed();
  }

  /** Files created through files.getUploadURLExternal. */
  get files(): StoredFile[] {
    return [...this.state.files.values()];
  }

  /** Every conversation: channels, IMs and group DMs, with their members. */
  conversations(): readonly Readonly<ChannelRecord>[] {
    return [...this.state.channels.values()];
  }

  /** Every member of the workspace, the bot user included. */
  members(): readonly Readonly<UserRecord>[] {
    return [...this.state.users.values()];
  }

  /**
   * Calls `listener` after each request the double served (a Web API call, an upload, a
   * response_url post), which may have changed what it shows. Returns the unsubscribe.
   * Driver calls are made by the caller, which knows when they finish.
   */
  onChange(listener: () => void): () => void {
    this.state.changeListeners.add(listener);
    return () => this.state.changeListeners.delete(listener);
  }

  /** The workspace as JSON, to pass back as `restore` to a later double. */
  snapshot(): DoubleSnapshot {
    return takeSnapshot(this.state);
  }

  /**
   * Every call (and the double's other endpoints) answers this HTTP status, or drops the
   * socket; Socket Mode connections drop and cannot reopen. null ends it.
   */
  setOutage(status: number | "network" | null): void {
    this.api.outage = status;
    this.sockets.down = status !== null;
    if (status !== null) this.sockets.dropAll();
  }

  /** Socket Mode: open connections, connections ever opened, and Slack's reconnect requests. */
  get socketMode(): {
    readonly connections: number;
    readonly opened: number;
    disconnect(reason: DisconnectReason): void;
  } {
    const sockets = this.sockets;
    return {
      connections: sockets.connections,
      opened: sockets.opened,
      disconnect: (reason) => sockets.disconnect(reason),
    };
  }

  /** Changes one method's per-minute limit from now on (undefined: back to the configured one). */
  setRateLimit(method: string, perMinute: number | undefined): void {
    this.rate.setMethodLimit(method, perMinute);
  }

  /**
   * Deactivates a member's account, as a workspace admin does: users.info shows them deleted,
   * conversations.open answers user_disabled, and they leave every channel and user group
   * (UNCONFIRMED which lists Slack keeps a deactivated account in; the double keeps them in
   * none). Sources disagree: a live measurement (brekkylab/backlot#198, Sept 2026) found none of
   * 9 deactivated members in conversations.members of 8 channels, though its review
   * (brekkylab/backlot#259) notes nothing shows they had been members; adsr/irslackd#67 (2019)
   * saw deactivated users in channel member lists and blamed Slack's API. Slack's help pages
   * say only that they are signed out and their messages kept.
   */
  deactivateUser(userId: string): void {
    const user = userOrThrow(this.state, userId);
    user.deleted = true;
    for (const channel of this.state.channels.values())
      if (!channel.isIm) channel.members = channel.members.filter((m) => m !== userId);
    for (const group of this.state.usergroups.values())
      group.users = group.users.filter((m) => m !== userId);
  }

  /** Disables a user group, as an admin "deleting" it in Slack does. */
  disableUsergroup(id: string): void {
    const group = this.state.usergroups.get(id);
    if (!group) throw new Error(`unknown user group ${id}`);
    group.disabled = true;
  }

  /** Enables a disabled user group again, as an admin does in Slack. */
  enableUsergroup(id: string): void {
    const group = this.state.usergroups.get(id);
    if (!group) throw new Error(`unknown user group ${id}`);
    group.disabled = false;
  }

  /** Puts a member (the bot too) in a channel, as an invite does. */
  addMember(channelId: string, userId: string): void {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    if (!channel.members.includes(userId)) channel.members.push(userId);
  }

  /** Takes a member (the bot too) out of a channel, as if they had left it. */
  removeMember(channelId: string, userId: string): void {
    const channel = this.state.channels.get(channelId);
    if (channel) channel.members = channel.members.filter((m) => m !== userId);
  }

  /**
   * Archives a channel, or unarchives it, as a person does in Slack; no event is sent. While
   * archived, posts to it are refused with is_archived, as Slack refuses them.
   */
  setArchived(channelId: string, archived: boolean): void {
    const channel = this.state.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    channel.isArchived = archived;
  }

  /**
   * The next `times` calls to `method` fail this way (429 when status is 429 or retryAfter is
   * set). With answerLost the call takes effect and only its answer is lost (the socket drops).
   */
  failNext(method: string, fault: Fault, times = 1): void {
    this.api.failNext(method, fault, times);
  }

  /** Adds a channel (the bot is a member unless botIsMember is false). */
  addChannel(spec: ChannelSpec): void {
    addChannel(this.state, spec);
  }

  /** Adds a user. */
  addUser(spec: UserSpec): void {
    addUser(this.state, spec);
  }

  /** The app's DM with a user (its Messages tab), opened as Slack opens it on first use. */
  directMessage(userId: string): Readonly<ChannelRecord> {
    userOrThrow(this.state, userId);
    return openIm(this.state, userId).channel;
  }

  /** Adds a user group. */
  addUsergroup(spec: UsergroupSpec): void {
    this.state.usergroups.set(spec.id, { ...spec, users: [...spec.users] });
  }

  /** Stores a message posted by a human (no event is sent; see driver.userMessage). */
  postUserMessage(p: {
    channelId: string;
    userId: string;
    text: string;
    threadTs?: string;
  }): StoredMessage {
    return storeMessage(this.state, {
      channel: p.channelId,
      user: p.userId,
      text: p.text,
      ...(p.threadTs === undefined ? {} : { threadTs: p.threadTs }),
    });
  }

  /**
   * Deletes a message as a person does in Slack (an admin can delete anyone's, the bot's
   * cards too); no event is sent. From then on Slack answers message_not_found for it, as
   * chat.getPermalink, chat.update and reactions.add do here; one with thread replies stays
   * as "This message was deleted." with its replies (see message-store deleteMessage), and
   * chat.update answers cant_update_message for it. False when there is none.
   */
  deleteMessage(channelId: string, ts: string): boolean {
    const msg = findMessage(this.state, channelId, ts);
    if (!msg) return false;
    deleteMessage(this.state, msg);
    return true;
  }

  /** Issues a trigger_id as if the user had just interacted (3 s, single use). */
  issueTriggerId(userId: string, viewId?: string): string {
    return issueTrigger(this.state, userId, viewId);
  }

  /** Issues a response_url as if the user had just interacted (5 uses, 30 min). */
  issueResponseUrl(p: { channelId: string; userId: string; messageTs?: string }): string {
    const message =
      p.messageTs === undefined
        ? undefined
        : { channel: p.channelId, ts: p.messageTs, ephemeral: false };
    return issueResponseUrl(this.state, {
      channelId: p.channelId,
      userId: p.userId,
      ...(message ? { message } : {}),
    });
  }

  /** A driver that sends signed requests to the bot's receiver URL (HTTP mode). */
  driver(targetUrl: string, signingSecret: string): SlackDriver {
    return new SlackDriver(this.state, new HttpTransport(targetUrl, signingSecret));
  }

  /** A driver that sends the same requests as envelopes over Socket Mode connections. */
  socketDriver(): SlackDriver {
    return new SlackDriver(this.state, new SocketTransport(this.sockets));
  }

  /** Stops the server and drops Socket Mode connections. */
  async stop(): Promise<void> {
    this.sockets.close();
    await close(this.server);
  }
}

function configFrom(opts: SlackDoubleOptions): DoubleConfig {
  return {
    botToken: opts.botToken ?? "xoxb-test-token",
    appToken: opts.appToken ?? "xapp-1-A0APP-1-test-app-token",
    teamId: opts.teamId ?? "T0TEST",
    teamDomain: "switchboard-test",
    teamName: "Switchboard Test",
    botUserId: opts.botUserId ?? "U0BOT",
    botId: opts.botId ?? "B0BOT",
    botName: "switchboard",
    appId: "A0APP",
    botScopes: opts.botScopes ?? null,
    homeTabEnabled: opts.homeTabEnabled ?? true,
    botEvents: opts.botEvents ?? null,
    slashCommands: opts.slashCommands ?? null,
    interactivityEnabled: opts.interactivityEnabled ?? true,
  };
}

/** Starts a Slack double on 127.0.0.1 (ephemeral port) seeded with the given workspace. */
export async function startSlackDouble(opts: SlackDoubleOptions = {}): Promise<SlackDouble> {
  const now = opts.now ?? Date.now;
  const state = new DoubleState(configFrom(opts), now);
  if (opts.restore) restoreSnapshot(state, opts.restore);
  const bot = state.config;
  addUser(state, { id: bot.botUserId, name: bot.botName, isBot: true });
  for (const u of opts.users ?? []) addUser(state, u);
  for (const c of opts.channels ?? []) addChannel(state, c);
  for (const g of opts.usergroups ?? []) state.usergroups.set(g.id, { ...g, users: [...g.users] });
  const rate = new RateLimiter(opts.rateLimits ?? {}, now);
  const api = new ApiRouter(state, rate);
  const sockets = new SocketModeServer(state);
  const { server, url } = await listen(state, api, sockets);
  state.baseUrl = url;
  return new SlackDouble(state, api, rate, server, sockets);
}
