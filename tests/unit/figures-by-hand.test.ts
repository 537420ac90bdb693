import { describe, expect, it } from "vitest";
import { computeFigures } from "../../src/domain/figures/compute-figures.ts";
import type {
  FigureEvent,
  FiguresInput,
  FigureThread,
} from "../../src/domain/figures/figures-input.ts";
import type { SlaClock } from "../../src/domain/sla-clock.ts";
import { london } from "../helpers/calendars.ts";

/*
 * Two days of history, with every figure below worked out by hand (not by calling the figures
 * module). Times are UTC; the report is for Helsinki (UTC+2), so 22:30 UTC on Monday is
 * Tuesday there. The period is Monday 00:00 up to (not including) Tuesday 12:00, which is
 * also "now". Baggage keeps London office hours (09:00–17:00, UTC in winter); service and pr
 * run around the clock. P3: claim 1 h, first response 4 h, next response 2 h, no resolution
 * window. P1: claim 15 min, first response 1 h, resolution 4 h.
 *
 *   T0 service P3  opened Sunday 18:00, answered 22:30 (first response breached 22:00, before
 *                  the period), resolved 23:30; the customer wrote again Monday 00:00 (reopened),
 *                  claimed 00:30 (30 min), answered 01:00 (next response, 60 min), resolved.
 *   T1 service P3  opened Mon 09:00, claimed 09:30 (30 min), answered 10:00 (60 min).
 *   T2 service P1  opened Mon 22:30, never claimed: claim, first response and resolution
 *                  breached (22:45, 23:30, Tue 02:30). At risk and overdue (claim: 54 windows).
 *   T3 baggage P3  opened Mon 16:40, claimed Tue 09:10 (30 min of office hours), dismissed as a
 *                  duplicate 09:30 (first response stopped after 50 office minutes).
 *   T4 service P3  opened Tue 11:20: at risk (claim 40 of 60 min used), not overdue.
 *   T5 service P3  opened Tue 12:00: after the period; open now, not at risk.
 *   T6 pr P3       opened Mon 10:00, handed to baggage 10:20 and to service 10:40 (each restart
 *                  supersedes the claim run before it), claimed 11:00 (20 min), dismissed as
 *                  spam 11:10 (first response, started in pr and measured there, 70 min; it
 *                  counts for service, which held the thread when it stopped). A second
 *                  complaint at 10:30, while in baggage.
 *   T7 baggage P3  opened Mon 14:00, handed to service 14:30, dismissed with no reason 15:15
 *                  (service's claim run 45 min; the first response, 75 of baggage's office
 *                  minutes, counts for service, where it stopped).
 *   T8 service P3  opened Mon 15:00, handed to pr 15:05, dismissed as spam 15:10 (pr's claim
 *                  5 min; the first response, 10 min, counts for pr), reopened 15:20: its new
 *                  claim run is overdue (20 h 40 min used of 1 h), in pr.
 * A run counts for the department holding the thread when it was decided: stopped, past its
 * deadline, or now while it runs. Hand-overs restart only the claim clock.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const t = (iso: string) => new Date(`2026-${iso}:00Z`);
const FROM = t("11-30T00:00");
const NOW = t("12-01T12:00");

const P3 = { claimMs: HOUR, firstResponseMs: 4 * HOUR, nextResponseMs: 2 * HOUR };
const P1 = { claimMs: 15 * MIN, firstResponseMs: HOUR, resolutionMs: 4 * HOUR };

const running = (kind: SlaClock["kind"], startedAt: string, budgetMs: number): SlaClock => ({
  kind,
  startedAt: t(startedAt),
  budgetMs,
  consumedMs: 0,
  runningSince: t(startedAt),
  stoppedAt: null,
});
const stopped = (
  kind: SlaClock["kind"],
  startedAt: string,
  budgetMs: number,
  consumedMs: number,
  stoppedAt: string,
): SlaClock => ({
  kind,
  startedAt: t(startedAt),
  budgetMs,
  consumedMs,
  runningSince: null,
  stoppedAt: t(stoppedAt),
});

function thread(
  id: string,
  department: string,
  priority: string,
  state: string,
  owner: string | null,
  openedAt: string,
  clocks: SlaClock[],
  slack: [string, string] | null,
): FigureThread {
  return {
    id,
    department,
    priority,
    state,
    owner,
    openedAt: t(openedAt),
    clocks,
    slackChannel: slack?.[0] ?? null,
    slackTs: slack?.[1] ?? null,
  };
}

const THREADS: FigureThread[] = [
  thread("T0", "service", "P3", "resolved", "U1", "11-29T18:00", [], ["C1", "0.0"]),
  thread(
    "T1",
    "service",
    "P3",
    "responded",
    "U1",
    "11-30T09:00",
    // Stopped clocks are never at risk, however much of their window they used.
    [
      stopped("claim", "11-30T09:00", HOUR, 30 * MIN, "11-30T09:30"),
      stopped("firstResponse", "11-30T09:00", 4 * HOUR, HOUR, "11-30T10:00"),
    ],
    ["C1", "1.1"],
  ),
  thread(
    "T2",
    "service",
    "P1",
    "open",
    null,
    "11-30T22:30",
    [
      running("claim", "11-30T22:30", 15 * MIN),
      running("firstResponse", "11-30T22:30", HOUR),
      running("resolution", "11-30T22:30", 4 * HOUR),
    ],
    ["C1", "2.2"],
  ),
  thread("T3", "baggage", "P3", "dismissed", "U2", "11-30T16:40", [], ["C2", "3.3"]),
  thread(
    "T4",
    "service",
    "P3",
    "open",
    null,
    "12-01T11:20",
    [running("claim", "12-01T11:20", HOUR), running("firstResponse", "12-01T11:20", 4 * HOUR)],
    ["C1", "4.4"],
  ),
  thread(
    "T5",
    "service",
    "P3",
    "open",
    null,
    "12-01T12:00",
    [running("claim", "12-01T12:00", HOUR), running("firstResponse", "12-01T12:00", 4 * HOUR)],
    null,
  ),
  thread("T6", "service", "P3", "dismissed", "U1", "11-30T10:00", [], ["C1", "6.6"]),
  thread("T7", "service", "P3", "dismissed", null, "11-30T14:00", [], ["C1", "7.7"]),
  thread(
    "T8",
    "pr",
    "P3",
    "open",
    null,
    "11-30T15:00",
    [
      running("claim", "11-30T15:20", HOUR),
      stopped("firstResponse", "11-30T15:00", 4 * HOUR, 10 * MIN, "11-30T15:10"),
    ],
    ["C3", "8.8"],
  ),
];

const ev = (
  threadId: string,
  at: string,
  kind: string,
  details: Record<string, unknown> = {},
): FigureEvent => ({ threadId, at: t(at), kind: `thread.${kind}`, details });
const move = (from: string, to: string, more: Record<string, unknown> = {}) => ({
  from,
  to,
  ...more,
});
const handOver = (previousDepartment: string, department: string) =>
  move("open", "open", { department, previousDepartment });

const EVENTS: FigureEvent[] = [
  ev("T0", "11-29T18:00", "opened", {
    department: "service",
    priority: "P3",
    rule: "delays",
    priorityReasons: ["vip"],
  }),
  ev("T0", "11-29T18:10", "claim", move("open", "claimed")),
  ev("T0", "11-29T22:30", "respond", move("claimed", "responded")),
  ev("T0", "11-29T23:30", "resolve", move("responded", "resolved")),
  ev("T0", "11-30T00:00", "customer_replied", move("resolved", "open")),
  ev("T0", "11-30T00:30", "claim", move("open", "claimed")),
  ev("T0", "11-30T01:00", "respond", move("claimed", "responded")),
  ev("T0", "11-30T01:30", "resolve", move("responded", "resolved")),

  ev("T1", "11-30T09:00", "opened", {
    department: "service",
    priority: "P3",
    rule: "delays",
    priorityReasons: ["vip", "angry"],
  }),
  ev("T1", "11-30T09:30", "claim", move("open", "claimed")),
  ev("T1", "11-30T10:00", "respond", move("claimed", "responded")),

  // No rule matched: routing's default.
  ev("T2", "11-30T22:30", "opened", {
    department: "service",
    priority: "P1",
    priorityReasons: ["vip"],
  }),

  // Reasons that are not a list of strings count as none.
  ev("T3", "11-30T16:40", "opened", {
    department: "baggage",
    priority: "P3",
    rule: "lost bags",
    priorityReasons: "vip",
  }),
  ev("T3", "12-01T09:10", "claim", move("open", "claimed")),
  ev("T3", "12-01T09:30", "dismiss", move("claimed", "dismissed", { reason: "duplicate" })),

  ev("T4", "12-01T11:20", "opened", {
    department: "service",
    priority: "P3",
    rule: "delays",
    priorityReasons: ["angry", 7],
  }),

  ev("T5", "12-01T12:00", "opened", { department: "service", priority: "P3", rule: "delays" }),

  ev("T6", "11-30T10:00", "opened", { department: "pr", priority: "P3", rule: "press" }),
  ev("T6", "11-30T10:20", "hand_over_department", handOver("pr", "baggage")),
  ev("T6", "11-30T10:40", "hand_over_department", handOver("baggage", "service")),
  ev("T6", "11-30T11:00", "claim", move("open", "claimed")),
  ev("T6", "11-30T11:10", "dismiss", move("claimed", "dismissed", { reason: "spam" })),

  ev("T7", "11-30T14:00", "opened", { department: "baggage", priority: "P3", rule: "lost bags" }),
  ev("T7", "11-30T14:30", "hand_over_department", handOver("baggage", "service")),
  ev("T7", "11-30T15:15", "dismiss", move("open", "dismissed")),

  ev("T8", "11-30T15:00", "opened", {
    department: "service",
    priority: "P3",
    rule: "delays",
    priorityReasons: ["vip"],
  }),
  ev("T8", "11-30T15:05", "hand_over_department", handOver("service", "pr")),
  ev("T8", "11-30T15:10", "dismiss", move("open", "dismissed", { reason: "spam" })),
  ev("T8", "11-30T15:20", "reopen", move("dismissed", "open")),
];

const received = (threadId: string, at: string) => ({ threadId, receivedAt: t(at) });

const INPUT: FiguresInput = {
  from: FROM,
  to: NOW,
  now: NOW,
  timezone: "Europe/Helsinki",
  calendars: { baggage: london },
  windows: { P1, P3 },
  firstWarningAt: 0.5,
  threads: THREADS,
  // Listed out of order: the figures must not depend on it.
  events: [...EVENTS].reverse(),
  complaints: [
    received("T0", "11-29T18:00"),
    received("T0", "11-30T00:00"),
    received("T1", "11-30T09:00"),
    received("T2", "11-30T22:30"),
    received("T3", "11-30T16:40"),
    received("T4", "12-01T11:20"),
    received("T5", "12-01T12:00"),
    received("T6", "11-30T10:00"),
    received("T6", "11-30T10:30"),
    received("T7", "11-30T14:00"),
    received("T8", "11-30T15:00"),
  ],
  breaches: [
    {
      threadId: "T0",
      clockKind: "firstResponse",
      clockStartedAt: t("11-29T18:00"),
      department: "service",
      priority: "P3",
      dueAt: t("11-29T22:00"),
    },
    ...(["resolution", "claim", "firstResponse"] as const).map((clockKind) => ({
      threadId: "T2",
      clockKind,
      clockStartedAt: t("11-30T22:30"),
      department: "service",
      priority: "P1",
      dueAt: {
        claim: t("11-30T22:45"),
        firstResponse: t("11-30T23:30"),
        resolution: t("12-01T02:30"),
      }[clockKind],
    })),
  ],
  campaigns: [
    {
      id: "k1",
      name: "Strike",
      linkedComplaints: [
        received("T1", "11-30T09:00"),
        received("T2", "11-30T22:30"),
        received("T5", "12-01T12:00"),
      ],
    },
    {
      id: "k2",
      name: "Outage",
      linkedComplaints: [received("T3", "11-30T16:40"), received("T6", "11-30T10:00")],
    },
    { id: "k3", name: "Quiet", linkedComplaints: [received("T0", "11-29T18:00")] },
    { id: "k4", name: "Bags", linkedComplaints: [received("T7", "11-30T14:00")] },
  ],
};

const tally = (met: number, breached: number, running: number) => ({
  met,
  breached,
  running,
  compliance: met + breached === 0 ? null : met / (met + breached),
});
const row = (department: string, priority: string, clock: string, counts: number[]) => {
  const [met = 0, breached = 0, running = 0] = counts;
  return { department, priority, clock, ...tally(met, breached, running) };
};

describe("figures for two days worked out by hand", () => {
  it("count every department", () => {
    expect(computeFigures(INPUT)).toEqual({
      from: FROM,
      to: NOW,
      now: NOW,
      timezone: "Europe/Helsinki",
      departments: ["baggage", "pr", "service"],
      // T0's Monday follow-up (at the period's first instant), T1–T4, T6 twice, T7, T8.
      complaints: 9,
      threadsOpened: 7,
      reopened: 2, // T0 by the customer, T8 by hand
      openNow: 5, // T1, T2, T4, T5, T8
      atRisk: 3,
      overdue: 2,
      offDesk: { byKind: [], total: 0 }, // no praise or chatter in this history
      atRiskThreads: [
        {
          threadId: "T2",
          department: "service",
          priority: "P1",
          owner: null,
          clock: "claim",
          dueAt: t("11-30T22:45"),
          used: 54,
          overdue: true,
          slackChannel: "C1",
          slackTs: "2.2",
        },
        {
          threadId: "T8",
          department: "pr",
          priority: "P3",
          owner: null,
          clock: "claim",
          dueAt: t("11-30T16:20"),
          used: (20 * 60 + 40) / 60,
          overdue: true,
          slackChannel: "C3",
          slackTs: "8.8",
        },
        {
          threadId: "T4",
          department: "service",
          priority: "P3",
          owner: null,
          clock: "claim",
          dueAt: t("12-01T12:20"),
          used: 40 / 60,
          overdue: false,
          slackChannel: "C1",
          slackTs: "4.4",
        },
      ],
      byDepartment: [
        {
          department: "baggage",
          complaints: 3, // T3, T6's second, T7
          threadsOpened: 2,
          openNow: 0,
          openByState: {},
          openByPriority: {},
          atRisk: 0,
          overdue: 0,
          breaches: 0,
          compliance: tally(2, 0, 0), // T3's claim and first response
        },
        {
          department: "pr",
          complaints: 1,
          threadsOpened: 1,
          openNow: 1,
          openByState: { open: 1 },
          openByPriority: { P3: 1 },
          atRisk: 1,
          overdue: 1,
          breaches: 0,
          compliance: tally(2, 1, 0), // T8's two claim runs and its first response
        },
        {
          department: "service",
          complaints: 5, // T0, T1, T2, T4, T8 (before its hand-over)
          threadsOpened: 4,
          openNow: 4,
          openByState: { responded: 1, open: 3 },
          openByPriority: { P3: 3, P1: 1 },
          atRisk: 2,
          overdue: 1,
          breaches: 3,
          compliance: tally(8, 3, 2), // with T6's and T7's first responses, stopped here
        },
      ],
      compliance: {
        byClock: {
          claim: tally(6, 2, 1),
          firstResponse: tally(5, 1, 1),
          nextResponse: tally(1, 0, 0),
          resolution: tally(0, 1, 0),
        },
        overall: tally(12, 4, 2),
        rows: [
          row("baggage", "P3", "claim", [1]),
          row("baggage", "P3", "firstResponse", [1]),
          row("pr", "P3", "claim", [1, 1]),
          row("pr", "P3", "firstResponse", [1]),
          row("service", "P1", "claim", [0, 1]),
          row("service", "P1", "firstResponse", [0, 1]),
          row("service", "P1", "resolution", [0, 1]),
          row("service", "P3", "claim", [4, 0, 1]),
          row("service", "P3", "firstResponse", [3, 0, 1]),
          row("service", "P3", "nextResponse", [1]),
        ],
      },
      // Claims: T8 5, T6 20, T0 30, T1 30, T3 30 (office hours), T7 45 min; T2, T4, T8 waiting.
      timeToClaim: {
        count: 6,
        medianMs: 30 * MIN,
        p90Ms: 45 * MIN,
        waiting: 3,
        measuredIn: "mixed",
      },
      // First responses: T8 10, T3 50, T1 60, T6 70, T7 75 min; T2 and T4 waiting.
      timeToFirstResponse: {
        count: 5,
        medianMs: 60 * MIN,
        p90Ms: 75 * MIN,
        waiting: 2,
        measuredIn: "mixed",
      },
      breaches: (["claim", "firstResponse", "resolution"] as const).map((clock, i) => ({
        threadId: "T2",
        clock,
        department: "service",
        priority: "P1",
        dueAt: [t("11-30T22:45"), t("11-30T23:30"), t("12-01T02:30")][i],
        slackChannel: "C1",
        slackTs: "2.2",
      })),
      routingRules: [
        { label: "delays", count: 3 },
        { label: "lost bags", count: 2 },
        { label: "(default)", count: 1 },
        { label: "press", count: 1 },
      ],
      priorityReasons: [
        { label: "vip", count: 3 },
        { label: "angry", count: 2 },
      ],
      handOvers: {
        total: 4,
        routes: [
          { from: "baggage", to: "service", count: 2 },
          { from: "pr", to: "baggage", count: 1 },
          { from: "service", to: "pr", count: 1 },
        ],
      },
      dismissals: {
        total: 4,
        byReason: [
          { label: "spam", count: 2 },
          { label: "(none)", count: 1 },
          { label: "duplicate", count: 1 },
        ],
      },
      daily: [
        { date: "2026-11-30", complaints: 7, threadsOpened: 5, breaches: 0 },
        { date: "2026-12-01", complaints: 2, threadsOpened: 2, breaches: 3 },
      ],
      campaigns: [
        { id: "k2", name: "Outage", complaints: 2 },
        { id: "k1", name: "Strike", complaints: 2 },
        { id: "k4", name: "Bags", complaints: 1 },
      ],
    });
  });

  it("count only baggage, in office hours, where each thread was when it counted", () => {
    const f = computeFigures({ ...INPUT, departments: ["baggage"] });
    expect(f.departments).toEqual(["baggage"]);
    expect([f.complaints, f.threadsOpened, f.reopened, f.openNow, f.atRisk]).toEqual([
      3, 2, 0, 0, 0,
    ]);
    expect(f.breaches).toEqual([]);
    expect(f.compliance.byClock).toEqual({
      claim: tally(1, 0, 0),
      firstResponse: tally(1, 0, 0), // T3's; T7's stopped in service
      nextResponse: tally(0, 0, 0),
      resolution: tally(0, 0, 0),
    });
    expect(f.timeToClaim).toEqual({
      count: 1,
      medianMs: 30 * MIN,
      p90Ms: 30 * MIN,
      waiting: 0,
      measuredIn: "business",
    });
    expect(f.timeToFirstResponse).toMatchObject({ count: 1, medianMs: 50 * MIN, p90Ms: 50 * MIN });
    // Hand-overs into or out of baggage; T8's service → pr is not one.
    expect(f.handOvers.total).toBe(3);
    expect(f.dismissals).toEqual({ total: 1, byReason: [{ label: "duplicate", count: 1 }] });
    expect(f.campaigns).toEqual([
      { id: "k4", name: "Bags", complaints: 1 },
      { id: "k2", name: "Outage", complaints: 1 },
    ]);
  });

  it("keep the order departments are asked for, and measure on the wall clock without hours", () => {
    const f = computeFigures({ ...INPUT, departments: ["service", "pr"] });
    expect(f.departments).toEqual(["service", "pr"]);
    expect(f.byDepartment.map((d) => d.department)).toEqual(["service", "pr"]);
    expect(f.timeToClaim).toEqual({
      count: 5, // T8 5, T6 20, T0 30, T1 30, T7 45
      medianMs: 30 * MIN,
      p90Ms: 45 * MIN,
      waiting: 3,
      measuredIn: "clock",
    });
    expect([f.complaints, f.reopened, f.handOvers.total]).toEqual([6, 2, 4]);
  });
});
