/**
 * SLA clocks: one per kind of promise on a thread, each spending a budget of business time.
 * A clock runs, pauses (while the thread waits on the customer) and stops; consumed time is
 * folded into `consumedMs` whenever it stops running, so paused time never counts.
 */
import type { BusinessCalendar } from "./business-calendar-types.ts";
import { addBusinessTime, businessTimeBetween } from "./business-hours.ts";

/** The promises we keep on a thread, in the order cards list them. */
export const CLOCK_KINDS = ["claim", "firstResponse", "nextResponse", "resolution"] as const;
/** One of CLOCK_KINDS. */
export type ClockKind = (typeof CLOCK_KINDS)[number];

/**
 * One clock's state. Running: `runningSince` set. Paused: neither `runningSince` nor
 * `stoppedAt` set. Stopped: `stoppedAt` set.
 */
export interface SlaClock {
  kind: ClockKind;
  startedAt: Date;
  budgetMs: number;
  /** Business ms consumed before the current running stretch. */
  consumedMs: number;
  /** Start of the current running stretch; null when paused or stopped. */
  runningSince: Date | null;
  stoppedAt: Date | null;
  /** When the budget ran out, once a settle or stop has noticed it. */
  breachedAt?: Date | undefined;
}

/** What a thread transition does to its clocks; "all" means every clock the thread has. */
export interface ClockEffect {
  op: "start" | "stop" | "pause" | "resume";
  clock: ClockKind | "all";
}

/**
 * SLA windows for one priority, in ms; absent windows are not tracked. Config's `SlaWindows`
 * is an alias of this type.
 */
export interface ClockWindows {
  claimMs?: number | undefined;
  firstResponseMs: number;
  nextResponseMs?: number | undefined;
  resolutionMs?: number | undefined;
}

/** The budget configured for a kind of clock; undefined when that window is not tracked. */
export function budgetFor(kind: ClockKind, windows: ClockWindows): number | undefined {
  const budgets: Record<ClockKind, number | undefined> = {
    claim: windows.claimMs,
    firstResponse: windows.firstResponseMs,
    nextResponse: windows.nextResponseMs,
    resolution: windows.resolutionMs,
  };
  return budgets[kind];
}

function freshClock(kind: ClockKind, budgetMs: number, at: Date): SlaClock {
  return { kind, startedAt: at, budgetMs, consumedMs: 0, runningSince: at, stoppedAt: null };
}

/** The clocks a newly opened thread starts: claim, firstResponse and resolution, where configured. */
export function startClocks(openedAt: Date, windows: ClockWindows): SlaClock[] {
  const kinds: ClockKind[] = ["claim", "firstResponse", "resolution"];
  return kinds.flatMap((kind) => {
    const budget = budgetFor(kind, windows);
    return budget === undefined ? [] : [freshClock(kind, budget, openedAt)];
  });
}

/** True while the clock is spending its budget. */
export function isRunning(clock: SlaClock): boolean {
  return clock.runningSince !== null;
}

/** True when the clock has been paused and not stopped. */
export function isPaused(clock: SlaClock): boolean {
  return clock.runningSince === null && clock.stoppedAt === null;
}

/** Business ms the clock has consumed by `now`, counting its current running stretch. */
export function consumedMsAt(clock: SlaClock, now: Date, calendar?: BusinessCalendar): number {
  if (clock.runningSince === null) return clock.consumedMs;
  return clock.consumedMs + businessTimeBetween(clock.runningSince, now, calendar);
}

/**
 * Folds the running stretch up to `at` into `consumedMs` and records a breach it crossed.
 * The clock keeps running from `at`. Call it with the old calendar before a thread moves to a
 * department with different hours, so time already spent is measured in the hours it ran in.
 */
export function settleClock(clock: SlaClock, at: Date, calendar?: BusinessCalendar): SlaClock {
  if (clock.runningSince === null) return clock;
  const consumed = consumedMsAt(clock, at, calendar);
  const settled = { ...clock, consumedMs: consumed, runningSince: at };
  if (clock.breachedAt !== undefined || consumed < clock.budgetMs) return settled;
  const left = Math.max(0, clock.budgetMs - clock.consumedMs);
  return { ...settled, breachedAt: addBusinessTime(clock.runningSince, left, calendar) };
}

