import { describe, expect, it } from "vitest";
import { computeFigures } from "../../src/domain/figures/compute-figures.ts";
import type { FiguresInput } from "../../src/domain/figures/figures-input.ts";
import { nearestRank } from "../../src/domain/figures/percentile.ts";

const HOUR = 3_600_000;
const at = (h: number) => new Date(Date.UTC(2026, 10, 30) + h * HOUR);

function input(overrides: Partial<FiguresInput>): FiguresInput {
  return {
    from: at(0),
    to: at(24),
    now: at(12),
    timezone: "UTC",
    calendars: {},
    windows: { P3: { claimMs: HOUR, firstResponseMs: 4 * HOUR } },
    firstWarningAt: 0.5,
    threads: [],
    complaints: [],
    events: [],
    breaches: [],
    ...overrides,
  };
}

/** An open, unclaimed P3 service thread opened at 09:00, as the figures read it. */
function openServiceThread(id: string) {
  return {
    id,
    department: "service",
    priority: "P3",
    state: "open",
    owner: null,
    openedAt: at(9),
    clocks: [],
    slackChannel: null,
    slackTs: null,
  };
}

describe("nearestRank", () => {
  it("reports values that happened", () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([4, 1, 3, 2], 50)).toBe(2);
    expect(nearestRank([4, 1, 3, 2], 90)).toBe(4);
    expect(nearestRank([7], 90)).toBe(7);
  });
});

describe("computeFigures", () => {
  it("does not count a claim clock restarted by a hand-over before anyone claimed it", () => {
    const thread = { ...openServiceThread("t1"), department: "b", state: "claimed", owner: "U1" };
    const f = computeFigures(
      input({
        threads: [thread],
        events: [
          {
            threadId: "t1",
            at: at(9),
            kind: "thread.opened",
            details: { department: "a", priority: "P3" },
          },
          {
            threadId: "t1",
            at: at(10),
            kind: "thread.hand_over_department",
            details: { from: "open", to: "open", department: "b", previousDepartment: "a" },
          },
          {
            threadId: "t1",
            at: at(10.5),
            kind: "thread.claim",
            details: { from: "open", to: "claimed" },
          },
        ],
      }),
    );
    // a's claim run was cut short by the hand-over: neither met nor breached. b's took 30 min.
    // The first response, started in a, still runs: b holds the thread now.
    expect(f.compliance.byClock.claim).toMatchObject({ met: 1, breached: 0, running: 0 });
    expect(f.compliance.rows.map((r) => [r.department, r.clock, r.met, r.running])).toEqual([
      ["b", "claim", 1, 0],
      ["b", "firstResponse", 0, 1],
    ]);
    expect(f.timeToClaim.medianMs).toBe(HOUR / 2);
    expect(f.handOvers.routes).toEqual([{ from: "a", to: "b", count: 1 }]);
  });

  it("counts only the departments asked for, where the thread was at the time", () => {
    const thread = { ...openServiceThread("t1"), department: "b" };
    const events = [
      {
        threadId: "t1",
        at: at(9),
        kind: "thread.opened",
        details: { department: "a", priority: "P3" },
      },
      {
        threadId: "t1",
        at: at(10),
        kind: "thread.hand_over_department",
        details: { from: "open", to: "open", department: "b", previousDepartment: "a" },
      },
    ];
    const complaints = [
      { threadId: "t1", receivedAt: at(9) },
      { threadId: "t1", receivedAt: at(11) },
    ];
    const a = computeFigures(input({ threads: [thread], events, complaints, departments: ["a"] }));
    const b = computeFigures(input({ threads: [thread], events, complaints, departments: ["b"] }));
    expect([a.complaints, a.threadsOpened, a.openNow]).toEqual([1, 1, 0]);
    expect([b.complaints, b.threadsOpened, b.openNow]).toEqual([1, 0, 1]);
  });
});

describe("a clock run handed over mid-clock", () => {
  // Opened in a at 09:00, handed to b at 10:00 (its claim clock restarts there), claimed in b
  // at 10:30. The first response clock runs on from 09:00: due 13:00, while b holds it.
  const thread = { ...openServiceThread("t1"), department: "b", state: "claimed", owner: "U1" };
  const event = (h: number, kind: string, details: Record<string, unknown>) => ({
    threadId: "t1",
    at: at(h),
    kind: `thread.${kind}`,
    details,
  });
  const handedToB = [
    event(9, "opened", { department: "a", priority: "P3" }),
    event(10, "hand_over_department", {
      from: "open",
      to: "open",
      department: "b",
      previousDepartment: "a",
    }),
    event(10.5, "claim", { from: "open", to: "claimed" }),
  ];
  const breachInB = {
    threadId: "t1",
    clockKind: "firstResponse" as const,
    clockStartedAt: at(9),
    department: "b",
    priority: "P3",
    dueAt: at(13),
  };
  const byDepartment = (f: ReturnType<typeof computeFigures>) =>
    f.byDepartment.map((d) => [d.department, d.compliance.met, d.compliance.breached, d.breaches]);

  it("counts its breach and the breached run for the department that held it at the deadline", () => {
    const f = computeFigures(
      input({ now: at(14), threads: [thread], events: handedToB, breaches: [breachInB] }),
    );
    // [department, met, breached, breaches]: a holds neither the run nor the breach.
    expect(byDepartment(f)).toEqual([
      ["a", 0, 0, 0],
      ["b", 1, 1, 1],
    ]);
    expect(f.compliance.rows.map((r) => [r.department, r.clock, r.met, r.breached])).toEqual([
      ["b", "claim", 1, 0],
      ["b", "firstResponse", 0, 1],
    ]);
    const onlyA = computeFigures(
      input({
        now: at(14),
        threads: [thread],
        events: handedToB,
        breaches: [breachInB],
        departments: ["a"],
      }),
    );
    expect([onlyA.compliance.overall, onlyA.breaches]).toEqual([
      { met: 0, breached: 0, running: 0, compliance: null },
      [],
    ]);
  });

  it("counts a run met after the hand-over for the department that met it", () => {
    const answered = [...handedToB, event(11, "respond", { from: "claimed", to: "responded" })];
    const f = computeFigures(
      input({ threads: [{ ...thread, state: "responded" }], events: answered }),
    );
    expect(byDepartment(f)).toEqual([
      ["a", 0, 0, 0],
      ["b", 2, 0, 0],
    ]);
    expect(f.compliance.rows.map((r) => [r.department, r.clock, r.met])).toEqual([
      ["b", "claim", 1],
      ["b", "firstResponse", 1],
    ]);
  });
});

