/**
 * Every run of every SLA clock, rebuilt from a thread's event log with the same rules that
 * moved the clocks (thread-lifecycle's `clockEffects`), then judged against the breaches
 * recorded and the thread's clocks now. A thread row only keeps the latest run of each
 * clock; the log keeps them all (a next-response clock runs once per customer message).
 * Each run is credited to the department that held the thread when it was decided, the
 * department its breach (if any) is recorded under, so the two figures agree.
 */
import type { BusinessCalendar } from "../business-calendar-types.ts";
import {
  budgetFor,
  CLOCK_KINDS,
  type ClockKind,
  type ClockWindows,
  dueAt,
  isBreached,
  type SlaClock,
} from "../sla-clock.ts";
import { clockEffects, THREAD_ACTION_TYPES, type ThreadState } from "../thread-lifecycle.ts";
import type { FigureBreach, FigureEvent, FigureThread } from "./figures-input.ts";

/** How a run ended, as of `now`. */
export type RunOutcome = "met" | "breached" | "running" | "superseded";

/** One run of one clock. */
export interface ClockRun {
  threadId: string;
  kind: ClockKind;
  startedAt: Date;
  stoppedAt: Date | null;
  /**
   * The department the run counts for: the one that held the thread when the run was decided
   * (met: when it stopped; breached: when its deadline passed, as its breach is recorded;
   * still running: now). A lead answers for what their department held at that moment.
   */
  department: string;
  /** The department when the run started (its business hours measure the run's duration). */
  startedIn: string;
  /** Priority when the run started. */
  priority: string;
  outcome: RunOutcome;
}

interface Replay {
  department: string;
  priority: string;
  /** The thread's post kind, and the clocks it runs (every one when its kind is unknown). */
  kind: string;
  kindClocks: Readonly<Record<string, readonly ClockKind[]>>;
  state: ThreadState;
  answered: boolean;
  current: Map<ClockKind, ClockRun>;
  runs: ClockRun[];
}

const ACTIONS: ReadonlySet<string> = new Set(THREAD_ACTION_TYPES);
const OPENING_CLOCKS: readonly ClockKind[] = ["claim", "firstResponse", "resolution"];

/** The department a thread was in at each moment, from its events (sorted). */
export function departmentTimeline(
  events: readonly FigureEvent[],
): Array<{ at: Date; department: string }> {
  const timeline: Array<{ at: Date; department: string }> = [];
  for (const event of events) {
    const department = event.details.department;
    if (
      (event.kind === "thread.opened" || event.kind === "thread.hand_over_department") &&
      typeof department === "string"
    ) {
      timeline.push({ at: event.at, department });
    }
  }
  return timeline;
}

/** Where the thread was at `at`: the last move at or before it (the first one before any). */
export function departmentAt(
  timeline: ReadonlyArray<{ at: Date; department: string }>,
  at: Date,
  fallback: string,
): string {
  let found = timeline[0]?.department ?? fallback;
  for (const step of timeline) {
    if (step.at.getTime() > at.getTime()) break;
    found = step.department;
  }
  return found;
}

/**
 * The clock runs of one thread. `events` are the thread's own, oldest first. A run restarted
 * before it stopped (an unclaimed thread handed to another department) is "superseded": it
 * neither met nor breached its window, unless a breach was recorded for it.
 */
export function clockRunsOf(
  thread: FigureThread,
  events: readonly FigureEvent[],
  breaches: readonly FigureBreach[],
  windows: Readonly<Record<string, ClockWindows>>,
  calendars: Readonly<Record<string, BusinessCalendar | undefined>>,
  now: Date,
  kindClocks: Readonly<Record<string, readonly ClockKind[]>> = {},
): ClockRun[] {
  const replay: Replay = {
    department: thread.department,
    priority: thread.priority,
    kind: "complaint",
    kindClocks,
    state: "open",
    answered: false,
    current: new Map(),
    runs: [],
  };
  for (const event of events) applyEvent(replay, event, windows);
  const breached = new Map(
    breaches.map((b) => [runKey(b.threadId, b.clockKind, b.clockStartedAt), b]),
  );
  const clocksNow = new Map(thread.clocks.map((c) => [runKey(thread.id, c.kind, c.startedAt), c]));
  const timeline = departmentTimeline(events);
  const calendar = calendars[thread.department];
  for (const run of replay.runs) {
    const key = runKey(run.threadId, run.kind, run.startedAt);
    const judged = { breach: breached.get(key), clockNow: clocksNow.get(key), now, calendar };
    run.outcome = judge(run, judged);
    run.department = decidedIn(run, judged, (at) => departmentAt(timeline, at, thread.department));
  }
  return replay.runs;
}

/** What a run is judged on, besides its own replay. */
interface Judged {
  breach: FigureBreach | undefined;
  clockNow: SlaClock | undefined;
  now: Date;
  calendar: BusinessCalendar | undefined;
}

function judge(run: ClockRun, { breach, clockNow, now, calendar }: Judged): RunOutcome {
  if (breach) return "breached";
  if (clockNow && isBreached(clockNow, now, calendar)) return "breached";
  if (run.outcome === "superseded") return "superseded";
  return run.stoppedAt ? "met" : "running";
}

