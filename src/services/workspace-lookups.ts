import type { Department, WorkspaceConfig } from "../config/workspace-types.ts";
import type { BusinessCalendar } from "../domain/business-calendar-types.ts";
import type { Priority } from "../domain/complaint.ts";
import { POST_KINDS } from "../domain/post-kinds.ts";
import { type ClockWindows, remainingMs, type SlaClock } from "../domain/sla-clock.ts";

/**
 * Office hours a running clock has left at `now`, for a department with a calendar (due
 * lines say it beside the wall time); undefined around the clock, or when it is not running.
 */
export function officeHoursLeft(
  config: WorkspaceConfig,
  departmentKey: string,
  clock: SlaClock,
  now: Date,
): number | undefined {
  const calendar = calendarOf(config, departmentKey);
  if (!calendar || clock.runningSince === null) return undefined;
  return remainingMs(clock, now, calendar);
}

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

/** A channel the configuration names ("#sb-baggage" or an id), and for what, as a key path. */
export interface NamedChannel {
  ref: string;
  what: string;
}

/**
 * Every channel the configuration names: the departments', the executives' and marketing's,
 * and those of kinds delivered to a channel or a roll-up.
 */
export function namedChannels(config: WorkspaceConfig): NamedChannel[] {
  return [
    ...config.departments.map((d) => ({ ref: d.channel, what: `department ${d.key}` })),
    ...(config.executivesChannel
      ? [{ ref: config.executivesChannel, what: "escalation.executivesChannel" }]
      : []),
    ...(config.campaigns ? [{ ref: config.campaigns.channel, what: "campaigns.channel" }] : []),
    ...POST_KINDS.flatMap((kind) => {
      const delivery = config.kindProfiles[kind]?.delivery;
      return delivery && delivery.to !== "card"
        ? [{ ref: delivery.channel, what: `kinds.profiles.${kind}.channel` }]
        : [];
    }),
  ];
}
