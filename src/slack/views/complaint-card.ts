import type {
  ActionsBlock,
  Button,
  ContextBlock,
  KnownBlock,
  MrkdwnElement,
  SectionBlock,
} from "@slack/types";
import type { Priority, RoutingDecision } from "../../domain/complaint.ts";
import { formatCount } from "../../domain/match-conditions.ts";
import type { PostKind } from "../../domain/post-kinds.ts";
import type { ClockKind } from "../../domain/sla-clock.ts";
import type { DismissReason, ThreadState } from "../../domain/thread-lifecycle.ts";
import { buildCampaignBlocks } from "./card-campaigns.ts";
import { DISMISS_REASON_LABELS } from "./dismiss-modal.ts";
import { describeDueMrkdwn } from "./due-line.ts";
import {
  CARD_BLOCK_IDS,
  encodeThreadAction,
  FOLLOW_UP_BLOCK_IDS,
  THREAD_ACTION_IDS,
  type ThreadAction,
} from "./ids.ts";
import {
  buildKindSelect,
  describeKind,
  describeKindReason,
  type KindView,
  kindNoun,
} from "./kind-control.ts";
import { describeMissingCard, type MissingCard } from "./missing-card.ts";
import {
  escapeAndTruncate,
  escapeMrkdwn,
  joinBounded,
  linkMrkdwn,
  oneLine,
  quoteMrkdwn,
  slackDate,
  truncate,
  userMention,
} from "./mrkdwn.ts";
import { mrkdwn, section } from "./section-block.ts";

/** Who wrote a public post, as the source reported it. */
export interface PostAuthor {
  handle: string;
  name?: string | undefined;
  followers?: number | undefined;
  verified?: boolean | undefined;
}

/** Everything a complaint card shows; built by the service that posts or refreshes the card. */
export interface ComplaintCardModel {
  threadId: string;
  /** "twitter", "facebook", … */
  source: string;
  /** The customer's words, untrusted: escaped and truncated on the card. */
  text: string;
  /** Link to the public post. */
  url?: string | undefined;
  author?: PostAuthor | undefined;
  metrics?: { shares?: number; likes?: number; replies?: number } | undefined;
  postedAt?: Date | undefined;
  priority: Priority;
  priorityReasons: string[];
  department: { key: string; name: string };
  routing: RoutingDecision;
  state: ThreadState;
  /** Slack user id of the owner, once claimed. */
  owner?: string | undefined;
  /** Slack user id of the last owner of a reopened thread, offered as its natural owner. */
  suggestedOwner?: string | undefined;
  /** The thread's SLA clocks that are running or paused, in the order to show them. */
  dues: CardDue[];
  /** The moment the card is rendered, for "in 12 min" and "overdue by 25 min". */
  now: Date;
  /** The department calendar's IANA zone, or "UTC": the zone deadlines are phrased in. */
  timezone: string;
  /**
   * Slack user id of who resolved or dismissed it, or handed it to its owner: said on the
   * card when it is someone other than the owner.
   */
  changedBy?: string | undefined;
  /** Why a dismissed thread was dismissed. */
  dismissReason?: DismissReason | undefined;
  /** Link to the public reply, once responded publicly. */
  responseUrl?: string | undefined;
  /** The hand-over that brought the thread to its department, if one did. */
  handedOver?: CardHandOver | undefined;
  /** Name of the department routing chose, when the thread has since moved elsewhere. */
  routedTo?: string | undefined;
  /** Count of later messages in the same conversation. */
  followUps?: number | undefined;
  /** Marketing campaigns the thread's complaints are linked to (their keywords matched). */
  campaigns?: ReadonlyArray<{ id: string; name: string }> | undefined;
  /** The thread's kind and why; absent: a complaint, with no picker (older callers). */
  kind?: KindView | undefined;
  /**
   * Its kind is kept off the desk (praise, chatter): the card stays where it was posted, but
   * offers no work on it, only its timeline and the Kind picker to put it back.
   */
  offDesk?: boolean | undefined;
}

/** A hand-over to the card's department, as the card tells it. */
export interface CardHandOver {
  /** Name of the department it came from. */
  from: string;
  /** Slack user id of who handed it over; absent when the system did. */
  by?: string | undefined;
  /** What they wrote in the hand-over modal. */
  note?: string | undefined;
  at?: Date | undefined;
}

