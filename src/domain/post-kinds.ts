/**
 * What kind of post a thread is: a complaint, a question, praise or something else. The kind
 * decides which SLA clocks the thread runs and where it is shown (a card on the department's
 * desk, a note in a channel such as #kudos, or a daily roll-up), through the kind's profile.
 * Kinds are decided by rules in the workspace file, first match wins, like routing.
 */

import type { BusinessCalendar } from "./business-calendar-types.ts";
import type { ComplaintFacts, MatchConditions } from "./complaint.ts";
import {
  consultModel,
  describeLearned,
  formatConfidence,
  type LearnedFallback,
} from "./learned-routing.ts";
import { explainMatch, matchConditions } from "./match-conditions.ts";
import {
  applyClockEffects,
  type ClockKind,
  type ClockWindows,
  type SlaClock,
} from "./sla-clock.ts";
import type { ThreadState } from "./thread-lifecycle.ts";

/** The kinds of post, most in need of an answer first. */
export const POST_KINDS = ["complaint", "question", "praise", "other"] as const;
/** One of POST_KINDS. */
export type PostKind = (typeof POST_KINDS)[number];

/** A rule giving matching posts a kind. */
export interface KindRule {
  name: string;
  kind: PostKind;
  match: MatchConditions;
}

/** The kind rules, in order, and the kind of a post none matches. */
export interface KindPolicy {
  rules: KindRule[];
  defaultKind: PostKind;
}

/** Where a kind's posts are shown. */
export type KindDelivery =
  /** A card on the department's desk, with buttons (the default). */
  | { to: "card" }
  /** A note in a channel of its own (e.g. #kudos), one per post, as it arrives. */
  | { to: "channel"; channel: string }
  /** Listed in a channel on a schedule: daily at a local time ("17:00"), or on cron fields. */
  | { to: "rollup"; channel: string; at: string; timezone: string };

/** How a kind is handled: which SLA clocks its threads run, and where they are shown. */
export interface KindProfile {
  clocks: readonly ClockKind[];
  delivery: KindDelivery;
}

/** Why a post has its kind, kept on the thread and shown on the card. */
export interface KindDecision {
  kind: PostKind;
  /** The matching rule, or null for the default or the model. */
  rule: string | null;
  reason: string;
}

/** Posts listed per roll-up message: Slack allows 50 blocks a message, and each post takes one. */
export const ROLLUP_PAGE_SIZE = 20;

/** Messages per roll-up at most: 200 posts listed one by one; beyond, counted. */
export const MAX_ROLLUP_PAGES = 10;

/** How many messages a roll-up of `total` posts takes: a page each, at least one. */
export function rollupPageCount(total: number): number {
  return Math.min(MAX_ROLLUP_PAGES, Math.max(1, Math.ceil(total / ROLLUP_PAGE_SIZE)));
}

/** The reason recorded when no kind rule matched. */
export const DEFAULT_KIND_REASON = "no kind rule matched; default kind";

/** The profiles used for kinds a workspace file does not describe: every post on the desk. */
export const DEFAULT_KIND_PROFILES: Readonly<Record<PostKind, KindProfile>> = {
  complaint: {
    clocks: ["claim", "firstResponse", "nextResponse", "resolution"],
    delivery: { to: "card" },
  },
  question: { clocks: ["claim", "firstResponse"], delivery: { to: "card" } },
  praise: { clocks: [], delivery: { to: "card" } },
  other: { clocks: [], delivery: { to: "card" } },
};

/** True for a known kind name. */
export function isPostKind(value: unknown): value is PostKind {
  return typeof value === "string" && (POST_KINDS as readonly string[]).includes(value);
}

/**
 * Decides a post's kind: the first matching rule; where none matched, the learned model's
 * kind when it is sure enough; else the default kind.
 */
export function classifyPost(
  facts: ComplaintFacts,
  policy: KindPolicy,
  fallback?: LearnedFallback,
): KindDecision {
  for (const rule of policy.rules) {
    const { matched, because } = matchConditions(facts, rule.match);
    if (matched) {
      return {
        kind: rule.kind,
        rule: rule.name,
        reason: `rule "${rule.name}": ${explainMatch(because)}`,
      };
    }
  }
  const byDefault = { kind: policy.defaultKind, rule: null, reason: DEFAULT_KIND_REASON };
  if (!fallback) return byDefault;
  const { follow, guess } = consultModel(fallback, facts.text);
  if (follow && isPostKind(follow.label)) {
    return {
      kind: follow.label,
      rule: null,
      reason: describeLearned(follow, fallback.model.version),
    };
  }
  const note = `model v${fallback.model.version} guessed ${guess.label} ${formatConfidence(guess.confidence)}`;
  return { ...byDefault, reason: `${DEFAULT_KIND_REASON} (${note})` };
}

/** How much a kind asks of the desk: complaint 2, question 1, praise and other 0. */
export function deskWeight(kind: PostKind): number {
  return kind === "complaint" ? 2 : kind === "question" ? 1 : 0;
}

/**
 * The clock that times the answer to a customer's new message, once they were answered or
 * their thread was closed: next response where the kind runs it and has a window for it;
 * else (a question runs only claim and first response) a fresh first response, as a help desk
 * times a customer's reply to a solved or pending ticket, or the owner would have nothing
 * due. Undefined for a kind that times no answer (praise).
 */
export function answerClock(profile: KindProfile, windows: ClockWindows): ClockKind | undefined {
  if (profile.clocks.includes("nextResponse") && windows.nextResponseMs !== undefined)
    return "nextResponse";
  return profile.clocks.includes("firstResponse") ? "firstResponse" : undefined;
}

/** The clocks a thread of this profile may run: the others are dropped. */
export function keepProfileClocks(clocks: readonly SlaClock[], profile: KindProfile): SlaClock[] {
  return clocks.filter((clock) => profile.clocks.includes(clock.kind));
}

const CLOSED: readonly ThreadState[] = ["resolved", "dismissed"];

/**
 * A thread's clocks after its kind changes to `profile`'s, at `at`. Clocks the new kind does
 * not run are dropped; those it shares keep running as they were (time already spent still
 * counts). Clocks it adds start now, as far as the thread's state still needs them: claim
 * while nobody owns it, first response until someone has answered, resolution until it is
 * closed. A thread waiting on the customer gets them paused; a closed one gets none.
 */
export function clocksForKindChange(
  clocks: readonly SlaClock[],
  profile: KindProfile,
  thread: { state: ThreadState; answered: boolean },
  at: Date,
  calendar: BusinessCalendar | undefined,
  windows: ClockWindows,
): SlaClock[] {
  const kept = keepProfileClocks(clocks, profile);
  if (CLOSED.includes(thread.state)) return kept;
  const have = new Set(kept.map((c) => c.kind));
  const wanted: ClockKind[] = [];
  if (thread.state === "open") wanted.push("claim");
  if (!thread.answered) wanted.push("firstResponse");
  wanted.push("resolution");
  const starts = wanted
    .filter((kind) => profile.clocks.includes(kind) && !have.has(kind))
    .map((kind) => ({ op: "start" as const, clock: kind }));
  const started = applyClockEffects(kept, starts, at, calendar, windows);
  if (thread.state !== "waiting_on_customer") return started;
  return applyClockEffects(
    started,
    starts.map((s) => ({ op: "pause" as const, clock: s.clock })),
    at,
    calendar,
    windows,
  );
}
