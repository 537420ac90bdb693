import { describe, expect, it } from "vitest";
import {
  DEFAULT_NUDGE_POLICY,
  type NudgePolicy,
  nudgePolicyProblems,
  planTimers,
} from "../../src/domain/escalation-plan.ts";
import type { SlaClock } from "../../src/domain/sla-clock.ts";

/* The nudge ladder for one clock, around the clock, every instant worked out by hand. */

const MIN = 60_000;
const t = (hhmm: string) => new Date(`2026-01-12T${hhmm}:00.000Z`);
const clock = (consumedMin: number, runningSince: string | null): SlaClock => ({
  kind: "firstResponse",
  startedAt: t("10:00"),
  budgetMs: 100 * MIN,
  consumedMs: consumedMin * MIN,
  runningSince: runningSince === null ? null : t(runningSince),
  stoppedAt: null,
});
const PREFIX = "firstResponse@2026-01-12T10:00:00.000Z";

describe("the nudge plan", () => {
  it("follows the default ladder: warnings at half and 80%, leads at the breach, executives an hour on", () => {
    expect(planTimers(clock(0, "10:00"), DEFAULT_NUDGE_POLICY)).toStrictEqual([
      {
        key: `${PREFIX}:warn:0.5`,
        clockKind: "firstResponse",
        step: "warning",
        fireAt: t("10:50"),
        target: "thread",
      },
      {
        key: `${PREFIX}:warn:0.8`,
        clockKind: "firstResponse",
        step: "warning",
        fireAt: t("11:20"),
        target: "owner_or_channel",
      },
      {
        key: `${PREFIX}:breach`,
        clockKind: "firstResponse",
        step: "breach",
        fireAt: t("11:40"),
        target: "leads",
      },
      {
        key: `${PREFIX}:escalate:3600000`,
        clockKind: "firstResponse",
        step: "escalation",
        fireAt: t("12:40"),
        target: "executives_channel",
      },
    ]);
  });

  it("drops a warning whose share was spent exactly before this stretch, and plans none when paused", () => {
    // 50 of 100 minutes spent before 11:00: the half-way warning fired then.
    const plan = planTimers(clock(50, "11:00"), DEFAULT_NUDGE_POLICY);
    expect(plan.map((p) => [p.step, p.fireAt])).toEqual([
      ["warning", t("11:30")],
      ["breach", t("11:50")],
      ["escalation", t("12:50")],
    ]);
    expect(planTimers(clock(50, null), DEFAULT_NUDGE_POLICY)).toEqual([]);
  });

  it("puts the steps in time order whatever order the policy lists them in", () => {
    const policy: NudgePolicy = {
      warnings: [
        { atFraction: 0.9, target: "owner_or_channel" },
        { atFraction: 0.25, target: "thread" },
      ],
      breach: { notify: "leads" },
      escalate: [
        { afterBreachMs: 30 * MIN, target: "executives_channel" },
        { afterBreachMs: 0, target: "executives_channel" },
      ],
    };
    expect(planTimers(clock(0, "10:00"), policy).map((p) => [p.key, p.fireAt])).toEqual([
      [`${PREFIX}:warn:0.25`, t("10:25")],
      [`${PREFIX}:warn:0.9`, t("11:30")],
      [`${PREFIX}:breach`, t("11:40")],
      [`${PREFIX}:escalate:0`, t("11:40")],
      [`${PREFIX}:escalate:1800000`, t("12:10")],
    ]);
  });

  it("refuses warnings at 0 or at the whole budget, naming each, and says so in one message", () => {
    const policy: NudgePolicy = {
      ...DEFAULT_NUDGE_POLICY,
      warnings: [
        { atFraction: 0, target: "thread" },
        { atFraction: 1, target: "thread" },
        { atFraction: 0.5, target: "thread" },
      ],
    };
    expect(nudgePolicyProblems(policy)).toEqual([
      "warnings[0].atFraction: must be between 0 and 1, got 0",
      "warnings[1].atFraction: must be between 0 and 1, got 1",
    ]);
    expect(() => planTimers(clock(0, "10:00"), policy)).toThrow(
      new RangeError(
        "Invalid nudge policy: warnings[0].atFraction: must be between 0 and 1, got 0; warnings[1].atFraction: must be between 0 and 1, got 1",
      ),
    );
  });
});
