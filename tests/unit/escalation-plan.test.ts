import { describe, expect, it } from "vitest";
import {
  DEFAULT_NUDGE_POLICY,
  deferToWorkingHours,
  type NudgePolicy,
  nudgePolicyProblems,
  planThreadTimers,
  planTimers,
} from "../../src/domain/escalation-plan.ts";
import { applyClockEffects, type SlaClock, startClocks } from "../../src/domain/sla-clock.ts";
import { at, HOUR, london, MINUTE } from "../helpers/calendars.ts";

const policy: NudgePolicy = {
  warnings: [
    { atFraction: 0.5, target: "thread" },
    { atFraction: 0.8, target: "owner_or_channel" },
  ],
  breach: { notify: "leads" },
  escalate: [
    { afterBreachMs: HOUR, target: "executives_channel" },
    { afterBreachMs: 4 * HOUR, target: "executives_channel" },
  ],
};

function firstResponseClock(openedAt: string, budgetMs = HOUR): SlaClock {
  const [clock] = startClocks(at(openedAt), { firstResponseMs: budgetMs });
  if (!clock) throw new Error("no clock");
  return clock;
}

const summary = (timers: ReturnType<typeof planTimers>) =>
  timers.map((t) => [t.key, t.step, t.fireAt.toISOString(), t.target]);

