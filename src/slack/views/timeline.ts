import type { KnownBlock, SectionBlock } from "@slack/types";
import type { ClockKind } from "../../domain/sla-clock.ts";
import type { DismissReason } from "../../domain/thread-lifecycle.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { CLOCK_LABELS, describeWhen, formatDay, formatTime } from "./due-line.ts";
import { TIMELINE_BLOCK_IDS } from "./ids.ts";
import { escapeAndTruncate, linkMrkdwn, oneLine, userMention } from "./mrkdwn.ts";

/** One row of a thread's history (thread_events). */
export interface TimelineEvent {
  at: Date;
  /** "slack:U123", "intake:token#1", "intake" or "system". */
  actor: string;
  /** "thread.opened", "claim", "hand_over_department", "breach", … */
  kind: string;
  details: Record<string, unknown>;
}

/** Options for `buildTimeline`. */
export interface TimelineOptions {
  /** Department names by key, so "handed over to bookings" reads "handed over to Bookings". */
  departmentNames?: Readonly<Record<string, string>> | undefined;
  /** The zone the timeline's times are in, for deadlines named in a line ("claim due 11:10"). */
  timezone?: string | undefined;
}

/**
 * Most events shown, and most characters in all: 50 blocks less the header and the note of
 * what was left out, and under the ~13k characters at which Slack has been seen refusing a
 * message's blocks (`msg_blocks_too_long`).
 */
const MAX_EVENTS = 48;
const MAX_TOTAL = 11_000;
const LIMIT = { note: 300, value: 80 } as const;

/**
 * A thread's history in words, oldest first, one block per event: "14:02 <@U1> claimed it",
 * "14:10 handed over to Bookings by <@U1>: note". Times are in `timezone`, with the date
 * whenever it changes. When the history is too long, the latest events are kept and the
 * number left out is said. Pure.
 */
export function buildTimeline(
  events: readonly TimelineEvent[],
  timezone: string,
  given: TimelineOptions = {},
): SlackMessage {
  const header = `*Timeline* · times in ${escapeAndTruncate(timezone, LIMIT.value)}`;
  const options = { ...given, timezone };
  const chronological = [...events].sort((a, b) => time(a.at) - time(b.at));
  const ordered = foldHeld(chronological).filter((e) => describeEvent(e, options) !== "");
  if (ordered.length === 0) {
    const text = "Nothing has happened to this thread yet.";
    return { text, blocks: [section(TIMELINE_BLOCK_IDS.header, `${header}\n${text}`)] };
  }
  const kept = latestWithinBudget(ordered, timezone, options);
  const blocks: KnownBlock[] = [section(TIMELINE_BLOCK_IDS.header, header)];
  const omitted = ordered.length - kept.length;
  if (omitted > 0) {
    const noun = omitted === 1 ? "earlier event" : "earlier events";
    blocks.push(
      section(
        TIMELINE_BLOCK_IDS.omitted,
        `_${omitted.toLocaleString("en-US")} ${noun} not shown._`,
      ),
    );
  }
  kept.forEach((line, index) => {
    blocks.push(section(`${TIMELINE_BLOCK_IDS.eventPrefix}${index}`, line));
  });
  const count = ordered.length.toLocaleString("en-US");
  return { text: `Timeline of this thread (${count} ${plural(ordered.length)})`, blocks };
}

/**
 * A warning, breach notice or escalation held while the thread waited on the customer
 * (`sla.held`) is told on the step it held ("…, held while waiting on the customer"), not as a
 * line of its own, so the step reads once as held and, when the customer wrote, once as sent.
 */
function foldHeld(events: readonly TimelineEvent[]): TimelineEvent[] {
  const folded = [...events];
  events.forEach((event, index) => {
    if (event.kind !== "sla.held") return;
    const stepKind = `sla.${String(event.details.step)}`;
    for (let i = index - 1; i >= 0; i--) {
      const step = folded[i];
      if (step?.kind !== stepKind || step.details.key !== event.details.key) continue;
      folded[i] = { ...step, details: { ...step.details, held: true } };
      break;
    }
  });
  return folded;
}

