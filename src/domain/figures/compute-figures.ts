/**
 * computeFigures: the one place complaint and SLA figures are worked out. Rows in (see
 * figures-input.ts), figures out; time, time zone and calendars are parameters.
 */
import type { BusinessCalendar } from "../business-calendar-types.ts";
import { businessTimeBetween } from "../business-hours.ts";
import { CLOCK_KINDS, type ClockKind, dueAt, fractionUsed, isBreached } from "../sla-clock.ts";
import { formatLocalDate, localDateTimeOf } from "../zoned-time.ts";
import { type ClockRun, clockRunsOf, departmentAt, departmentTimeline } from "./clock-runs.ts";
import type {
  AtRiskThread,
  BreachItem,
  ComplianceRow,
  DepartmentVolume,
  Figures,
  Ranked,
  Tally,
  TimeStats,
} from "./figures.ts";
import type { FigureEvent, FiguresInput, FigureThread } from "./figures-input.ts";
import { nearestRank } from "./percentile.ts";

const CLOSED = new Set(["resolved", "dismissed"]);

interface Prepared {
  input: FiguresInput;
  inScope: (department: string) => boolean;
  inPeriod: (at: Date) => boolean;
  eventsByThread: Map<string, FigureEvent[]>;
  threadById: Map<string, FigureThread>;
  departmentOf: (threadId: string, at: Date) => string;
  /** Whether a thread's posts are kept off the desk (its kind is in offDeskKinds). */
  offDesk: (threadId: string) => boolean;
  runs: ClockRun[];
}

/** Computes every figure for the period, departments and time zone in `input`. */
export function computeFigures(input: FiguresInput): Figures {
  const p = prepare(input);
  const departments = departmentList(p);
  const atRiskThreads = findAtRisk(p);
  const breaches = breachesIn(p);
  const runs = p.runs.filter((r) => p.inPeriod(r.startedAt) && p.inScope(r.department));
  const openedAll = eventsIn(p, "thread.opened");
  // Threads as complaints are counted: on the desk. Praise kept off it is counted apart, but
  // is routed like the rest, so the routing figures below take every opened thread.
  const opened = openedAll.filter((e) => !p.offDesk(e.threadId));
  const received = input.complaints.filter(
    (c) => p.inPeriod(c.receivedAt) && p.inScope(p.departmentOf(c.threadId, c.receivedAt)),
  );
  const complaints = received.filter((c) => !p.offDesk(c.threadId));
  const offDesk = received.filter((c) => p.offDesk(c.threadId));
  const openThreads = input.threads.filter(
    (t) => !CLOSED.has(t.state) && p.inScope(t.department) && !p.offDesk(t.id),
  );
  return {
    from: input.from,
    to: input.to,
    now: input.now,
    timezone: input.timezone,
    departments,
    complaints: complaints.length,
    offDesk: {
      total: offDesk.length,
      byKind: rank(offDesk.map((c) => p.threadById.get(c.threadId)?.postKind ?? "complaint")),
    },
    threadsOpened: opened.length,
    reopened: reopenings(p).length,
    openNow: openThreads.length,
    atRisk: atRiskThreads.length,
    overdue: atRiskThreads.filter((t) => t.overdue).length,
    atRiskThreads,
    byDepartment: departments.map((department) =>
      departmentVolume(p, department, {
        complaints,
        opened,
        openThreads,
        atRiskThreads,
        breaches,
        runs,
      }),
    ),
    compliance: complianceOf(runs),
    timeToClaim: timeStats(p, runs, "claim"),
    timeToFirstResponse: timeStats(p, runs, "firstResponse"),
    breaches,
    routingRules: rank(openedAll.map((e) => stringOr(e.details.rule, "(default)"))),
    priorityReasons: rank(openedAll.flatMap((e) => stringsOf(e.details.priorityReasons))),
    handOvers: handOversOf(p),
    dismissals: dismissalsOf(p),
    daily: dailyOf(p, complaints, opened, breaches),
    campaigns: campaignsOf(p),
  };
}

function prepare(input: FiguresInput): Prepared {
  const scope = input.departments ? new Set(input.departments) : null;
  const eventsByThread = groupBy(input.events, (e) => e.threadId);
  for (const list of eventsByThread.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime());
  const threadById = new Map(input.threads.map((t) => [t.id, t]));
  const timelines = new Map(
    [...eventsByThread].map(([id, events]) => [id, departmentTimeline(events)]),
  );
  const departmentOf = (threadId: string, at: Date) =>
    departmentAt(timelines.get(threadId) ?? [], at, threadById.get(threadId)?.department ?? "");
  const breachesByThread = groupBy(input.breaches, (b) => b.threadId);
  const offDeskKinds = new Set(input.offDeskKinds ?? []);
  const runs = input.threads.flatMap((thread) =>
    clockRunsOf(
      thread,
      eventsByThread.get(thread.id) ?? [],
      breachesByThread.get(thread.id) ?? [],
      input.windows,
      input.calendars,
      input.now,
      input.kindClocks,
    ),
  );
  return {
    input,
    inScope: (department) => scope === null || scope.has(department),
    inPeriod: (at) => at >= input.from && at < input.to,
    eventsByThread,
    threadById,
    departmentOf,
    offDesk: (threadId) => offDeskKinds.has(threadById.get(threadId)?.postKind ?? "complaint"),
    runs,
  };
}