/**
 * The department a judged run counts for. A recorded breach names the department it was
 * recorded under (the one listed with the breach); a run over its window not yet recorded,
 * the one holding the thread at its deadline. A superseded run counts nowhere: it keeps
 * where it started.
 */
function decidedIn(
  run: ClockRun,
  { breach, clockNow, now, calendar }: Judged,
  departmentAtTime: (at: Date) => string,
): string {
  switch (run.outcome) {
    case "breached":
      if (breach) return breach.department;
      // Over its window, not yet swept: its deadline, or where it stopped when the clock
      // no longer says (a stopped clock has no due time).
      return departmentAtTime(
        clockNow?.breachedAt ?? (clockNow && dueAt(clockNow, calendar)) ?? run.stoppedAt ?? now,
      );
    case "met":
      return departmentAtTime(run.stoppedAt ?? now);
    case "running":
      return departmentAtTime(now);
    case "superseded":
      return run.startedIn;
  }
}

function runKey(threadId: string, kind: string, startedAt: Date): string {
  return `${threadId}|${kind}|${startedAt.getTime()}`;
}

function applyEvent(
  replay: Replay,
  event: FigureEvent,
  windows: Readonly<Record<string, ClockWindows>>,
) {
  const d = event.details;
  if (event.kind === "thread.opened") {
    if (typeof d.department === "string") replay.department = d.department;
    if (typeof d.priority === "string") replay.priority = d.priority;
    if (typeof d.kind === "string") replay.kind = d.kind;
    for (const kind of OPENING_CLOCKS) start(replay, event, kind, windows);
    return;
  }
  if (event.kind === "thread.kind_changed" && typeof d.to === "string") {
    changeKind(replay, event, d.to, windows);
    return;
  }
  if (event.kind === "thread.priority_raised" && typeof d.to === "string") {
    replay.priority = d.to;
    return;
  }
  const action = event.kind.startsWith("thread.") ? event.kind.slice("thread.".length) : "";
  if (!ACTIONS.has(action) || typeof d.from !== "string" || typeof d.to !== "string") return;
  if (action === "hand_over_department" && typeof d.department === "string")
    replay.department = d.department;
  replay.state = d.to as ThreadState;
  if (action === "respond") replay.answered = true;
  const effects = clockEffects(d.from as ThreadState, d.to as ThreadState, {
    type: action as (typeof THREAD_ACTION_TYPES)[number],
  });
  for (const effect of effects) {
    const kinds = effect.clock === "all" ? CLOCK_KINDS : [effect.clock];
    for (const kind of kinds) {
      if (effect.op === "start") start(replay, event, kind, windows);
      if (effect.op === "stop") stop(replay, event, kind);
    }
  }
}

function start(
  replay: Replay,
  event: FigureEvent,
  kind: ClockKind,
  windows: Readonly<Record<string, ClockWindows>>,
) {
  const window = windows[replay.priority];
  if (!window || budgetFor(kind, window) === undefined || !runsClock(replay, kind)) return;
  const previous = replay.current.get(kind);
  if (previous && previous.stoppedAt === null) previous.outcome = "superseded";
  const run: ClockRun = {
    threadId: event.threadId,
    kind,
    startedAt: event.at,
    stoppedAt: null,
    department: replay.department,
    startedIn: replay.department,
    priority: replay.priority,
    outcome: "running",
  };
  replay.current.set(kind, run);
  replay.runs.push(run);
}

function runsClock(replay: Replay, clock: ClockKind): boolean {
  return replay.kindClocks[replay.kind]?.includes(clock) ?? true;
}

const CLOSED: readonly ThreadState[] = ["resolved", "dismissed"];

/**
 * A kind change, as clocksForKindChange made it: clocks the new kind does not run are dropped
 * (neither met nor breached: superseded); those it adds start now, as far as the thread's
 * state still needs them.
 */
function changeKind(
  replay: Replay,
  event: FigureEvent,
  kind: string,
  windows: Readonly<Record<string, ClockWindows>>,
) {
  replay.kind = kind;
  for (const [clock, run] of replay.current) {
    if (!runsClock(replay, clock) && run.stoppedAt === null) run.outcome = "superseded";
  }
  if (CLOSED.includes(replay.state)) return;
  const needed: ClockKind[] = [
    ...(replay.state === "open" ? (["claim"] as const) : []),
    ...(replay.answered ? [] : (["firstResponse"] as const)),
    "resolution",
  ];
  for (const clock of needed) {
    // A clock the thread still has (running or stopped) goes on as it was; a dropped one restarts.
    const run = replay.current.get(clock);
    if (run === undefined || run.outcome === "superseded") start(replay, event, clock, windows);
  }
}

function stop(replay: Replay, event: FigureEvent, kind: ClockKind) {
  const run = replay.current.get(kind);
  if (run && run.stoppedAt === null && run.outcome !== "superseded") run.stoppedAt = event.at;
}
