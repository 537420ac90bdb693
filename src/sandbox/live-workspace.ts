import type { SlackDouble, StoredMessage, StoredView } from "../slack-double/index.ts";
import type { RenderContext } from "./render/block-kit-html.ts";
import { renderBlocks } from "./render/block-kit-html.ts";
import { messageBodyHtml, viewTextHtml } from "./render/message-html.ts";
import type { ReadMarkers } from "./sandbox-store.ts";
import type { SandboxPerson } from "./slack-workspace.ts";

/** A conversation as the page lists it. */
export interface PageChannel {
  id: string;
  name: string;
  kind: "channel" | "private" | "im" | "mpim";
  members: string[];
  topic?: string | undefined;
  /** For an IM: the person on the other side of the bot. */
  imUser?: string | undefined;
}

/** A message, rendered once for everyone who may see it. */
export interface PageMessage {
  key: string;
  channel: string;
  ts: string;
  /** Set on thread replies (never on a thread's parent). */
  threadTs?: string | undefined;
  user: string;
  bot: boolean;
  ephemeralTo?: string | undefined;
  /** The notification text (the fallback when there are blocks). */
  text: string;
  html: string;
  edited: boolean;
  replyCount: number;
  latestReply?: string | undefined;
  broadcast: boolean;
  reactions: Array<{ name: string; count: number }>;
  /** People mentioned in it, for highlighting and mention badges. */
  mentions: string[];
}

/** A modal or Home view of one person. */
export interface PageView {
  id: string;
  type: "modal" | "home";
  userId: string;
  rootId: string;
  previousId: string | null;
  /** Position in the double's list: a later view of a stack is on top. */
  order: number;
  isOpen: boolean;
  titleHtml: string;
  submitHtml: string;
  closeHtml: string;
  html: string;
  hash: string;
  /** Errors a view_submission ack returned, by block_id, until the next submission. */
  errors: Record<string, string>;
}

/** One change the page must show. */
export type PageDelta =
  | { type: "channel"; channel: PageChannel }
  | { type: "message"; message: PageMessage }
  | { type: "message-removed"; key: string; channel: string }
  | { type: "view"; view: PageView }
  | { type: "unread"; counts: Record<string, number> }
  | { type: "replay"; status: unknown };

type Listener = (delta: PageDelta) => void;

const MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g;

function messageKey(m: StoredMessage): string {
  return `${m.ephemeralTo === undefined ? "m" : `e:${m.ephemeralTo}`}:${m.channel}:${m.ts}`;
}

function mentionsOf(m: StoredMessage): string[] {
  const text = `${m.text} ${JSON.stringify(m.blocks)}`;
  return [...new Set([...text.matchAll(MENTION)].map((x) => x[1] ?? ""))];
}

/**
 * What the Slack double holds, as the page shows it: conversations, messages rendered to HTML
 * with the one Block Kit renderer, and views. `scan()` compares with the last scan and tells
 * listeners what changed (the page's server-sent events), so a message is rendered once per
 * change, not once per viewer.
 */
export class LiveWorkspace {
  private readonly messages = new Map<string, { sig: string; page: PageMessage }>();
  private readonly views = new Map<string, { sig: string; page: PageView }>();
  private readonly channels = new Map<string, { sig: string; page: PageChannel }>();
  private readonly listeners = new Set<Listener>();
  private readonly viewErrors = new Map<string, Record<string, string>>();
  private unreadSig = "";
  private scheduled = false;
  readonly ctx: RenderContext;

  private readonly double: SlackDouble;
  private readonly people: readonly SandboxPerson[];
  /** Up to where each person has read each conversation (saved with the workspace). */
  readonly reads: ReadMarkers;
  private readonly topics: Record<string, string>;
  private readonly usergroups: Record<string, string>;
  private readonly onChange: () => void;

  constructor(opts: {
    double: SlackDouble;
    people: readonly SandboxPerson[];
    reads: ReadMarkers;
    /** Channel topics by id, and user group handles by id (from the workspace file). */
    topics: Record<string, string>;
    usergroups: Record<string, string>;
    /** Called when something the page shows changed (the sandbox saves the workspace). */
    onChange: () => void;
  }) {
    this.double = opts.double;
    this.people = opts.people;
    this.reads = opts.reads;
    this.topics = opts.topics;
    this.usergroups = opts.usergroups;
    this.onChange = opts.onChange;
    this.ctx = this.renderContext();
    this.scan();
  }