/** The departments asked for, or every department the rows mention. */
function departmentList(p: Prepared): string[] {
  if (p.input.departments) return [...p.input.departments];
  const seen = new Set<string>();
  for (const t of p.input.threads) seen.add(t.department);
  for (const e of p.input.events) {
    if (typeof e.details.department === "string") seen.add(e.details.department);
  }
  return [...seen].sort();
}

/** Events of a kind in the period, counted in the department the thread was in then. */
function eventsIn(p: Prepared, kind: string): FigureEvent[] {
  return p.input.events.filter(
    (e) => e.kind === kind && p.inPeriod(e.at) && p.inScope(p.departmentOf(e.threadId, e.at)),
  );
}

function reopenings(p: Prepared): FigureEvent[] {
  return p.input.events.filter(
    (e) =>
      e.kind.startsWith("thread.") &&
      (e.details.from === "resolved" || e.details.from === "dismissed") &&
      e.details.to === "open" &&
      p.inPeriod(e.at) &&
      p.inScope(p.departmentOf(e.threadId, e.at)),
  );
}

function findAtRisk(p: Prepared): AtRiskThread[] {
  const { now, firstWarningAt, calendars } = p.input;
  const found: AtRiskThread[] = [];
  for (const thread of p.input.threads) {
    if (CLOSED.has(thread.state) || !p.inScope(thread.department)) continue;
    const calendar = calendars[thread.department];
    const running = thread.clocks
      .filter((c) => c.runningSince !== null)
      .map((clock) => ({ clock, used: fractionUsed(clock, now, calendar) }))
      .filter((c) => c.used >= firstWarningAt || isBreached(c.clock, now, calendar))
      .sort((a, b) => b.used - a.used);
    const worst = running[0];
    if (!worst) continue;
    found.push({
      threadId: thread.id,
      department: thread.department,
      priority: thread.priority,
      owner: thread.owner,
      clock: worst.clock.kind,
      dueAt: dueAt(worst.clock, calendar),
      used: worst.used,
      overdue: isBreached(worst.clock, now, calendar),
      slackChannel: thread.slackChannel,
      slackTs: thread.slackTs,
    });
  }
  return found.sort((a, b) => b.used - a.used);
}

function breachesIn(p: Prepared): BreachItem[] {
  return p.input.breaches
    .filter((b) => p.inPeriod(b.dueAt) && p.inScope(b.department))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .map((b) => {
      const thread = p.threadById.get(b.threadId);
      return {
        threadId: b.threadId,
        clock: b.clockKind,
        department: b.department,
        priority: b.priority,
        dueAt: b.dueAt,
        slackChannel: thread?.slackChannel ?? null,
        slackTs: thread?.slackTs ?? null,
      };
    });
}

function emptyTally(): Tally {
  return { met: 0, breached: 0, running: 0, compliance: null };
}

function count(tally: Tally, run: ClockRun): void {
  if (run.outcome === "met") tally.met += 1;
  if (run.outcome === "breached") tally.breached += 1;
  if (run.outcome === "running") tally.running += 1;
  const finished = tally.met + tally.breached;
  tally.compliance = finished === 0 ? null : tally.met / finished;
}

function tallyOf(runs: readonly ClockRun[]): Tally {
  const tally = emptyTally();
  for (const run of runs) count(tally, run);
  return tally;
}

function complianceOf(runs: readonly ClockRun[]): Figures["compliance"] {
  const counted = runs.filter((r) => r.outcome !== "superseded");
  const byClock = Object.fromEntries(
    CLOCK_KINDS.map((kind) => [kind, tallyOf(counted.filter((r) => r.kind === kind))]),
  ) as Record<ClockKind, Tally>;
  const rows = new Map<string, ComplianceRow>();
  for (const run of counted) {
    const key = `${run.department}|${run.priority}|${run.kind}`;
    const row = rows.get(key) ?? {
      department: run.department,
      priority: run.priority,
      clock: run.kind,
      ...emptyTally(),
    };
    count(row, run);
    rows.set(key, row);
  }
  const order = (r: ComplianceRow) =>
    `${r.department}|${r.priority}|${CLOCK_KINDS.indexOf(r.clock)}`;
  return {
    byClock,
    overall: tallyOf(counted),
    rows: [...rows.values()].sort((a, b) => order(a).localeCompare(order(b))),
  };
}

