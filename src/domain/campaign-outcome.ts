/**
 * The end summary's figures: per department, the complaints linked to a campaign and the SLA
 * breaches among their threads up to the campaign's end. A breach counts whether the timer
 * sweep recorded it already or not: after downtime the campaign's end can fire in the same
 * sweep as (or before) the breaches it should count, and the summary must not depend on that
 * order.
 */
import type { BusinessCalendar } from "./business-calendar-types.ts";
import { dueAt, type SlaClock } from "./sla-clock.ts";

export interface CampaignOutcomeInput {
  /** Linked complaints per thread, with the thread's department. */
  linked: ReadonlyArray<{ threadId: string; department: string; n: number }>;
  /** The linked threads with their clocks as they are now. */
  threads: ReadonlyArray<{ id: string; department: string; clocks: readonly SlaClock[] }>;
  /** Breaches the sweep recorded for those threads. */
  breaches: ReadonlyArray<{
    threadId: string;
    clockKind: string;
    clockStartedAt: Date;
    department: string;
    dueAt: Date;
  }>;
  /** The campaign's end: breaches due after it are not counted. */
  asOf: Date;
  calendarOf(department: string): BusinessCalendar | undefined;
}

export interface DepartmentOutcome {
  department: string;
  complaints: number;
  breaches: number;
}

const keyOf = (threadId: string, kind: string, startedAt: Date) =>
  `${threadId}|${kind}|${startedAt.toISOString()}`;

/** Departments in key order, each with its linked complaints and breaches. */
export function campaignOutcome(input: CampaignOutcomeInput): DepartmentOutcome[] {
  const complaints = new Map<string, number>();
  for (const l of input.linked)
    complaints.set(l.department, (complaints.get(l.department) ?? 0) + l.n);
  const breaches = new Map<string, number>();
  const counted = new Set<string>();
  const count = (key: string, department: string) => {
    if (counted.has(key)) return;
    counted.add(key);
    breaches.set(department, (breaches.get(department) ?? 0) + 1);
  };
  for (const b of input.breaches) {
    if (b.dueAt <= input.asOf)
      count(keyOf(b.threadId, b.clockKind, b.clockStartedAt), b.department);
  }
  for (const thread of input.threads) {
    for (const clock of thread.clocks) {
      const due = clock.breachedAt ?? dueAt(clock, input.calendarOf(thread.department));
      if (due && due <= input.asOf)
        count(keyOf(thread.id, clock.kind, clock.startedAt), thread.department);
    }
  }
  const departments = [...new Set([...complaints.keys(), ...breaches.keys()])].sort();
  return departments.map((department) => ({
    department,
    complaints: complaints.get(department) ?? 0,
    breaches: breaches.get(department) ?? 0,
  }));
}
