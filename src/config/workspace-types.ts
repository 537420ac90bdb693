import type { BusinessCalendar } from "../domain/business-calendar-types.ts";
import type { Priority, PriorityPolicy, RoutingPolicy } from "../domain/complaint.ts";

/** A team that owns complaints, with the Slack channel where its cards are posted. */
export interface Department {
  /** Lowercase slug referenced by routing rules, e.g. "baggage". */
  key: string;
  name: string;
  /** "#name" or a channel ID (C…); resolve names to IDs before calling Slack. */
  channel: string;
  /** Slack member IDs of the people escalations go to. */
  leads: string[];
  /** Key into WorkspaceConfig.calendars; undefined means staffed around the clock. */
  calendar?: string | undefined;
  /** Slack user group ID (S…) mentioned alongside the channel. */
  usergroup?: string | undefined;
}

/** SLA windows for one priority, in milliseconds; absent windows are not tracked. */
export interface SlaWindows {
  claimMs?: number | undefined;
  firstResponseMs: number;
  nextResponseMs?: number | undefined;
  resolutionMs?: number | undefined;
}

/** Someone who receives digests in their own time zone. */
export interface Executive {
  user: string;
  name: string;
  timezone: string;
  /** "HH:MM" local time or a five-field cron expression; undefined means no digest. */
  digest?: string | undefined;
}

/** The validated workspace file, in the shape the rest of the app uses. */
export interface WorkspaceConfig {
  departments: Department[];
  routing: RoutingPolicy;
  priority: PriorityPolicy;
  sla: Record<Priority, SlaWindows>;
  calendars: Record<string, BusinessCalendar>;
  executives: Executive[];
  /** Slack member IDs allowed to run admin commands. */
  admins: string[];
}

/** Finds a department by key; undefined when no department has it. */
export function departmentByKey(
  config: Pick<WorkspaceConfig, "departments">,
  key: string,
): Department | undefined {
  return config.departments.find((department) => department.key === key);
}
