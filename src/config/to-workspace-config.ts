import {
  type BusinessCalendar,
  type TimeSlot,
  WEEKDAYS,
} from "../domain/business-calendar-types.ts";
import { PRIORITIES, type Priority } from "../domain/complaint.ts";
import {
  DEFAULT_KIND_PROFILES,
  type KindDelivery,
  type KindProfile,
  POST_KINDS,
  type PostKind,
} from "../domain/post-kinds.ts";
import { toCampaignSettings } from "./campaign-settings.ts";
import { toNudgePolicy } from "./escalation-policy.ts";
import type { WorkspaceFile } from "./workspace-schema.ts";
import type { LearningSettings, Person, SlaWindows, WorkspaceConfig } from "./workspace-types.ts";

/**
 * Renames the validated file into the runtime shape: ms-suffixed SLA windows, full weeks,
 * the escalation section as the domain's NudgePolicy, and people keyed by member ID.
 */
export function toWorkspaceConfig(file: WorkspaceFile): WorkspaceConfig {
  return {
    departments: file.departments,
    routing: { defaultDepartment: file.routing.default, rules: file.routing.rules },
    learning: toLearningSettings(file.routing.learned, file.kinds),
    kinds: { defaultKind: file.kinds?.default ?? "complaint", rules: file.kinds?.rules ?? [] },
    kindProfiles: toKindProfiles(file.kinds?.profiles ?? {}),
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

/**
 * Defaults when `routing.learned` is left out: on, 0.8, at least 30 examples, no schedule.
 * Kinds follow a model more cautiously (0.9): a complaint wrongly taken for praise loses its
 * clocks. With no `kinds` section every post is a complaint, as documented: no learned kinds.
 */
function toLearningSettings(
  learned: WorkspaceFile["routing"]["learned"],
  kindsSection: WorkspaceFile["kinds"],
): LearningSettings {
  const kinds = kindsSection?.learned;
  return {
    routing: {
      enabled: learned?.enabled ?? true,
      minConfidence: learned?.minConfidence ?? 0.8,
    },
    kinds: {
      enabled: kindsSection !== undefined && (kinds?.enabled ?? true),
      minConfidence: kinds?.minConfidence ?? 0.9,
    },
    minExamples: learned?.minExamples ?? 30,
    retrain: learned?.retrain,
  };
}

type FileProfiles = NonNullable<WorkspaceFile["kinds"]>["profiles"];

/** Each kind's profile: as written, with its clocks defaulting to the kind's usual ones. */
function toKindProfiles(profiles: FileProfiles): Record<PostKind, KindProfile> {
  const entries = POST_KINDS.map((kind): [PostKind, KindProfile] => {
    const written = profiles[kind];
    if (!written) return [kind, DEFAULT_KIND_PROFILES[kind]];
    return [
      kind,
      {
        clocks: written.clocks ?? DEFAULT_KIND_PROFILES[kind].clocks,
        delivery: toDelivery(written),
      },
    ];
  });
  return Object.fromEntries(entries) as Record<PostKind, KindProfile>;
}

// The schema has already insisted on channel, at and timezone where `deliver` needs them.
function toDelivery(profile: NonNullable<FileProfiles[PostKind]>): KindDelivery {
  if (profile.deliver === "channel") return { to: "channel", channel: profile.channel ?? "" };
  if (profile.deliver === "rollup") {
    return {
      to: "rollup",
      channel: profile.channel ?? "",
      at: profile.at ?? "",
      timezone: profile.timezone ?? "UTC",
    };
  }
  return { to: "card" };
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
