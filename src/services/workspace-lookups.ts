import type { Department, WorkspaceConfig } from "../config/workspace-types.ts";
import type { BusinessCalendar } from "../domain/business-calendar-types.ts";
import type { Priority } from "../domain/complaint.ts";
import type { ClockWindows } from "../domain/sla-clock.ts";

/** The department's business-hours calendar; undefined means around the clock. */
export function calendarOf(
  config: WorkspaceConfig,
  departmentKey: string,
): BusinessCalendar | undefined {
  const key = config.departments.find((d) => d.key === departmentKey)?.calendar;
  return key ? config.calendars[key] : undefined;
}

/** A person's working hours, for DMs; undefined means any time. */
export function personCalendar(
  config: WorkspaceConfig,
  userId: string,
): BusinessCalendar | undefined {
  const key = config.people[userId]?.calendar;
  return key ? config.calendars[key] : undefined;
}

export function windowsFor(config: WorkspaceConfig, priority: string): ClockWindows {
  return config.sla[priority as Priority] ?? config.sla.P4;
}

export function departmentOf(config: WorkspaceConfig, key: string): Department | undefined {
  return config.departments.find((d) => d.key === key);
}

/** The time zone a department's times are shown in. */
export function timezoneOf(config: WorkspaceConfig, departmentKey: string): string {
  return calendarOf(config, departmentKey)?.timezone ?? "UTC";
}
