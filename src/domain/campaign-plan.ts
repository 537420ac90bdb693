/**
 * The due times of a campaign: a reminder at each lead time before launch (for departments
 * that have not acknowledged), the launch, and the end. Pure: the sweep stores and fires them.
 */

export type CampaignStep = "reminder" | "launch" | "end";

/** One due time; `key` names the occurrence, so it fires once even if planned again. */
export interface CampaignTimerStep {
  key: string;
  step: CampaignStep;
  fireAt: Date;
  /** For reminders: how long before launch. */
  leadMs?: number;
}

/**
 * Plans every step still ahead of `now`. A reminder whose time has already passed (the
 * campaign was announced, or postponed, with little notice) is left out rather than sent at
 * once in a burst; so are a launch or end already past. Keys carry the instant they are
 * relative to, so moving the launch plans fresh reminders instead of reusing fired ones.
 */
export function planCampaignTimers(input: {
  launchAt: Date;
  endAt: Date;
  now: Date;
  remindersMs: readonly number[];
  /**
   * The campaign has not launched yet, though its (new) launch time has passed: an edit
   * moved it into the past. Its launch is then due now, so the departments hear it is live.
   */
  launchOverdue?: boolean | undefined;
  /**
   * Keys of steps planned earlier and not fired yet. Such a step stays planned though its
   * time has passed: it fell due moments ago and the sweep has not reached it, and an edit
   * in that instant must not drop the launch or a reminder.
   */
  unfired?: ReadonlySet<string> | undefined;
}): CampaignTimerStep[] {
  const { launchAt, endAt, now } = input;
  const unfired = input.unfired ?? new Set<string>();
  const overdue = input.launchOverdue === true && launchAt <= now && endAt > now;
  const launch = launchAt.toISOString();
  const leads = [...new Set(input.remindersMs)].filter((ms) => ms > 0).sort((a, b) => b - a);
  const steps: CampaignTimerStep[] = leads.map((leadMs) => ({
    key: `reminder:${leadMs}@${launch}`,
    step: "reminder",
    fireAt: new Date(launchAt.getTime() - leadMs),
    leadMs,
  }));
  steps.push({ key: `launch@${launch}`, step: "launch", fireAt: overdue ? now : launchAt });
  steps.push({ key: `end@${endAt.toISOString()}`, step: "end", fireAt: endAt });
  return steps
    .filter(
      (s) =>
        s.fireAt.getTime() > now.getTime() ||
        (overdue && s.step === "launch") ||
        unfired.has(s.key),
    )
    .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/**
 * Of the steps due in one sweep, the reminders that are no longer news: after downtime several
 * fall due together, and only the latest one (and none once the launch is due) tells a
 * department something true. Without this a team reads "1 day to go" and "2 h to go" at once.
 */
export function supersededReminders<T extends { step: string; fireAt: Date }>(
  due: readonly T[],
): Set<T> {
  const reminders = due.filter((s) => s.step === "reminder");
  const launchDue = due.some((s) => s.step === "launch");
  const latest = Math.max(...reminders.map((s) => s.fireAt.getTime()));
  return new Set(reminders.filter((s) => launchDue || s.fireAt.getTime() < latest));
}

/**
 * What a reminder says is left before launch: its lead time, or less when it goes out late
 * (the bot was down). Rounded up to the minute, so a sweep a few seconds late still reads "1 day".
 */
export function reminderTimeLeft(leadMs: number, launchAt: Date, now: Date): number {
  const left = Math.ceil((launchAt.getTime() - now.getTime()) / 60_000) * 60_000;
  return Math.max(0, Math.min(leadMs, left));
}