/** One SLA clock as the card shows it. */
export interface CardDue {
  kind: ClockKind;
  /** When it breaches if it keeps running; null while paused. */
  dueAt: Date | null;
  breached: boolean;
  /** Office hours left, for a department with a calendar (see due-line's `describeLeft`). */
  workingLeftMs?: number | undefined;
}

/** A later message in a card's conversation, posted as a thread reply under the card. */
export interface FollowUpModel {
  text: string;
  author?: PostAuthor | undefined;
  url?: string | undefined;
  postedAt?: Date | undefined;
  source: string;
  /** Slack user id of the thread's owner, mentioned so the customer's new words reach them. */
  owner?: string | undefined;
  /** Posted in the channel because the card it belongs under is gone: says so. */
  missingCard?: MissingCard | undefined;
  /** Filed under a thread that stays closed (dismissed as spam): says so, mentions nobody. */
  keptClosed?: string | undefined;
}

/** A message body ready for chat.postMessage / chat.update: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Each state in words, as cards, lists and nudges name it. */
export const STATE_LABELS: Record<ThreadState, string> = {
  open: "Open",
  claimed: "Claimed",
  responded: "Responded",
  waiting_on_customer: "Waiting on customer",
  resolved: "Resolved",
  dismissed: "Dismissed",
};

/** Each thread button's label. */
export const THREAD_BUTTON_LABELS: Record<ThreadAction, string> = {
  claim: "Claim",
  handOver: "Hand over",
  responded: "Responded",
  waitOnCustomer: "Waiting on customer",
  resolve: "Resolve",
  dismiss: "Dismiss",
  reopen: "Reopen",
  timeline: "Timeline",
};

type ButtonSpec = readonly [ThreadAction, "primary"?];

/** The buttons a card offers in each state, in order; "Timeline" follows them all. */
export const CARD_BUTTONS: Record<ThreadState, readonly ButtonSpec[]> = {
  // "Responded" on an open thread claims it for the responder first.
  open: [["claim", "primary"], ["handOver"], ["responded"], ["resolve"], ["dismiss"]],
  claimed: [["responded", "primary"], ["handOver"], ["resolve"], ["dismiss"]],
  // Waiting on the customer only makes sense once they have been answered.
  responded: [["waitOnCustomer"], ["responded"], ["handOver"], ["resolve"]],
  waiting_on_customer: [["handOver"], ["resolve"]],
  resolved: [["reopen"]],
  dismissed: [["reopen"]],
};

const PRIORITY_EMOJI: Record<Priority, string> = {
  P1: ":rotating_light:",
  P2: ":large_orange_circle:",
  P3: ":large_yellow_circle:",
  P4: ":white_circle:",
};

/** Block Kit limits (SLACK.md §7) and our own tighter bounds for config- or user-supplied labels. */
const LIMIT = {
  sectionText: 3000,
  field: 2000,
  contextElement: 2000,
  name: 80,
  handle: 64,
  label: 150,
  routingReason: 600,
  handOverNote: 1000,
  priorityReason: 300,
  priorityReasons: 1500,
  snippet: 150,
  // Four clock kinds exist; more lines than that is a caller's mistake, not worth 3000 chars.
  dues: 8,
} as const;

/**
 * The card posted to a department's channel for a complaint: who said what, where, how urgent
 * and why, who owns it and what is due, and the buttons that fit its state. Re-rendered on
 * every change. Pure: returns the message, posts nothing.
 */
export function buildComplaintCard(model: ComplaintCardModel): SlackMessage {
  const blocks: KnownBlock[] = [
    section(CARD_BLOCK_IDS.summary, describeSummary(model)),
    section(CARD_BLOCK_IDS.status, describeStatus(model)),
    ...(model.handedOver
      ? [section(CARD_BLOCK_IDS.handOver, describeHandOver(model.handedOver))]
      : []),
    section(CARD_BLOCK_IDS.author, describeAuthor(model.author, model.metrics, model.postedAt)),
    section(CARD_BLOCK_IDS.text, quoteMrkdwn(model.text, LIMIT.sectionText)),
  ];
  if (model.url) blocks.push(section(CARD_BLOCK_IDS.link, describeLink(model.url, model.source)));
  blocks.push(fieldsBlock(model));
  blocks.push(...buildCampaignBlocks(model.campaigns ?? []));
  const dues = describeDues(model);
  if (dues) blocks.push(section(CARD_BLOCK_IDS.dues, dues));
  blocks.push(contextBlock(model), actionsBlock(model));
  return { text: cardFallback(model), blocks };
}

