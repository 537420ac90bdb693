import type { ActionsBlock, ContextBlock, KnownBlock } from "@slack/types";
import type { Priority } from "../../domain/complaint.ts";
import type { PostKind } from "../../domain/post-kinds.ts";
import type { ClockKind } from "../../domain/sla-clock.ts";
import { buildThreadButton, type SlackMessage } from "./complaint-card.ts";
import {
  CLOCK_LABELS,
  describeLeft,
  describeWhenInZone,
  formatSpan,
  slackWhen,
} from "./due-line.ts";
import { NUDGE_BLOCK_IDS } from "./ids.ts";
import { kindNoun } from "./kind-control.ts";
import { describeMissingCard, type MissingCard } from "./missing-card.ts";
import {
  escapeAndTruncate,
  joinBounded,
  linkMrkdwn,
  oneLine,
  quoteMrkdwn,
  truncate,
  userMention,
} from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** A step of the escalation ladder (escalation-plan.ts) about to be sent. */
export interface NudgeInput {
  threadId: string;
  step: "warning" | "breach" | "escalation";
  clockKind: ClockKind;
  /** When the clock breaches or breached. */
  dueAt: Date;
  /** Office hours left until `dueAt` when the department keeps a calendar. */
  workingLeftMs?: number | undefined;
  now: Date;
  /** The department calendar's IANA zone, or "UTC". */
  timezone: string;
  department: { name: string };
  priority: Priority;
  /** The thread's kind, named in the nudge ("this P3 Baggage question"); absent: a complaint. */
  kind?: PostKind | undefined;
  /** The customer's words, untrusted: quoted, escaped and cut to 300 characters. */
  excerpt: string;
  /** Slack user id of the owner; without one the nudge offers Claim. */
  owner?: string | undefined;
  /** Slack user ids to @-mention (owner, leads), or "here" / "subteam^S…" for a channel. */
  mention?: string[] | undefined;
  /** Permalink to the card. */
  cardLink?: string | undefined;
  /** Why there is no link: said where the link would be. */
  missingCard?: MissingCard | undefined;
  /**
   * What became of the thread since the nudge was posted (see `describeSettled`): shown in
   * place of the owner line, and the buttons go, since the card now has the right ones.
   */
  settled?: string | undefined;
}

/** What became of an unowned thread that a nudge offered to claim. */
export interface SettledThread {
  state: string;
  owner?: string | undefined;
  /** The department's name when it was handed to another since the nudge was posted. */
  movedTo?: string | undefined;
}

const LIMIT = { excerpt: 300, department: 80, mentions: 1000, text: 3000 } as const;

const STEP_EMOJI: Record<NudgeInput["step"], string> = {
  warning: ":hourglass_flowing_sand:",
  breach: ":red_circle:",
  escalation: ":rotating_light:",
};

/**
 * The message a timer step sends: what is due and when, who is wanted, the customer's words,
 * a link to the card and one-click buttons (Claim or Responded, and Hand over) that act like
 * the card's own. Pure: `now` is a parameter.
 */
export function buildNudge(input: NudgeInput): SlackMessage {
  const mentions = describeMentions(input.mention ?? []);
  const emoji = STEP_EMOJI[input.step] ?? STEP_EMOJI.warning;
  const headline = `${emoji} ${describeNudge(input, "mrkdwn")}`;
  const blocks: KnownBlock[] = [
    section(NUDGE_BLOCK_IDS.headline, mentions ? `${mentions}\n${headline}` : headline),
    section(NUDGE_BLOCK_IDS.excerpt, quoteMrkdwn(input.excerpt, LIMIT.excerpt)),
    contextBlock(input),
    ...(input.settled ? [] : [actionsBlock(input)]),
  ];
  const text = truncate([mentions, describeNudge(input, "plain")].filter(Boolean).join(" "), 3000);
  return { text, blocks };
}

/**
 * "First response for this P2 Baggage complaint is due 14:05 (in 6 min)", "… breached 2 min
 * ago", "Escalation: first response for this … is overdue by 1 h". The mrkdwn form bolds the
 * clock and the complaint and shows the time as a Slack date token.
 */
function describeNudge(input: NudgeInput, form: "plain" | "mrkdwn"): string {
  const bold = (text: string) => (form === "mrkdwn" ? `*${text}*` : text);
  const label = CLOCK_LABELS[input.clockKind] ?? "Deadline";
  const department = escapeAndTruncate(oneLine(input.department.name), LIMIT.department);
  const noun = input.kind ? kindNoun(input.kind) : "complaint";
  const complaint = `for this ${bold(`${input.priority} ${department}`)} ${noun}`;
  const left = input.dueAt.getTime() - input.now.getTime();
  if (input.step === "escalation") {
    const overdue = left < 0 ? `overdue by ${formatSpan(left)}` : "overdue";
    return `Escalation: ${bold(label.toLowerCase())} ${complaint} is ${overdue}`;
  }
  if (input.step === "warning" && left > 0) {
    const when =
      form === "mrkdwn"
        ? slackWhen(input.dueAt, input.now, input.timezone)
        : describeWhenInZone(input.dueAt, input.now, input.timezone);
    return `${bold(label)} ${complaint} is due ${when} (${describeLeft(left, input.workingLeftMs)})`;
  }
  const ago = -left < 60_000 ? "just now" : `${formatSpan(left)} ago`;
  return `${bold(label)} ${complaint} breached ${ago}`;
}

/** User ids become `<@U…>`; "here" and "subteam^S…" become Slack's special mentions. */
function mentionOf(target: string): string {
  if (target === "here") return "<!here>";
  if (/^subteam\^S[A-Z0-9]+$/.test(target)) return `<!${target}>`;
  return userMention(target);
}

function describeMentions(userIds: readonly string[]): string {
  const unique = [...new Set(userIds)].map(mentionOf);
  return joinBounded(unique, " ", LIMIT.mentions);
}

/**
 * The line a nudge that offered Claim shows once that offer is over: "Owned by @alice",
 * "Resolved", "Dismissed", "Handed over to *Baggage*". Owned covers a hand-over to a person.
 */
export function describeSettled(thread: SettledThread): string {
  if (thread.movedTo)
    return `:arrow_right_hook: Handed over to *${escapeAndTruncate(oneLine(thread.movedTo), LIMIT.department)}*`;
  if (thread.state === "resolved") return ":white_check_mark: Resolved";
  if (thread.state === "dismissed") return ":heavy_multiplication_x: Dismissed";
  if (thread.owner) return `:white_check_mark: Owned by ${userMention(thread.owner)}`;
  return "Unclaimed";
}

function contextBlock(input: NudgeInput): ContextBlock {
  const owner = input.owner ? `Owner: ${userMention(input.owner)}` : "Unclaimed";
  const parts = [input.settled ?? owner];
  if (input.cardLink) parts.push(`:point_right: ${linkMrkdwn(input.cardLink, "Open the card")}`);
  else if (input.missingCard)
    parts.push(`:wastebasket: _${describeMissingCard(input.missingCard)}_`);
  return {
    type: "context",
    block_id: NUDGE_BLOCK_IDS.context,
    elements: [{ type: "mrkdwn", text: parts.join(" · "), verbatim: true }],
  };
}

function actionsBlock(input: NudgeInput): ActionsBlock {
  const first = input.owner ? "responded" : "claim";
  return {
    type: "actions",
    block_id: NUDGE_BLOCK_IDS.actions,
    elements: [
      buildThreadButton(first, input.threadId, "primary"),
      buildThreadButton("handOver", input.threadId),
    ],
  };
}
