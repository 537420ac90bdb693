/**
 * The figures every report shows (digest, App Home, the report API and CLI): one pure
 * function from rows to numbers, so they agree everywhere.
 */
import type { ClockKind } from "../sla-clock.ts";

/** Met, breached and still running runs of a clock (superseded runs are not counted). */
export interface Tally {
  met: number;
  breached: number;
  running: number;
  /** met / (met + breached), 0–1; null when nothing has finished yet. */
  compliance: number | null;
}

/** One line of the compliance table: a department, a priority and a clock. */
export interface ComplianceRow extends Tally {
  department: string;
  priority: string;
  clock: ClockKind;
}

/** How long something took, over the runs that finished in the period. */
export interface TimeStats {
  /** Runs measured (started in the period and stopped since). */
  count: number;
  /** Nearest-rank median and 90th percentile, in ms; null when count is 0. */
  medianMs: number | null;
  p90Ms: number | null;
  /** Runs started in the period and still waiting. */
  waiting: number;
  /**
   * "business": every run was measured in its department's business hours; "clock": none
   * was (no calendars); "mixed": some of each.
   */
  measuredIn: "business" | "clock" | "mixed";
}

/** A thread with a running clock past its first warning. */
export interface AtRiskThread {
  threadId: string;
  department: string;
  priority: string;
  owner: string | null;
  /** The clock closest to (or furthest past) its deadline. */
  clock: ClockKind;
  dueAt: Date | null;
  /** Share of its window used, 0.5 = half. */
  used: number;
  overdue: boolean;
  slackChannel: string | null;
  slackTs: string | null;
}

/** One recorded breach. */
export interface BreachItem {
  threadId: string;
  clock: ClockKind;
  department: string;
  priority: string;
  dueAt: Date;
  slackChannel: string | null;
  slackTs: string | null;
}

/** Counts of something by a label, most frequent first. */
export interface Ranked {
  label: string;
  count: number;
}

/** Per department counts. */
export interface DepartmentVolume {
  department: string;
  complaints: number;
  threadsOpened: number;
  openNow: number;
  /** Open threads now by state ("open" = unclaimed, "claimed", …) and by priority. */
  openByState: Record<string, number>;
  openByPriority: Record<string, number>;
  atRisk: number;
  overdue: number;
  breaches: number;
  compliance: Tally;
}

/** Everything computed for one period. */
export interface Figures {
  from: Date;
  to: Date;
  now: Date;
  timezone: string;
  /** The department keys counted, in the order given (or as found). */
  departments: string[];
  /** Posts received that went on the desk (complaints and questions, by default). */
  complaints: number;
  /** Posts received that were kept off the desk, by kind (praise, other…). */
  offDesk: { total: number; byKind: Ranked[] };
  /** Threads opened on the desk (those kept off it are in offDesk). */
  threadsOpened: number;
  /** Closed threads opened again (by hand, or by the customer writing). */
  reopened: number;
  openNow: number;
  atRisk: number;
  /** Of atRisk, those already past a deadline. */
  overdue: number;
  atRiskThreads: AtRiskThread[];
  byDepartment: DepartmentVolume[];
  compliance: {
    byClock: Record<ClockKind, Tally>;
    overall: Tally;
    rows: ComplianceRow[];
  };
  timeToClaim: TimeStats;
  timeToFirstResponse: TimeStats;
  breaches: BreachItem[];
  routingRules: Ranked[];
  priorityReasons: Ranked[];
  handOvers: { total: number; routes: Array<{ from: string; to: string; count: number }> };
  dismissals: { total: number; byReason: Ranked[] };
  /** Complaints, threads opened and breaches per local day of `timezone`. */
  daily: Array<{ date: string; complaints: number; threadsOpened: number; breaches: number }>;
  /** Campaigns with complaints linked in the period and scope, most linked first. */
  campaigns: Array<{ id: string; name: string; complaints: number }>;
}