/**
 * One thread button (card or nudge) carrying the thread id. Dismiss is red and asks first.
 * Throws RangeError for a thread id that could not travel in a button value.
 */
export function buildThreadButton(
  action: ThreadAction,
  threadId: string,
  style?: "primary",
  /** The thread's kind, which Dismiss's confirmation names; absent: a complaint. */
  kind?: PostKind,
): Button {
  const value = encodeThreadAction(threadId);
  const base = button(THREAD_ACTION_IDS[action], THREAD_BUTTON_LABELS[action], value);
  if (action === "dismiss") return { ...base, style: "danger", confirm: dismissConfirm(kind) };
  return style ? { ...base, style } : base;
}

const dismissConfirm = (kind: PostKind | undefined): NonNullable<Button["confirm"]> => ({
  ...DISMISS_CONFIRM,
  title: { type: "plain_text", text: `Dismiss this ${kind ? kindNoun(kind) : "complaint"}?` },
});

const DISMISS_CONFIRM: NonNullable<Button["confirm"]> = {
  title: { type: "plain_text", text: "Dismiss this complaint?" },
  text: {
    type: "plain_text",
    text: "You'll pick a reason next. It leaves the queue and its SLA clocks stop. Use it for spam or non-complaints.",
  },
  confirm: { type: "plain_text", text: "Dismiss" },
  deny: { type: "plain_text", text: "Keep it" },
  style: "danger",
};

/** A follow-up message in the same conversation, for posting under the card as a thread reply. */
export function buildFollowUpReply(input: FollowUpModel): SlackMessage {
  const who = input.author ? describeWho(input.author) : "_unknown author_";
  const when = input.postedAt ? slackDate(input.postedAt) : undefined;
  const owner = input.owner ? userMention(input.owner) : undefined;
  const heading = [
    `:speech_balloon: Follow-up from ${who} on *${label(input.source)}*`,
    when,
    owner && `for ${owner}`,
    input.missingCard && `_${describeMissingCard(input.missingCard)}_`,
    input.keptClosed && `_${input.keptClosed}_`,
  ];
  const blocks: KnownBlock[] = [
    context(FOLLOW_UP_BLOCK_IDS.context, [heading.filter(Boolean).join(" · ")]),
    section(FOLLOW_UP_BLOCK_IDS.text, quoteMrkdwn(input.text, LIMIT.sectionText)),
  ];
  if (input.url)
    blocks.push(section(FOLLOW_UP_BLOCK_IDS.link, describeLink(input.url, input.source)));
  const from = input.author ? ` from @${handleText(input.author.handle)}` : "";
  const text = `Follow-up${from} on ${label(input.source)}: ${snippet(input.text)}`;
  return { text: owner ? `${owner} ${text}` : text, blocks };
}

function describeSummary(model: ComplaintCardModel): string {
  const emoji = PRIORITY_EMOJI[model.priority];
  const noun = model.kind ? kindNoun(model.kind.kind) : "complaint";
  const what = model.state === "open" ? `new ${noun}` : noun;
  return `${emoji} *${model.priority}* · ${what} on *${label(model.source)}*`;
}

/** Who owns it and where it stands, in words: "*Claimed* by <@U1>", "*Dismissed*: spam or bot". */
export function describeStatus(model: ComplaintCardModel): string {
  const owner = model.owner ? userMention(model.owner) : undefined;
  const parts = [`${STATE_EMOJI[model.state] ?? ":grey_question:"} ${statusHead(model, owner)}`];
  if (handedByOther(model)) parts.push(`handed over by ${userMention(model.changedBy)}`);
  if (model.state === "open" && model.suggestedOwner) {
    parts.push(`last owned by ${userMention(model.suggestedOwner)}`);
  }
  if (model.responseUrl && (model.state === "responded" || model.state === "waiting_on_customer")) {
    parts.push(linkMrkdwn(model.responseUrl, "public reply"));
  }
  return parts.join(" · ");
}

