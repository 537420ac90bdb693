import { describe, expect, it } from "vitest";
import {
  applyClockEffects,
  dueAt,
  fractionUsed,
  isPaused,
  isRunning,
  recordBreaches,
  type SlaClock,
  settleClock,
} from "../../src/domain/sla-clock.ts";

/* SLA clocks at their edges, around the clock (no calendar), worked out by hand. */

const MIN = 60_000;
const t = (hhmm: string) => new Date(`2026-01-12T${hhmm}:00Z`);
const running = (since: string, budgetMin: number, consumedMin = 0): SlaClock => ({
  kind: "claim",
  startedAt: t("09:00"),
  budgetMs: budgetMin * MIN,
  consumedMs: consumedMin * MIN,
  runningSince: t(since),
  stoppedAt: null,
});
const windows = { claimMs: 60 * MIN, firstResponseMs: 240 * MIN };

describe("SLA clocks at the edges", () => {
  it("tells running, paused and stopped apart", () => {
    const clock = running("10:00", 60);
    const paused = { ...clock, runningSince: null };
    const stopped = { ...paused, stoppedAt: t("10:30") };
    expect([isRunning(clock), isPaused(clock)]).toEqual([true, false]);
    expect([isRunning(paused), isPaused(paused)]).toEqual([false, true]);
    expect([isRunning(stopped), isPaused(stopped)]).toEqual([false, false]);
  });

  it("leaves a paused clock paused when settling", () => {
    const paused = { ...running("10:00", 60, 20), runningSince: null };
    expect(settleClock(paused, t("11:00"))).toStrictEqual(paused);
  });

  it("records a breach reached exactly, at the instant the budget ran out", () => {
    expect(settleClock(running("10:00", 60), t("11:00"))).toStrictEqual({
      ...running("11:00", 60, 60),
      breachedAt: t("11:00"),
    });
    // 20 minutes spent before 10:00 leave 40: the breach was at 10:40, not 11:20.
    expect(settleClock(running("10:00", 60, 20), t("11:00")).breachedAt).toEqual(t("10:40"));
  });

  it("keeps the first breach when settled again", () => {
    const once = settleClock(running("10:00", 60), t("11:30"));
    expect(once.breachedAt).toEqual(t("11:00"));
    expect(settleClock(once, t("12:00"))).toStrictEqual({
      ...running("12:00", 60, 120),
      breachedAt: t("11:00"),
    });
  });

  it("does not stop a stopped clock again", () => {
    const [stopped] = applyClockEffects(
      [running("10:00", 60)],
      [{ op: "stop", clock: "claim" }],
      t("10:20"),
      undefined,
      windows,
    );
    expect(stopped).toStrictEqual({
      ...running("10:00", 60, 20),
      runningSince: null,
      stoppedAt: t("10:20"),
    });
    const again = applyClockEffects(
      stopped ? [stopped] : [],
      [{ op: "stop", clock: "all" }],
      t("12:00"),
      undefined,
      windows,
    );
    expect(again).toStrictEqual([stopped]);
  });

  it("after a pause exactly at the deadline and a resume, is still due when it breached", () => {
    const effects = (op: "pause" | "resume") => [{ op, clock: "all" } as const];
    const paused = applyClockEffects(
      [running("10:00", 60)],
      effects("pause"),
      t("11:00"),
      undefined,
      windows,
    );
    const resumed = applyClockEffects(paused, effects("resume"), t("12:00"), undefined, windows);
    expect(resumed[0]).toMatchObject({ consumedMs: 60 * MIN, runningSince: t("12:00") });
    expect(resumed[0] && dueAt(resumed[0])).toEqual(t("11:00"));
  });

  it("counts a clock with no budget as fully used", () => {
    expect(fractionUsed(running("10:00", 0), t("10:00"))).toBe(1);
    expect(fractionUsed(running("10:00", 60), t("10:30"))).toBe(0.5);
  });

  it("records breaches that are due by now, including exactly now, and no others", () => {
    const due = running("10:00", 60);
    const later = running("10:30", 60);
    expect(recordBreaches([due, later], t("11:00"))).toStrictEqual([
      { ...due, breachedAt: t("11:00") },
      later,
    ]);
  });
});