describe("posts kept off the desk", () => {
  const thread = (id: string, postKind: string) => ({ ...openServiceThread(id), postKind });
  const kinds = ["complaint", "question", "praise", "praise", "other"];
  const rows = {
    threads: kinds.map((k, i) => thread(`t${i}`, k)),
    complaints: kinds.map((_, i) => ({ threadId: `t${i}`, receivedAt: at(9) })),
  };

  it("are counted apart by kind, and are not open work", () => {
    const f = computeFigures(input({ ...rows, offDeskKinds: ["praise", "other"] }));
    expect(f.complaints).toBe(2);
    expect(f.openNow).toBe(2);
    expect(f.offDesk).toEqual({
      total: 3,
      byKind: [
        { label: "praise", count: 2 },
        { label: "other", count: 1 },
      ],
    });
  });

  it("are not new threads on the desk, though routing counts them with the rest", () => {
    const events = kinds.map((_, i) => ({
      threadId: `t${i}`,
      at: at(9),
      kind: "thread.opened",
      details: { department: "service", priority: "P3", rule: i < 2 ? "desk-rule" : "kind-rule" },
    }));
    const f = computeFigures(input({ ...rows, events, offDeskKinds: ["praise", "other"] }));
    // Never more new threads than posts on the desk: "2 complaints, 5 new threads" misleads.
    expect([f.complaints, f.threadsOpened]).toEqual([2, 2]);
    expect(f.byDepartment.find((d) => d.department === "service")?.threadsOpened).toBe(2);
    expect(f.daily.reduce((n, d) => n + d.threadsOpened, 0)).toBe(2);
    expect(f.routingRules).toEqual([
      { label: "kind-rule", count: 3 },
      { label: "desk-rule", count: 2 },
    ]);
  });

  it("are all on the desk when no kind is kept off it", () => {
    const f = computeFigures(input(rows));
    expect(f.complaints).toBe(5);
    expect(f.openNow).toBe(5);
    expect(f.offDesk).toEqual({ total: 0, byKind: [] });
  });
});

describe("clocks by post kind", () => {
  const windows = { P3: { claimMs: HOUR, firstResponseMs: 4 * HOUR, resolutionMs: 24 * HOUR } };
  // As the example's profiles: praise runs no clock, a question no resolution clock.
  const kindClocks = {
    complaint: ["claim", "firstResponse", "nextResponse", "resolution"] as const,
    question: ["claim", "firstResponse"] as const,
    praise: [] as const,
  };
  const thread = openServiceThread;
  const opened = (threadId: string, kind: string) => ({
    threadId,
    at: at(9),
    kind: "thread.opened",
    details: { department: "service", priority: "P3", kind },
  });
  const runsOf = (f: ReturnType<typeof computeFigures>) =>
    Object.fromEntries(
      Object.entries(f.compliance.byClock).map(([clock, c]) => [
        clock,
        [c.met, c.breached, c.running],
      ]),
    );

  it("counts only the clocks a kind runs: none for praise, no resolution for a question", () => {
    const f = computeFigures(
      input({
        windows,
        kindClocks,
        threads: [thread("praise"), thread("question")],
        events: [opened("praise", "praise"), opened("question", "question")],
      }),
    );
    expect(runsOf(f)).toMatchObject({
      claim: [0, 0, 1],
      firstResponse: [0, 0, 1],
      resolution: [0, 0, 0],
    });
    expect(f.timeToClaim.waiting).toBe(1);
  });

  it("drops the clocks a kind change leaves, and starts those it adds, from the change", () => {
    const f = computeFigures(
      input({
        windows,
        kindClocks,
        threads: [thread("to-praise"), thread("to-complaint")],
        events: [
          opened("to-praise", "complaint"),
          {
            threadId: "to-praise",
            at: at(9.5),
            kind: "thread.kind_changed",
            details: { from: "complaint", to: "praise" },
          },
          opened("to-complaint", "praise"),
          {
            threadId: "to-complaint",
            at: at(10),
            kind: "thread.kind_changed",
            details: { from: "praise", to: "complaint" },
          },
          {
            threadId: "to-complaint",
            at: at(10.25),
            kind: "thread.claim",
            details: { from: "open", to: "claimed" },
          },
        ],
      }),
    );
    // The complaint turned praise runs nothing now; the praise turned complaint was claimed
    // 15 minutes after its clocks started, not 75 after it arrived.
    expect(runsOf(f)).toMatchObject({
      claim: [1, 0, 0],
      firstResponse: [0, 0, 1],
      resolution: [0, 0, 1],
    });
    expect(f.timeToClaim.medianMs).toBe(HOUR / 4);
  });
});