/** "Handed over from *Customer Service* by <@U1> · <date>", with the note quoted below. */
function describeHandOver(handOver: CardHandOver): string {
  const by = handOver.by ? ` by ${userMention(handOver.by)}` : "";
  const when = handOver.at ? slackDate(handOver.at) : undefined;
  const head = `:arrow_right_hook: Handed over from *${label(handOver.from)}*${by}${when ? ` · ${when}` : ""}`;
  const note = handOver.note?.trim();
  return note ? `${head}\n${quoteMrkdwn(note, LIMIT.handOverNote)}` : head;
}

const isClosed = (state: ThreadState) => state === "resolved" || state === "dismissed";

/** Closed by someone other than its owner: "*Resolved* by <@U2>". */
const closedByOther = (model: ComplaintCardModel): model is ChangedBy =>
  isClosed(model.state) && byOther(model);

/** Handed to its owner by someone else, and not changed since: "handed over by <@U2>". */
const handedByOther = (model: ComplaintCardModel): model is ChangedBy =>
  model.state !== "open" && !isClosed(model.state) && byOther(model);

type ChangedBy = ComplaintCardModel & { changedBy: string };
const byOther = (model: ComplaintCardModel) =>
  model.changedBy !== undefined && model.changedBy !== model.owner;

function statusHead(model: ComplaintCardModel, owner: string | undefined): string {
  const by = closedByOther(model) ? ` by ${userMention(model.changedBy)}` : "";
  const state = `*${stateLabel(model.state)}*${by}`;
  switch (model.state) {
    case "open":
      return `${state} · unclaimed`;
    case "claimed":
      return owner ? `${state} by ${owner}` : state;
    // Its owner need not be who responded: a responded thread handed to someone keeps its state.
    case "responded":
    case "waiting_on_customer":
    case "resolved":
      return owner ? `${state} · owner ${owner}` : state;
    case "dismissed": {
      const reason = model.dismissReason;
      if (!reason) return state;
      const words = DISMISS_REASON_LABELS[reason] ?? label(reason);
      return `${state}: ${words.charAt(0).toLowerCase()}${words.slice(1)}`;
    }
    default:
      return state;
  }
}

const STATE_EMOJI: Record<ThreadState, string> = {
  open: ":inbox_tray:",
  claimed: ":raising_hand:",
  responded: ":speech_balloon:",
  waiting_on_customer: ":hourglass:",
  resolved: ":white_check_mark:",
  dismissed: ":no_entry_sign:",
};

/** A state in words; a state this code does not know (from a newer release) is shown escaped. */
function stateLabel(state: string): string {
  return STATE_LABELS[state as ThreadState] ?? label(state);
}

/** One line per clock: "First response due 14:05 (in 12 min)", with the viewer's own time. */
export function describeDues(model: ComplaintCardModel): string | undefined {
  const lines = model.dues.slice(0, LIMIT.dues).map((due) => {
    const paused = due.dueAt === null || model.state === "waiting_on_customer";
    const overdue =
      due.breached || (due.dueAt !== null && due.dueAt.getTime() <= model.now.getTime());
    const emoji = overdue ? ":red_circle:" : paused ? ":double_vertical_bar:" : ":stopwatch:";
    const phrase = describeDueMrkdwn(due.kind, due.dueAt, model.now, model.timezone, paused, {
      breached: due.breached,
      workingLeftMs: due.workingLeftMs,
    });
    return `${emoji} ${phrase}`;
  });
  return lines.length > 0 ? lines.join("\n") : undefined;
}

function describeAuthor(
  author: PostAuthor | undefined,
  metrics: ComplaintCardModel["metrics"],
  postedAt: Date | undefined,
): string {
  const parts = [author ? describeWho(author) : "_unknown author_"];
  if (author?.verified) parts.push(":white_check_mark: verified");
  parts.push(...describeReach(author?.followers, metrics));
  const when = postedAt ? slackDate(postedAt) : undefined;
  if (when) parts.push(`posted ${when}`);
  return parts.join(" · ");
}

function describeWho(author: PostAuthor): string {
  const handle = `@${handleText(author.handle)}`;
  const name = author.name ? oneLine(author.name) : "";
  return name ? `*${escapeAndTruncate(name, LIMIT.name)}* (${handle})` : `*${handle}*`;
}