/** `settleClock` for every clock of a thread. */
export function settleClocks(
  clocks: readonly SlaClock[],
  at: Date,
  calendar?: BusinessCalendar,
): SlaClock[] {
  return clocks.map((clock) => settleClock(clock, at, calendar));
}

/**
 * Applies a transition's clock effects at `at`, in order. "start" (re)starts a clock with a
 * fresh budget from `windows`, replacing any earlier clock of that kind, and does nothing for
 * a window that is not configured; "pause" and "stop" settle first; "resume" only wakes
 * paused clocks, so stopped ones stay stopped.
 */
export function applyClockEffects(
  clocks: readonly SlaClock[],
  effects: readonly ClockEffect[],
  at: Date,
  calendar: BusinessCalendar | undefined,
  windows: ClockWindows,
): SlaClock[] {
  let next = [...clocks];
  for (const effect of effects) {
    const kinds = effect.clock === "all" ? CLOCK_KINDS : [effect.clock];
    if (effect.op === "start") {
      next = startKinds(next, kinds, at, windows);
      continue;
    }
    const op = effect.op;
    next = next.map((clock) =>
      kinds.includes(clock.kind) ? changeClock(clock, op, at, calendar) : clock,
    );
  }
  return next;
}

function startKinds(
  clocks: SlaClock[],
  kinds: readonly ClockKind[],
  at: Date,
  windows: ClockWindows,
): SlaClock[] {
  const started = kinds.flatMap((kind) => {
    const budget = budgetFor(kind, windows);
    return budget === undefined ? [] : [freshClock(kind, budget, at)];
  });
  const replaced = new Set(started.map((clock) => clock.kind));
  return [...clocks.filter((clock) => !replaced.has(clock.kind)), ...started].sort(
    (a, b) => CLOCK_KINDS.indexOf(a.kind) - CLOCK_KINDS.indexOf(b.kind),
  );
}

function changeClock(
  clock: SlaClock,
  op: "stop" | "pause" | "resume",
  at: Date,
  calendar: BusinessCalendar | undefined,
): SlaClock {
  if (op === "resume") return isPaused(clock) ? { ...clock, runningSince: at } : clock;
  if (clock.stoppedAt !== null) return clock;
  const settled = settleClock(clock, at, calendar);
  return op === "pause"
    ? { ...settled, runningSince: null }
    : { ...settled, runningSince: null, stoppedAt: at };
}

/**
 * The instant the clock breaches if it keeps running; null when paused or stopped.
 * For a running clock already over budget, the instant it went over (as far as it is known).
 */
export function dueAt(clock: SlaClock, calendar?: BusinessCalendar): Date | null {
  if (clock.runningSince === null) return null;
  const left = clock.budgetMs - clock.consumedMs;
  if (left <= 0) return clock.breachedAt ?? clock.runningSince;
  return addBusinessTime(clock.runningSince, left, calendar);
}

/** Business ms left at `now`; negative once overdue. */
export function remainingMs(clock: SlaClock, now: Date, calendar?: BusinessCalendar): number {
  return clock.budgetMs - consumedMsAt(clock, now, calendar);
}

/** Share of the budget consumed at `now`: 0 fresh, 1 due, above 1 overdue. */
export function fractionUsed(clock: SlaClock, now: Date, calendar?: BusinessCalendar): number {
  if (clock.budgetMs <= 0) return 1;
  return consumedMsAt(clock, now, calendar) / clock.budgetMs;
}

/**
 * True once the clock has consumed its whole budget by `now`. Reaching the budget exactly
 * counts as a breach, so a running clock is breached from `dueAt` on.
 */
export function isBreached(clock: SlaClock, now: Date, calendar?: BusinessCalendar): boolean {
  return clock.breachedAt !== undefined || consumedMsAt(clock, now, calendar) >= clock.budgetMs;
}

/** Records `breachedAt` on running clocks that are over budget at `now` (for the timer job). */
export function recordBreaches(
  clocks: readonly SlaClock[],
  now: Date,
  calendar?: BusinessCalendar,
): SlaClock[] {
  return clocks.map((clock) => {
    if (clock.runningSince === null || clock.breachedAt !== undefined) return clock;
    const due = dueAt(clock, calendar);
    return due !== null && due.getTime() <= now.getTime() ? { ...clock, breachedAt: due } : clock;
  });
}
