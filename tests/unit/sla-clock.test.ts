import { describe, expect, it } from "vitest";
import {
  applyClockEffects,
  type ClockWindows,
  dueAt,
  fractionUsed,
  isBreached,
  recordBreaches,
  remainingMs,
  type SlaClock,
  settleClocks,
  startClocks,
} from "../../src/domain/sla-clock.ts";
import {
  applyAction,
  type ThreadAction,
  type ThreadSnapshot,
} from "../../src/domain/thread-lifecycle.ts";
import { at, HOUR, london, MINUTE } from "../helpers/calendars.ts";

const windows: ClockWindows = {
  claimMs: 15 * MINUTE,
  firstResponseMs: HOUR,
  nextResponseMs: 30 * MINUTE,
  resolutionMs: 8 * HOUR,
};

function clockOf(clocks: SlaClock[], kind: SlaClock["kind"]): SlaClock {
  const clock = clocks.find((c) => c.kind === kind);
  if (!clock) throw new Error(`no ${kind} clock`);
  return clock;
}

describe("starting clocks", () => {
  it("starts claim, firstResponse and resolution where configured", () => {
    const opened = at("2026-01-12T10:00:00Z");
    expect(startClocks(opened, windows)).toEqual([
      {
        kind: "claim",
        startedAt: opened,
        budgetMs: 15 * MINUTE,
        consumedMs: 0,
        runningSince: opened,
        stoppedAt: null,
      },
      {
        kind: "firstResponse",
        startedAt: opened,
        budgetMs: HOUR,
        consumedMs: 0,
        runningSince: opened,
        stoppedAt: null,
      },
      {
        kind: "resolution",
        startedAt: opened,
        budgetMs: 8 * HOUR,
        consumedMs: 0,
        runningSince: opened,
        stoppedAt: null,
      },
    ]);
    expect(startClocks(opened, { firstResponseMs: HOUR }).map((c) => c.kind)).toEqual([
      "firstResponse",
    ]);
  });
});

describe("due, remaining and breach", () => {
  it("runs around the clock without a calendar", () => {
    const clock = clockOf(startClocks(at("2026-01-10T10:00:00Z"), windows), "firstResponse");
    expect(dueAt(clock)).toEqual(at("2026-01-10T11:00:00Z"));
    expect(remainingMs(clock, at("2026-01-10T10:45:00Z"))).toBe(15 * MINUTE);
    expect(fractionUsed(clock, at("2026-01-10T10:45:00Z"))).toBe(0.75);
  });

  it("runs in business hours with a calendar", () => {
    const clock = clockOf(startClocks(at("2026-01-09T16:30:00Z"), windows), "firstResponse");
    expect(dueAt(clock, london)).toEqual(at("2026-01-12T09:30:00Z"));
    expect(remainingMs(clock, at("2026-01-10T12:00:00Z"), london)).toBe(30 * MINUTE);
    expect(isBreached(clock, at("2026-01-12T09:29:59.999Z"), london)).toBe(false);
    expect(isBreached(clock, at("2026-01-12T09:30:00Z"), london)).toBe(true);
    expect(remainingMs(clock, at("2026-01-12T10:00:00Z"), london)).toBe(-30 * MINUTE);
  });
});

