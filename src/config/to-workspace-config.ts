import {
  type BusinessCalendar,
  type TimeSlot,
  WEEKDAYS,
} from "../domain/business-calendar-types.ts";
import { PRIORITIES, type Priority } from "../domain/complaint.ts";
import { toCampaignSettings } from "./campaign-settings.ts";
import { toNudgePolicy } from "./escalation-policy.ts";
import type { WorkspaceFile } from "./workspace-schema.ts";
import type { Person, SlaWindows, WorkspaceConfig } from "./workspace-types.ts";

/**
 * Renames the validated file into the runtime shape: ms-suffixed SLA windows, full weeks,
 * the escalation section as the domain's NudgePolicy, and people keyed by member ID.
 */
export function toWorkspaceConfig(file: WorkspaceFile): WorkspaceConfig {
  return {
    departments: file.departments,
    routing: { defaultDepartment: file.routing.default, rules: file.routing.rules },
    priority: file.priority,
    sla: Object.fromEntries(
      PRIORITIES.map((priority) => [priority, toSlaWindows(file.sla[priority])]),
    ) as Record<Priority, SlaWindows>,
    calendars: Object.fromEntries(
      Object.entries(file.calendars).map(([key, calendar]) => [key, toBusinessCalendar(calendar)]),
    ),
    executives: file.executives,
    admins: file.admins,
    nudges: toNudgePolicy(file.escalation),
    executivesChannel: file.escalation?.executivesChannel,
    people: Object.fromEntries(
      file.people.map(({ user, calendar }): [string, Person] => [user, { calendar }]),
    ),
    campaigns: file.campaigns ? toCampaignSettings(file.campaigns) : undefined,
  };
}

function toSlaWindows(windows: WorkspaceFile["sla"][Priority]): SlaWindows {
  return {
    claimMs: windows.claim,
    firstResponseMs: windows.firstResponse,
    nextResponseMs: windows.nextResponse,
    resolutionMs: windows.resolution,
  };
}

function toBusinessCalendar(calendar: WorkspaceFile["calendars"][string]): BusinessCalendar {
  const week = Object.fromEntries(
    WEEKDAYS.map((day) => [day, sortSlots(calendar.hours[day] ?? [])]),
  ) as BusinessCalendar["week"];
  return { timezone: calendar.timezone, week, holidays: [...calendar.holidays].sort() };
}

function sortSlots(slots: TimeSlot[]): TimeSlot[] {
  return [...slots].sort((a, b) => a.startMinute - b.startMinute);
}
