/**
 * The escalation ladder for one SLA clock: warnings before it runs out, a breach notice when it
 * does, and escalations after. Plans are recomputed from the clock whenever it changes; keys
 * stay the same across pauses so a step already fired (the caller records fired keys) is
 * never fired twice, while a restarted clock gets fresh keys and a fresh ladder.
 */
import type { BusinessCalendar } from "./business-calendar-types.ts";
import { addBusinessTime, nextOpening } from "./business-hours.ts";
import { type ClockKind, dueAt, type SlaClock } from "./sla-clock.ts";

/** Who a warning goes to: the card's thread, or the owner (DM) and else the channel. */
export type WarningTarget = "thread" | "owner_or_channel";
/** Who any step goes to. */
export type TimerTarget = WarningTarget | "leads" | "executives_channel";

/** How a department is chased as a clock runs down; lives in the workspace config. */
export interface NudgePolicy {
  /** Each at a share of the budget, 0 < atFraction < 1, measured in business time. */
  warnings: Array<{ atFraction: number; target: WarningTarget }>;
  breach: { notify: "leads" };
  /** Each this long after the breach, in wall-clock time. */
  escalate: Array<{ afterBreachMs: number; target: "executives_channel" }>;
}

/** A sensible ladder until the workspace config names one. */
export const DEFAULT_NUDGE_POLICY: NudgePolicy = {
  warnings: [
    { atFraction: 0.5, target: "thread" },
    { atFraction: 0.8, target: "owner_or_channel" },
  ],
  breach: { notify: "leads" },
  escalate: [{ afterBreachMs: 3_600_000, target: "executives_channel" }],
};

/** One step to fire at `fireAt`, identified by a key that is stable for the clock's run. */
export interface PlannedTimer {
  /** e.g. "firstResponse@2026-03-02T09:00:00.000Z:warn:0.5"; unique per thread. */
  key: string;
  clockKind: ClockKind;
  step: "warning" | "breach" | "escalation";
  fireAt: Date;
  target: TimerTarget;
}

/** Problems with a policy, as "path: message" lines; empty when it is usable. */
export function nudgePolicyProblems(policy: NudgePolicy): string[] {
  const problems: string[] = [];
  const fractions = policy.warnings.map((warning) => warning.atFraction);
  fractions.forEach((fraction, i) => {
    if (!(fraction > 0 && fraction < 1)) {
      problems.push(`warnings[${i}].atFraction: must be between 0 and 1, got ${fraction}`);
    }
  });
  if (new Set(fractions).size !== fractions.length) {
    problems.push("warnings: two warnings share an atFraction");
  }
  const delays = policy.escalate.map((step) => step.afterBreachMs);
  delays.forEach((delay, i) => {
    if (!(Number.isFinite(delay) && delay >= 0)) {
      problems.push(`escalate[${i}].afterBreachMs: must be a duration ≥ 0, got ${delay}`);
    }
  });
  if (new Set(delays).size !== delays.length) {
    problems.push("escalate: two escalations share an afterBreachMs");
  }
  return problems;
}

/**
 * The steps still ahead for a running clock, earliest first; none for a paused or stopped one.
 * Warnings fall at their share of the budget in business time. A warning whose share was
 * already spent before the current running stretch is left out: it fired then, or the clock
 * was paused past it. The breach is at `dueAt`. Escalations follow the breach in wall-clock
 * time, because they go to people on call rather than to the department's working hours.
 * Past instants are kept: the caller fires them now unless their key has fired already.
 */
export function planTimers(
  clock: SlaClock,
  policy: NudgePolicy,
  calendar?: BusinessCalendar,
): PlannedTimer[] {
  const problems = nudgePolicyProblems(policy);
  if (problems.length > 0) throw new RangeError(`Invalid nudge policy: ${problems.join("; ")}`);
  const breachAt = dueAt(clock, calendar);
  if (clock.runningSince === null || breachAt === null) return [];
  const runningSince = clock.runningSince;
  const prefix = `${clock.kind}@${clock.startedAt.toISOString()}`;
  const warnings = policy.warnings.flatMap((warning): PlannedTimer[] => {
    const ahead = Math.ceil(warning.atFraction * clock.budgetMs) - clock.consumedMs;
    if (ahead <= 0) return [];
    const fireAt = addBusinessTime(runningSince, ahead, calendar);
    const key = `${prefix}:warn:${warning.atFraction}`;
    return [{ key, clockKind: clock.kind, step: "warning", fireAt, target: warning.target }];
  });
  const breach: PlannedTimer = {
    key: `${prefix}:breach`,
    clockKind: clock.kind,
    step: "breach",
    fireAt: breachAt,
    target: policy.breach.notify,
  };
  const escalations = policy.escalate.map(
    (step): PlannedTimer => ({
      key: `${prefix}:escalate:${step.afterBreachMs}`,
      clockKind: clock.kind,
      step: "escalation",
      fireAt: new Date(breachAt.getTime() + step.afterBreachMs),
      target: step.target,
    }),
  );
  return [...warnings, breach, ...escalations].sort(
    (a, b) => a.fireAt.getTime() - b.fireAt.getTime(),
  );
}

/** `planTimers` for every clock of a thread, earliest first. */
export function planThreadTimers(
  clocks: readonly SlaClock[],
  policy: NudgePolicy,
  calendar?: BusinessCalendar,
): PlannedTimer[] {
  return clocks
    .flatMap((clock) => planTimers(clock, policy, calendar))
    .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/**
 * When a direct message to a person should go out: `fireAt` if they are working then, else
 * their next working moment (undefined calendar: any time). Only DMs wait; posts to a thread
 * or channel go out at `fireAt`, because a channel is read by whoever is on shift.
 */
export function deferToWorkingHours(fireAt: Date, calendar?: BusinessCalendar): Date {
  return nextOpening(fireAt, calendar);
}