describe("planTimers", () => {
  it("plans warnings, breach and escalations for a clock running around the clock", () => {
    const clock = firstResponseClock("2026-01-10T10:00:00Z");
    const prefix = "firstResponse@2026-01-10T10:00:00.000Z";
    expect(summary(planTimers(clock, policy))).toEqual([
      [`${prefix}:warn:0.5`, "warning", "2026-01-10T10:30:00.000Z", "thread"],
      [`${prefix}:warn:0.8`, "warning", "2026-01-10T10:48:00.000Z", "owner_or_channel"],
      [`${prefix}:breach`, "breach", "2026-01-10T11:00:00.000Z", "leads"],
      [
        `${prefix}:escalate:3600000`,
        "escalation",
        "2026-01-10T12:00:00.000Z",
        "executives_channel",
      ],
      [
        `${prefix}:escalate:14400000`,
        "escalation",
        "2026-01-10T15:00:00.000Z",
        "executives_channel",
      ],
    ]);
  });

  it("measures warnings in business time and escalations in wall-clock time", () => {
    // Friday 16:00 London, 2h budget: half is used at Friday's close, the rest on Monday.
    const clock = firstResponseClock("2026-01-09T16:00:00Z", 2 * HOUR);
    const timers = planTimers(clock, policy, london);
    expect(timers.map((t) => [t.step, t.fireAt.toISOString()])).toEqual([
      ["warning", "2026-01-09T17:00:00.000Z"],
      ["warning", "2026-01-12T09:36:00.000Z"],
      ["breach", "2026-01-12T10:00:00.000Z"],
      ["escalation", "2026-01-12T11:00:00.000Z"],
      ["escalation", "2026-01-12T14:00:00.000Z"],
    ]);
  });

  it("plans nothing for paused or stopped clocks", () => {
    const clock = firstResponseClock("2026-01-10T10:00:00Z");
    for (const op of ["pause", "stop"] as const) {
      const [changed] = applyClockEffects(
        [clock],
        [{ op, clock: "all" }],
        at("2026-01-10T10:10:00Z"),
        undefined,
        { firstResponseMs: HOUR },
      );
      expect(changed && planTimers(changed, policy)).toEqual([]);
    }
  });

  it("moves the instants after a pause but keeps the keys, dropping warnings already passed", () => {
    const clock = firstResponseClock("2026-01-10T10:00:00Z");
    const windows = { firstResponseMs: HOUR };
    const paused = applyClockEffects(
      [clock],
      [{ op: "pause", clock: "all" }],
      at("2026-01-10T10:40:00Z"),
      undefined,
      windows,
    );
    const [resumed] = applyClockEffects(
      paused,
      [{ op: "resume", clock: "all" }],
      at("2026-01-10T14:00:00Z"),
      undefined,
      windows,
    );
    if (!resumed) throw new Error("no clock");
    const before = planTimers(clock, policy);
    const after = planTimers(resumed, policy);
    expect(summary(after)).toEqual([
      [before[1]?.key, "warning", "2026-01-10T14:08:00.000Z", "owner_or_channel"],
      [before[2]?.key, "breach", "2026-01-10T14:20:00.000Z", "leads"],
      [before[3]?.key, "escalation", "2026-01-10T15:20:00.000Z", "executives_channel"],
      [before[4]?.key, "escalation", "2026-01-10T18:20:00.000Z", "executives_channel"],
    ]);
  });

  it("gives a restarted clock fresh keys, so its ladder fires again", () => {
    const first = firstResponseClock("2026-01-10T10:00:00Z");
    const again = firstResponseClock("2026-01-11T10:00:00Z");
    const firstKeys = new Set(planTimers(first, policy).map((t) => t.key));
    expect(planTimers(again, policy).some((t) => firstKeys.has(t.key))).toBe(false);
  });

  it("keeps the breach instant for a clock resumed after it breached", () => {
    const clock = firstResponseClock("2026-01-10T10:00:00Z");
    const windows = { firstResponseMs: HOUR };
    const paused = applyClockEffects(
      [clock],
      [{ op: "pause", clock: "all" }],
      at("2026-01-10T11:30:00Z"),
      undefined,
      windows,
    );
    const [resumed] = applyClockEffects(
      paused,
      [{ op: "resume", clock: "all" }],
      at("2026-01-10T13:00:00Z"),
      undefined,
      windows,
    );
    if (!resumed) throw new Error("no clock");
    expect(planTimers(resumed, policy).map((t) => [t.step, t.fireAt.toISOString()])).toEqual([
      ["breach", "2026-01-10T11:00:00.000Z"],
      ["escalation", "2026-01-10T12:00:00.000Z"],
      ["escalation", "2026-01-10T15:00:00.000Z"],
    ]);
  });

  it("plans every clock of a thread in firing order", () => {
    const clocks = startClocks(at("2026-01-10T10:00:00Z"), {
      claimMs: 10 * MINUTE,
      firstResponseMs: HOUR,
    });
    const timers = planThreadTimers(clocks, DEFAULT_NUDGE_POLICY);
    expect(timers[0]).toMatchObject({ clockKind: "claim", step: "warning" });
    const times = timers.map((t) => t.fireAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(timers.map((t) => t.key)).size).toBe(timers.length);
  });

  it("rejects a policy with bad fractions or duplicate steps", () => {
    const bad: NudgePolicy = {
      warnings: [
        { atFraction: 1.2, target: "thread" },
        { atFraction: 0.5, target: "thread" },
        { atFraction: 0.5, target: "owner_or_channel" },
      ],
      breach: { notify: "leads" },
      escalate: [{ afterBreachMs: -1, target: "executives_channel" }],
    };
    expect(nudgePolicyProblems(bad)).toEqual([
      "warnings[0].atFraction: must be between 0 and 1, got 1.2",
      "warnings: two warnings share an atFraction",
      "escalate[0].afterBreachMs: must be a duration ≥ 0, got -1",
    ]);
    expect(nudgePolicyProblems(DEFAULT_NUDGE_POLICY)).toEqual([]);
    expect(() => planTimers(firstResponseClock("2026-01-10T10:00:00Z"), bad)).toThrow(RangeError);
  });
});

describe("deferToWorkingHours", () => {
  it("holds a DM until the person's next working moment", () => {
    expect(deferToWorkingHours(at("2026-01-10T12:00:00Z"), london)).toEqual(
      at("2026-01-12T09:00:00Z"),
    );
    expect(deferToWorkingHours(at("2026-01-12T18:30:00Z"), london)).toEqual(
      at("2026-01-13T09:00:00Z"),
    );
  });

  it("sends at once during working hours or without a calendar", () => {
    expect(deferToWorkingHours(at("2026-01-12T10:15:00Z"), london)).toEqual(
      at("2026-01-12T10:15:00Z"),
    );
    expect(deferToWorkingHours(at("2026-01-10T12:00:00Z"))).toEqual(at("2026-01-10T12:00:00Z"));
  });
});