  private renderContext(): RenderContext {
    const double = this.double;
    const nameOf = (id: string) => {
      const person = this.people.find((p) => p.id === id);
      if (person) return person.realName;
      const member = double.members().find((u) => u.id === id);
      return member ? member.realName : undefined;
    };
    return {
      user: nameOf,
      channel: (id) => double.conversations().find((c) => c.id === id)?.name,
      usergroup: (id) => this.usergroups[id],
      people: () => this.people.map((p) => ({ id: p.id, name: p.realName })),
      conversations: () =>
        double
          .conversations()
          .filter((c) => !c.isIm && !c.isMpim && !c.isPrivate)
          .map((c) => ({ id: c.id, name: c.name })),
      fileUrl: (id) =>
        double.files.some((f) => f.id === id && f.bytes) ? `/files/${id}` : undefined,
    };
  }

  /** Calls `listener` with every change from now on; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a delta that is not about the double (the replay's progress). */
  broadcast(delta: PageDelta): void {
    for (const l of this.listeners) l(delta);
  }

  /** Scans soon, once for all the changes that happen meanwhile. */
  scheduleScan(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.scan();
    });
  }

  /** Records a submission's errors (shown under their fields) or clears them. */
  setViewErrors(viewId: string, errors: Record<string, string> | undefined): void {
    if (errors && Object.keys(errors).length > 0) this.viewErrors.set(viewId, errors);
    else this.viewErrors.delete(viewId);
    const entry = this.views.get(viewId);
    if (entry) entry.sig = ""; // re-sent on the next scan
    this.scan();
  }

  /** Marks a conversation read up to ts for a person. */
  markRead(userId: string, channelId: string, ts: string): void {
    const mine = this.reads[userId] ?? {};
    if ((mine[channelId] ?? "") >= ts) return;
    mine[channelId] = ts;
    this.reads[userId] = mine;
    this.onChange();
    this.emitUnread();
  }

  /** Compares the double with the last scan and sends what changed. */
  scan(): void {
    let changed = false;
    for (const c of this.double.conversations()) changed = this.scanChannel(c) || changed;
    const all = [...this.double.messages(), ...this.double.ephemerals()];
    const latestReply = new Map<string, string>();
    for (const m of all) {
      if (m.threadTs && m.threadTs !== m.ts) latestReply.set(`${m.channel}:${m.threadTs}`, m.ts);
    }
    const seen = new Set<string>();
    for (const m of all) {
      const key = messageKey(m);
      seen.add(key);
      changed = this.scanMessage(key, m, latestReply.get(`${m.channel}:${m.ts}`)) || changed;
    }
    for (const [key, entry] of this.messages) {
      if (seen.has(key)) continue;
      this.messages.delete(key);
      this.emit({ type: "message-removed", key, channel: entry.page.channel });
      changed = true;
    }
    this.double.views.forEach((v, order) => {
      changed = this.scanView(v, order) || changed;
    });
    if (changed) {
      this.onChange();
      this.emitUnread();
    }
  }

  private scanChannel(c: ReturnType<SlackDouble["conversations"]>[number]): boolean {
    const page: PageChannel = {
      id: c.id,
      name: c.name,
      kind: c.isIm ? "im" : c.isMpim ? "mpim" : c.isPrivate ? "private" : "channel",
      members: [...c.members],
      topic: this.topics[c.id],
      imUser: c.imUser,
    };
    const sig = JSON.stringify(page);
    if (this.channels.get(c.id)?.sig === sig) return false;
    this.channels.set(c.id, { sig, page });
    this.emit({ type: "channel", channel: page });
    return true;
  }

  private scanMessage(key: string, m: StoredMessage, latestReply: string | undefined): boolean {
    const sig = `${m.updatedCount}|${m.replyCount}|${latestReply ?? ""}|${JSON.stringify(m.reactions)}|${m.files?.length ?? 0}`;
    if (this.messages.get(key)?.sig === sig) return false;
    const page: PageMessage = {
      key,
      channel: m.channel,
      ts: m.ts,
      threadTs: m.threadTs !== undefined && m.threadTs !== m.ts ? m.threadTs : undefined,
      user: m.user,
      bot: m.botId !== undefined,
      ephemeralTo: m.ephemeralTo,
      text: m.text,
      html: messageBodyHtml(m, this.ctx),
      edited: m.updatedCount > 0,
      replyCount: m.replyCount,
      latestReply,
      broadcast: m.replyBroadcast === true,
      reactions: m.reactions.map((r) => ({ name: r.name, count: r.users.length })),
      mentions: mentionsOf(m),
    };
    this.messages.set(key, { sig, page });
    this.emit({ type: "message", message: page });
    return true;
  }

  private scanView(v: StoredView, order: number): boolean {
    const errors = this.viewErrors.get(v.id) ?? {};
    const sig = `${v.updatedCount}|${v.isOpen}|${v.hash}`;
    const entry = this.views.get(v.id);
    if (entry?.sig === sig) return false;
    if (!entry && !v.isOpen) return false; // closed before the page ever saw it
    const page: PageView = {
      id: v.id,
      type: v.type,
      userId: v.userId,
      rootId: v.root_view_id ?? v.id,
      previousId: v.previous_view_id,
      order,
      isOpen: v.isOpen,
      titleHtml: viewTextHtml(v.title, this.ctx),
      submitHtml: viewTextHtml(v.submit, this.ctx),
      closeHtml: viewTextHtml(v.close, this.ctx) || "Cancel",
      html: renderBlocks(v.blocks, this.ctx, v.type === "home" ? "home" : "modal"),
      hash: v.hash,
      errors,
    };
    this.views.set(v.id, { sig, page });
    this.emit({ type: "view", view: page });
    return true;
  }

  private emit(delta: PageDelta): void {
    for (const l of this.listeners) l(delta);
  }

  /** Sends each person's count of unread DMs and mentions, when it changed. */
  private emitUnread(): void {
    const counts = this.unreadCounts();
    const sig = JSON.stringify(counts);
    if (sig === this.unreadSig) return;
    this.unreadSig = sig;
    this.emit({ type: "unread", counts });
  }

  /** Unread DMs and mentions per person: what makes Slack show a red badge. */
  unreadCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const person of this.people) {
      let n = 0;
      for (const { page: m } of this.messages.values()) {
        if (m.threadTs || m.user === person.id) continue;
        if (m.ephemeralTo !== undefined && m.ephemeralTo !== person.id) continue;
        const channel = this.channels.get(m.channel)?.page;
        if (!channel || !this.canSee(person.id, channel)) continue;
        const direct = channel.kind === "im" && channel.imUser === person.id;
        if (!direct && !m.mentions.includes(person.id)) continue;
        if (m.ts > (this.reads[person.id]?.[m.channel] ?? "")) n += 1;
      }
      counts[person.id] = n;
    }
    return counts;
  }

  /** Whether a person sees a conversation: public channels, and those they are in. */
  canSee(userId: string, channel: PageChannel): boolean {
    if (channel.kind === "channel") return true;
    if (channel.kind === "im") return channel.imUser === userId;
    return channel.members.includes(userId);
  }

  /** Whether a person may see a delta (ephemerals, private conversations and views are theirs alone). */
  visibleTo(userId: string, delta: PageDelta): boolean {
    if (delta.type === "view") return delta.view.userId === userId;
    if (delta.type === "channel") return this.canSee(userId, delta.channel);
    if (delta.type === "message") {
      const m = delta.message;
      if (m.ephemeralTo !== undefined && m.ephemeralTo !== userId) return false;
      const channel = this.channels.get(m.channel)?.page;
      return channel !== undefined && this.canSee(userId, channel);
    }
    return true;
  }

  /**
   * Everything one person sees now: the page's first event. Ephemeral messages only when the
   * same page is reconnecting: Slack never stores them in the conversation, so a new page (a
   * reload, another persona) starts without the "Only visible to you" notes of before.
   * https://docs.slack.dev/reference/methods/chat.postEphemeral
   */
  snapshotFor(userId: string, opts: { ephemerals: boolean }) {
    const channels = [...this.channels.values()]
      .map((c) => c.page)
      .filter((c) => this.canSee(userId, c));
    const deltas = [...this.messages.values()]
      .filter((m) => opts.ephemerals || m.page.ephemeralTo === undefined)
      .map((m): PageDelta => ({ type: "message", message: m.page }));
    const messages = deltas
      .filter((d) => this.visibleTo(userId, d))
      .map((d) => (d as { message: PageMessage }).message);
    const views = [...this.views.values()]
      .map((v) => v.page)
      .filter((v) => v.userId === userId && (v.isOpen || v.type === "home"));
    return {
      channels,
      messages,
      views,
      reads: this.reads[userId] ?? {},
      unread: this.unreadCounts(),
    };
  }
}