/** Lines for the latest events that fit, oldest first; each starts with its date if new. */
function latestWithinBudget(
  ordered: readonly TimelineEvent[],
  timezone: string,
  options: TimelineOptions,
): string[] {
  let start = ordered.length;
  let total = 0;
  while (start > 0 && ordered.length - start < MAX_EVENTS) {
    const event = ordered[start - 1];
    if (!event) break;
    // Budget each line as if it carried a date, which it may once earlier ones are dropped.
    const size = describeEvent(event, options).length + 40;
    if (total + size > MAX_TOTAL) break;
    total += size;
    start -= 1;
  }
  let previousDay = "";
  return ordered.slice(start).map((event) => {
    const day = validDate(event.at) ? formatDay(event.at, timezone) : "";
    const clock = validDate(event.at) ? formatTime(event.at, timezone) : "--:--";
    const stamp = day !== previousDay && day ? `*${day}* ${clock}` : clock;
    previousDay = day;
    return `${stamp} ${describeEvent(event, options)}`;
  });
}

/** One event in words, without its time: "<@U1> claimed it", "priority raised P3 → P1". */
export function describeEvent(event: TimelineEvent, options: TimelineOptions = {}): string {
  const d = event.details;
  const actor = describeActor(event.actor);
  const person = isPerson(event.actor) ? actor : undefined;
  const by = person ? ` by ${person}` : "";
  const note = noteOf(d);
  const kind = event.kind.replace(/^(thread|sla)\./, "");
  // Every part is bounded (notes 300, values 80, links by linkMrkdwn), so lines need no cut.
  return (() => {
    switch (kind) {
      case "opened": {
        const where = d.department ? ` in ${department(d.department, options)}` : "";
        const level = d.priority ? ` as ${text(d.priority)}` : "";
        const kind = d.kind && d.kind !== "complaint" ? ` ${text(d.kind)}` : "";
        return `opened${where}${level}${kind}`;
      }
      case "follow_up":
        return "the customer wrote again";
      case "opening_post_arrived":
        return "the post the conversation started with arrived, after a reply in it: now on the card";
      case "kind_changed":
        // A person's change names them; the system's says why (a follow-up's kind rule).
        return person
          ? `marked ${text(d.to)} (was ${text(d.from)})${by}`
          : `marked ${text(d.to)} (was ${text(d.from)}): ${escapeAndTruncate(oneLine(String(d.reason ?? "")), LIMIT.note)}`;
      case "priority_raised":
        return `priority raised ${text(d.from)} → ${text(d.to)}`;
      case "claim":
      case "claimed":
        return person ? `${person} claimed it` : `claimed by ${owner(d.owner)}`;
      case "hand_over_person":
      case "handed_over_person":
        return `handed over to ${owner(d.owner ?? d.to)}${by}${note}`;
      case "hand_over_department":
      case "handed_over_department":
        return `handed over to ${department(d.department ?? d.to, options)}${by}${note}`;
      case "respond":
      case "responded":
        return `${describeReply(d.reply)}${by}`;
      case "wait_on_customer":
      case "waiting_on_customer":
        return person ? `${person} set it waiting on the customer` : "waiting on the customer";
      case "customer_replied":
        return describeCustomerReplied(d);
      case "resolve":
      case "resolved":
        return `resolved${by}${note}`;
      case "dismiss":
      case "dismissed":
        return `dismissed as ${reason(d.reason)}${by}${note}`;
      case "reopen":
      case "reopened":
        return `reopened${by}${note}`;
      case "return_to_owner":
        return `back to ${owner(d.owner)}, its owner before it was reopened (${standing(d, options)})`;
      case "kept_dismissed":
        return "not reopened: it was dismissed as spam";
      case "owner_not_returned":
        return `left open: ${owner(d.owner)}, its owner before, is no longer in ${department(d.department, options)}${claimDue(event, options)}`;
      case "breach":
      case "breached":
        if (d.held) return `breach: ${clock(d)}, its notice held while waiting on the customer`;
        if (d.resent) return `breach notice sent: ${clock(d)} (held while waiting on the customer)`;
        return `breach: ${clock(d)}`;
      case "warning":
      case "nudge":
        if (d.held) return `warning: ${clock(d)} due soon, held while waiting on the customer`;
        if (d.resent)
          return `warning sent: ${clock(d)} due soon (held while waiting on the customer)`;
        return `warning: ${clock(d)} due soon`;
      case "held":
        // Told on the step it held (foldHeld).
        return "";
      case "escalation":
      case "escalated":
        if (d.held) return `escalated: ${clock(d)} overdue, held while waiting on the customer`;
        if (d.resent)
          return `escalation sent: ${clock(d)} overdue (held while waiting on the customer)`;
        return `escalated: ${clock(d)} overdue`;
      default:
        return `${escapeAndTruncate(oneLine(kind.replaceAll("_", " ")), LIMIT.value)}${by}${note}`;
    }
  })();
}