function describeReach(
  followers: number | undefined,
  metrics: ComplaintCardModel["metrics"],
): string[] {
  const counts: [number | undefined, string, string][] = [
    [followers, "follower", "followers"],
    [metrics?.shares, "share", "shares"],
    [metrics?.likes, "like", "likes"],
    [metrics?.replies, "reply", "replies"],
  ];
  return counts
    .filter((entry): entry is [number, string, string] => isCount(entry[0]))
    .map(([count, one, many]) => `${formatCount(count)} ${count === 1 ? one : many}`);
}

function describeLink(url: string, source: string): string {
  return `:link: ${linkMrkdwn(url, `View the post on ${oneLine(source)}`)}`;
}

function fieldsBlock(model: ComplaintCardModel): SectionBlock {
  const fields = [
    field("Priority", `${PRIORITY_EMOJI[model.priority]} ${model.priority}`),
    field("Department", label(model.department.name)),
    field("State", stateLabel(model.state)),
    field("Owner", model.owner ? userMention(model.owner) : "_unclaimed_"),
  ];
  if (model.kind) fields.push(field("Kind", describeKind(model.kind.kind)));
  if (isCount(model.followUps) && model.followUps > 0) {
    fields.push(field("Follow-ups", formatCount(model.followUps)));
  }
  return { type: "section", block_id: CARD_BLOCK_IDS.fields, fields };
}

function contextBlock(model: ComplaintCardModel): ContextBlock {
  const routing = escapeAndTruncate(oneLine(model.routing.reason), LIMIT.routingReason);
  const reasons = model.priorityReasons.map((reason) =>
    escapeAndTruncate(oneLine(reason), LIMIT.priorityReason),
  );
  const why =
    reasons.length > 0 ? joinBounded(reasons, "; ", LIMIT.priorityReasons) : "default level";
  const kind = model.kind ? describeKindReason(model.kind) : undefined;
  // After a hand-over, say where routing sent it: its reason explains that choice, not this one.
  const routed = model.routedTo ? `*Routed to ${label(model.routedTo)}:*` : "*Routed:*";
  const lines = [`${routed} ${routing}`, `*${model.priority}:* ${why}`];
  const offDesk =
    model.offDesk && model.kind
      ? `Kept off the desk as ${kindNoun(model.kind.kind)}: no SLA clocks and nothing to claim. Pick Complaint or Question under *Kind* to put it back.`
      : undefined;
  const extra = [kind, offDesk].filter((line) => line !== undefined);
  return context(CARD_BLOCK_IDS.context, [...lines, ...extra]);
}

function actionsBlock(model: ComplaintCardModel): ActionsBlock {
  const specs = model.offDesk ? [] : (CARD_BUTTONS[model.state] ?? []);
  return {
    type: "actions",
    block_id: CARD_BLOCK_IDS.actions,
    elements: [
      ...specs.map(([action, style]) =>
        buildThreadButton(action, model.threadId, style, model.kind?.kind),
      ),
      buildThreadButton("timeline", model.threadId),
      ...(model.kind ? [buildKindSelect(model.threadId, model.kind.kind)] : []),
    ],
  };
}

/** Plain text for notifications and clients without blocks; escaped, since Slack parses it too. */
function cardFallback(model: ComplaintCardModel): string {
  const from = model.author ? ` from @${handleText(model.author.handle)}` : "";
  const head = `${model.priority} · ${label(model.department.name)} · ${label(model.source)}${from}`;
  return `${head}: ${snippet(model.text)}`;
}

/** The first ~150 characters of the customer's words, on one line, escaped. */
function snippet(text: string): string {
  return escapeMrkdwn(truncate(oneLine(text), LIMIT.snippet)) || "(no text)";
}

/** A config- or user-supplied label (department, source, state), escaped and on one bounded line. */
function label(text: string): string {
  return escapeAndTruncate(oneLine(text), LIMIT.label);
}

/** A handle without its leading "@" (we add our own), escaped and bounded. */
function handleText(handle: string): string {
  return escapeAndTruncate(oneLine(handle).replace(/^@+/, ""), LIMIT.handle);
}

function isCount(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value >= 0;
}

function field(title: string, value: string): MrkdwnElement {
  return mrkdwn(truncate(`*${title}*\n${value}`, LIMIT.field));
}

function context(blockId: string, texts: string[]): ContextBlock {
  return {
    type: "context",
    block_id: blockId,
    elements: texts.map((text) => mrkdwn(truncate(text, LIMIT.contextElement))),
  };
}

function button(actionId: string, text: string, value: string): Button {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text, emoji: true },
    value,
  };
}