/** Time from a run's start to its stop, in its department's business hours when it has any. */
function timeStats(p: Prepared, runs: readonly ClockRun[], kind: ClockKind): TimeStats {
  const ofKind = runs.filter((r) => r.kind === kind && r.outcome !== "superseded");
  const stopped = ofKind.filter((r) => r.stoppedAt !== null);
  const calendarOf = (r: ClockRun): BusinessCalendar | undefined => p.input.calendars[r.startedIn];
  const durations = stopped.map((r) =>
    businessTimeBetween(r.startedAt, r.stoppedAt as Date, calendarOf(r)),
  );
  const withCalendar = stopped.filter((r) => calendarOf(r) !== undefined).length;
  return {
    count: stopped.length,
    medianMs: nearestRank(durations, 50),
    p90Ms: nearestRank(durations, 90),
    waiting: ofKind.length - stopped.length,
    measuredIn:
      withCalendar === 0 ? "clock" : withCalendar === stopped.length ? "business" : "mixed",
  };
}

function departmentVolume(
  p: Prepared,
  department: string,
  data: {
    complaints: FiguresInput["complaints"];
    opened: FigureEvent[];
    openThreads: FigureThread[];
    atRiskThreads: AtRiskThread[];
    breaches: BreachItem[];
    runs: ClockRun[];
  },
): DepartmentVolume {
  const here = (threadId: string, at: Date) => p.departmentOf(threadId, at) === department;
  const atRisk = data.atRiskThreads.filter((t) => t.department === department);
  const open = data.openThreads.filter((t) => t.department === department);
  return {
    department,
    complaints: data.complaints.filter((c) => here(c.threadId, c.receivedAt)).length,
    threadsOpened: data.opened.filter((e) => here(e.threadId, e.at)).length,
    openNow: open.length,
    openByState: tallyBy(open, (t) => t.state),
    openByPriority: tallyBy(open, (t) => t.priority),
    atRisk: atRisk.length,
    overdue: atRisk.filter((t) => t.overdue).length,
    breaches: data.breaches.filter((b) => b.department === department).length,
    compliance: tallyOf(
      data.runs.filter((r) => r.department === department && r.outcome !== "superseded"),
    ),
  };
}

function handOversOf(p: Prepared): Figures["handOvers"] {
  const moves = p.input.events.filter(
    (e) =>
      e.kind === "thread.hand_over_department" &&
      p.inPeriod(e.at) &&
      (p.inScope(stringOr(e.details.previousDepartment, "")) ||
        p.inScope(stringOr(e.details.department, ""))),
  );
  const routes = new Map<string, { from: string; to: string; count: number }>();
  for (const move of moves) {
    const from = stringOr(move.details.previousDepartment, "?");
    const to = stringOr(move.details.department, "?");
    const route = routes.get(`${from}>${to}`) ?? { from, to, count: 0 };
    route.count += 1;
    routes.set(`${from}>${to}`, route);
  }
  const sorted = [...routes.values()].sort(
    (a, b) => b.count - a.count || `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`),
  );
  return { total: moves.length, routes: sorted };
}

function dismissalsOf(p: Prepared): Figures["dismissals"] {
  const dismissed = eventsIn(p, "thread.dismiss");
  return {
    total: dismissed.length,
    byReason: rank(dismissed.map((e) => stringOr(e.details.reason, "(none)"))),
  };
}

function dailyOf(
  p: Prepared,
  complaints: FiguresInput["complaints"],
  opened: FigureEvent[],
  breaches: BreachItem[],
): Figures["daily"] {
  const days = new Map<
    string,
    { date: string; complaints: number; threadsOpened: number; breaches: number }
  >();
  const day = (at: Date) => {
    const date = formatLocalDate(localDateTimeOf(at, p.input.timezone).date);
    const entry = days.get(date) ?? { date, complaints: 0, threadsOpened: 0, breaches: 0 };
    days.set(date, entry);
    return entry;
  };
  for (const c of complaints) day(c.receivedAt).complaints += 1;
  for (const e of opened) day(e.at).threadsOpened += 1;
  for (const b of breaches) day(b.dueAt).breaches += 1;
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

function campaignsOf(p: Prepared): Figures["campaigns"] {
  return (p.input.campaigns ?? [])
    .map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      complaints: campaign.linkedComplaints.filter(
        (c) => p.inPeriod(c.receivedAt) && p.inScope(p.departmentOf(c.threadId, c.receivedAt)),
      ).length,
    }))
    .filter((c) => c.complaints > 0)
    .sort((a, b) => b.complaints - a.complaints || a.name.localeCompare(b.name));
}

function tallyBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  return groups;
}

/** Counts labels, most frequent first (ties alphabetically). */
function rank(labels: readonly string[]): Ranked[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts]
    .map(([label, n]) => ({ label, count: n }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}