/**
 * What a customer's new message did to the thread. The "wrote again" line beside it already
 * says they wrote, so one that changed nothing is not shown ("" is left out of the timeline).
 */
function describeCustomerReplied(d: Record<string, unknown>): string {
  if (d.from === undefined) return "the customer replied";
  if (d.from === d.to) return "";
  if (d.from === "resolved" || d.from === "dismissed") return "reopened";
  if (d.from === "waiting_on_customer") return "no longer waiting on the customer";
  return "a next response is due";
}

/** Who did it: a Slack user as a mention, the intake API by token name, else Switchboard. */
function describeActor(actor: string): string {
  if (actor.startsWith("slack:")) return userMention(actor.slice("slack:".length));
  if (actor === "intake") return "intake";
  if (actor.startsWith("intake:")) {
    return `intake (${escapeAndTruncate(oneLine(actor.slice("intake:".length)), LIMIT.value)})`;
  }
  if (actor === "system") return "Switchboard";
  return escapeAndTruncate(oneLine(actor), LIMIT.value);
}

function isPerson(actor: string): boolean {
  return actor.startsWith("slack:");
}

function describeReply(reply: unknown): string {
  if (reply === "private") return "responded privately";
  if (typeof reply === "string" && reply) {
    return `responded publicly (${linkMrkdwn(reply, "the reply")})`;
  }
  return "responded";
}

function reason(value: unknown): string {
  const known: Record<DismissReason, string> = {
    spam: "spam",
    duplicate: "a duplicate",
    not_ours: "not ours",
    no_response_needed: "no response needed",
  };
  return typeof value === "string" && value in known
    ? known[value as DismissReason]
    : text(value).replaceAll("_", " ");
}

function clock(details: Record<string, unknown>): string {
  const kind = details.clock ?? details.clockKind;
  const label = typeof kind === "string" ? CLOCK_LABELS[kind as ClockKind] : undefined;
  return label ? label.toLowerCase() : text(kind);
}

/** "; claim due 11:10" when the event says when its claim clock runs out. */
function claimDue(event: TimelineEvent, options: TimelineOptions): string {
  const due =
    typeof event.details.claimDueAt === "string" ? new Date(event.details.claimDueAt) : null;
  if (!due || !validDate(due) || !validDate(event.at)) return "";
  return `; claim due ${describeWhen(due, event.at, options.timezone ?? "UTC")}`;
}

/** Why a returned owner could still work the thread; "member" in events that do not say. */
function standing(d: Record<string, unknown>, options: TimelineOptions): string {
  const name = department(d.department, options);
  if (d.as === "admin") return "an admin";
  if (d.as === "lead") return `a lead of ${name}`;
  return `still in ${name}`;
}

function owner(value: unknown): string {
  return typeof value === "string" && value ? userMention(value) : "someone";
}

function department(value: unknown, options: TimelineOptions): string {
  const key = typeof value === "string" ? value : "";
  const name = options.departmentNames?.[key] ?? key;
  return name ? escapeAndTruncate(oneLine(name), LIMIT.value) : "another department";
}

function noteOf(details: Record<string, unknown>): string {
  const note = details.note;
  if (typeof note !== "string" || note.trim() === "") return "";
  return `: ${escapeAndTruncate(oneLine(note), LIMIT.note)}`;
}

/** A detail shown as escaped, one-line, short text; "?" when missing. */
function text(value: unknown): string {
  if (typeof value !== "string" && typeof value !== "number") return "?";
  return escapeAndTruncate(oneLine(String(value)), LIMIT.value) || "?";
}

function plural(count: number): string {
  return count === 1 ? "event" : "events";
}

function time(date: Date): number {
  const ms = date.getTime();
  return Number.isFinite(ms) ? ms : 0;
}

function validDate(date: Date): boolean {
  return Number.isFinite(date.getTime());
}

function section(blockId: string, text: string): SectionBlock {
  return { type: "section", block_id: blockId, text: { type: "mrkdwn", text, verbatim: true } };
}