describe("applying effects", () => {
  const opened = at("2026-01-10T10:00:00Z");
  const started = startClocks(opened, windows);

  it("pauses and resumes without counting the paused time", () => {
    const paused = applyClockEffects(
      started,
      [{ op: "pause", clock: "all" }],
      at("2026-01-10T10:20:00Z"),
      undefined,
      windows,
    );
    const first = clockOf(paused, "firstResponse");
    expect(first).toMatchObject({ consumedMs: 20 * MINUTE, runningSince: null, stoppedAt: null });
    expect(dueAt(first)).toBeNull();
    expect(remainingMs(first, at("2026-01-10T11:30:00Z"))).toBe(40 * MINUTE);

    const resumed = applyClockEffects(
      paused,
      [{ op: "resume", clock: "all" }],
      at("2026-01-10T12:00:00Z"),
      undefined,
      windows,
    );
    const running = clockOf(resumed, "firstResponse");
    expect(dueAt(running)).toEqual(at("2026-01-10T12:40:00Z"));
    expect(fractionUsed(running, at("2026-01-10T12:10:00Z"))).toBe(0.5);
  });

  it("stops a clock on time, or records when it breached", () => {
    const onTime = applyClockEffects(
      started,
      [{ op: "stop", clock: "firstResponse" }],
      at("2026-01-10T10:30:00Z"),
      undefined,
      windows,
    );
    expect(clockOf(onTime, "firstResponse")).toEqual({
      kind: "firstResponse",
      startedAt: opened,
      budgetMs: HOUR,
      consumedMs: 30 * MINUTE,
      runningSince: null,
      stoppedAt: at("2026-01-10T10:30:00Z"),
    });
    expect(isBreached(clockOf(onTime, "firstResponse"), at("2026-01-11T00:00:00Z"))).toBe(false);

    const late = applyClockEffects(
      started,
      [{ op: "stop", clock: "firstResponse" }],
      at("2026-01-10T11:30:00Z"),
      undefined,
      windows,
    );
    expect(clockOf(late, "firstResponse")).toMatchObject({
      consumedMs: 90 * MINUTE,
      breachedAt: at("2026-01-10T11:00:00Z"),
    });
    expect(isBreached(clockOf(late, "firstResponse"), at("2026-01-10T11:30:00Z"))).toBe(true);
  });

  it("records a breach in business time when a clock is paused after it", () => {
    const fridayOpen = startClocks(at("2026-01-09T16:30:00Z"), windows);
    const paused = applyClockEffects(
      fridayOpen,
      [{ op: "pause", clock: "all" }],
      at("2026-01-12T10:00:00Z"),
      london,
      windows,
    );
    expect(clockOf(paused, "firstResponse")).toMatchObject({
      consumedMs: 90 * MINUTE,
      breachedAt: at("2026-01-12T09:30:00Z"),
    });
    const resumed = applyClockEffects(
      paused,
      [{ op: "resume", clock: "all" }],
      at("2026-01-12T11:00:00Z"),
      london,
      windows,
    );
    expect(dueAt(clockOf(resumed, "firstResponse"), london)).toEqual(at("2026-01-12T09:30:00Z"));
  });

  it("does not resume a stopped clock", () => {
    const stopped = applyClockEffects(
      started,
      [
        { op: "stop", clock: "claim" },
        { op: "pause", clock: "all" },
      ],
      at("2026-01-10T10:05:00Z"),
      undefined,
      windows,
    );
    const resumed = applyClockEffects(
      stopped,
      [{ op: "resume", clock: "all" }],
      at("2026-01-10T11:00:00Z"),
      undefined,
      windows,
    );
    expect(clockOf(resumed, "claim")).toMatchObject({
      runningSince: null,
      stoppedAt: at("2026-01-10T10:05:00Z"),
    });
    expect(clockOf(resumed, "resolution").runningSince).toEqual(at("2026-01-10T11:00:00Z"));
  });

  it("starts a fresh clock in place of an old one, and skips windows that are not configured", () => {
    const restartAt = at("2026-01-10T13:00:00Z");
    const restarted = applyClockEffects(
      started,
      [
        { op: "start", clock: "claim" },
        { op: "start", clock: "nextResponse" },
      ],
      restartAt,
      undefined,
      windows,
    );
    expect(restarted.map((c) => c.kind)).toEqual([
      "claim",
      "firstResponse",
      "nextResponse",
      "resolution",
    ]);
    expect(clockOf(restarted, "claim")).toMatchObject({
      startedAt: restartAt,
      consumedMs: 0,
      runningSince: restartAt,
    });
    const untracked = applyClockEffects(
      started,
      [{ op: "start", clock: "nextResponse" }],
      restartAt,
      undefined,
      { firstResponseMs: HOUR },
    );
    expect(untracked).toEqual(started);
  });

  it("settles time spent under the old calendar before a department with other hours takes over", () => {
    const fridayOpen = startClocks(at("2026-01-09T16:30:00Z"), windows);
    const settled = settleClocks(fridayOpen, at("2026-01-10T12:00:00Z"), london);
    const first = clockOf(settled, "firstResponse");
    expect(first).toMatchObject({
      consumedMs: 30 * MINUTE,
      runningSince: at("2026-01-10T12:00:00Z"),
    });
    // The new department is staffed around the clock: 30 minutes left from Saturday noon.
    expect(dueAt(first)).toEqual(at("2026-01-10T12:30:00Z"));
  });

  it("records breaches of running clocks for the timer job", () => {
    const checked = recordBreaches(started, at("2026-01-10T10:20:00Z"));
    expect(clockOf(checked, "claim").breachedAt).toEqual(at("2026-01-10T10:15:00Z"));
    expect(clockOf(checked, "firstResponse").breachedAt).toBeUndefined();
  });
});

describe("clocks through a thread's life", () => {
  it("follows claim, respond, wait, customer reply, respond and resolve", () => {
    let thread: ThreadSnapshot = { state: "open", department: "baggage" };
    let clocks = startClocks(at("2026-01-12T09:00:00Z"), windows);
    const step = (action: ThreadAction, when: string) => {
      const result = applyAction(thread, action);
      if (!result.ok) throw new Error(result.reason);
      thread = result.next;
      clocks = applyClockEffects(clocks, result.clockEffects, at(when), london, windows);
    };

    step({ type: "claim", by: "U1" }, "2026-01-12T09:10:00Z");
    step({ type: "respond", reply: { kind: "private" } }, "2026-01-12T09:40:00Z");
    step({ type: "wait_on_customer" }, "2026-01-12T10:00:00Z");
    step({ type: "customer_replied" }, "2026-01-13T09:00:00Z");
    expect(dueAt(clockOf(clocks, "nextResponse"), london)).toEqual(at("2026-01-13T09:30:00Z"));
    // One hour ran before waiting; the wait (overnight) did not count.
    expect(remainingMs(clockOf(clocks, "resolution"), at("2026-01-13T09:00:00Z"), london)).toBe(
      7 * HOUR,
    );
    step(
      { type: "respond", reply: { kind: "public", url: "https://x.com/a/status/3" } },
      "2026-01-13T09:20:00Z",
    );
    step({ type: "resolve" }, "2026-01-13T10:00:00Z");

    expect(thread.state).toBe("resolved");
    expect(clocks.map((c) => [c.kind, c.consumedMs / MINUTE, c.stoppedAt !== null])).toEqual([
      ["claim", 10, true],
      ["firstResponse", 40, true],
      ["nextResponse", 20, true],
      ["resolution", 120, true],
    ]);
    expect(clocks.every((c) => !isBreached(c, at("2026-01-14T00:00:00Z"), london))).toBe(true);
  });
});
