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
import {
  CARD_BLOCK_IDS,
  encodeThreadAction,
  FOLLOW_UP_BLOCK_IDS,
  THREAD_ACTION_IDS,
} from "./ids.ts";
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
  /** "open" for now; later claimed/responded/… */
  state: string;
  /** Slack user id of the owner, once claimed. */
  owner?: string | undefined;
  /** Count of later messages in the same conversation. */
  followUps?: number | undefined;
}

/** A later message in a card's conversation, posted as a thread reply under the card. */
export interface FollowUpModel {
  text: string;
  author?: PostAuthor | undefined;
  url?: string | undefined;
  postedAt?: Date | undefined;
  source: string;
}

/** A message body ready for chat.postMessage / chat.update: fallback text plus blocks. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

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
  priorityReason: 300,
  priorityReasons: 1500,
  snippet: 150,
} as const;

/**
 * The card posted to a department's channel for a new complaint: who said what, where, how
 * urgent and why, and the buttons to work it. Pure: returns the message, posts nothing.
 */
export function buildComplaintCard(model: ComplaintCardModel): SlackMessage {
  const blocks: KnownBlock[] = [
    section(CARD_BLOCK_IDS.summary, describeSummary(model)),
    section(CARD_BLOCK_IDS.author, describeAuthor(model.author, model.metrics, model.postedAt)),
    section(CARD_BLOCK_IDS.text, quoteMrkdwn(model.text, LIMIT.sectionText)),
  ];
  if (model.url) blocks.push(section(CARD_BLOCK_IDS.link, describeLink(model.url, model.source)));
  blocks.push(fieldsBlock(model), contextBlock(model), actionsBlock(model.threadId));
  return { text: cardFallback(model), blocks };
}

/** A follow-up message in the same conversation, for posting under the card as a thread reply. */
export function buildFollowUpReply(input: FollowUpModel): SlackMessage {
  const who = input.author ? describeWho(input.author) : "_unknown author_";
  const when = input.postedAt ? slackDate(input.postedAt) : undefined;
  const heading = [`:speech_balloon: Follow-up from ${who} on *${label(input.source)}*`, when];
  const blocks: KnownBlock[] = [
    context(FOLLOW_UP_BLOCK_IDS.context, [heading.filter(Boolean).join(" · ")]),
    section(FOLLOW_UP_BLOCK_IDS.text, quoteMrkdwn(input.text, LIMIT.sectionText)),
  ];
  if (input.url)
    blocks.push(section(FOLLOW_UP_BLOCK_IDS.link, describeLink(input.url, input.source)));
  const from = input.author ? ` from @${handleText(input.author.handle)}` : "";
  return { text: `Follow-up${from} on ${label(input.source)}: ${snippet(input.text)}`, blocks };
}

function describeSummary(model: ComplaintCardModel): string {
  const emoji = PRIORITY_EMOJI[model.priority];
  return `${emoji} *${model.priority}* · new complaint on *${label(model.source)}*`;
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
  const counts: [number | undefined, string][] = [
    [followers, "followers"],
    [metrics?.shares, "shares"],
    [metrics?.likes, "likes"],
    [metrics?.replies, "replies"],
  ];
  return counts
    .filter((entry): entry is [number, string] => isCount(entry[0]))
    .map(([count, noun]) => `${formatCount(count)} ${noun}`);
}

function describeLink(url: string, source: string): string {
  return `:link: ${linkMrkdwn(url, `View the post on ${oneLine(source)}`)}`;
}

function fieldsBlock(model: ComplaintCardModel): SectionBlock {
  const fields = [
    field("Priority", `${PRIORITY_EMOJI[model.priority]} ${model.priority}`),
    field("Department", label(model.department.name)),
    field("State", label(model.state)),
    field("Owner", model.owner ? userMention(model.owner) : "_unclaimed_"),
  ];
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
  return context(CARD_BLOCK_IDS.context, [`*Routed:* ${routing}`, `*${model.priority}:* ${why}`]);
}

function actionsBlock(threadId: string): ActionsBlock {
  const value = encodeThreadAction(threadId);
  const dismiss: Button = {
    ...button(THREAD_ACTION_IDS.dismiss, "Dismiss", value),
    style: "danger",
    confirm: {
      title: { type: "plain_text", text: "Dismiss this complaint?" },
      text: {
        type: "plain_text",
        text: "It leaves the queue and its SLA stops. Use it for spam or non-complaints.",
      },
      confirm: { type: "plain_text", text: "Dismiss" },
      deny: { type: "plain_text", text: "Keep it" },
      style: "danger",
    },
  };
  return {
    type: "actions",
    block_id: CARD_BLOCK_IDS.actions,
    elements: [
      { ...button(THREAD_ACTION_IDS.claim, "Claim", value), style: "primary" },
      button(THREAD_ACTION_IDS.handOver, "Hand over", value),
      button(THREAD_ACTION_IDS.responded, "Responded", value),
      button(THREAD_ACTION_IDS.resolve, "Resolve", value),
      dismiss,
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

/** verbatim: true stops Slack auto-linking names like @channel or #general in customer text. */
function mrkdwn(text: string): MrkdwnElement {
  return { type: "mrkdwn", text, verbatim: true };
}

function section(blockId: string, text: string): SectionBlock {
  return { type: "section", block_id: blockId, text: mrkdwn(truncate(text, LIMIT.sectionText)) };
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
