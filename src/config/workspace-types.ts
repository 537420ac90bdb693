import type { BusinessCalendar } from "../domain/business-calendar-types.ts";
import type { Priority, PriorityPolicy, RoutingPolicy } from "../domain/complaint.ts";
import type { NudgePolicy } from "../domain/escalation-plan.ts";
import type { KindPolicy, KindProfile, PostKind } from "../domain/post-kinds.ts";
import type { ClockWindows } from "../domain/sla-clock.ts";

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

/** SLA windows for one priority, in milliseconds; the domain's type, so there is one definition. */
export type SlaWindows = ClockWindows;

/** Someone who receives digests in their own time zone. */
export interface Executive {
  user: string;
  name: string;
  timezone: string;
  /** "HH:MM" local time or a five-field cron expression; undefined means no digest. */
  digest?: string | undefined;
  /** Department keys the digest and Home figures cover; undefined means every department. */
  departments?: string[] | undefined;
}

/** Someone Switchboard may DM, and when: DMs to them wait for their working hours. */
export interface Person {
  /** Key into WorkspaceConfig.calendars; undefined means DMs go out at any hour. */
  calendar?: string | undefined;
}

/** How campaign heads-ups work (the workspace file's campaigns section). */
export interface CampaignSettings {
  /** "#name" or a channel ID (C…) where each campaign's own card is posted: marketing's channel. */
  channel: string;
  /** Who may announce, edit, postpone and cancel campaigns (admins always may). */
  announcers: { users: string[]; usergroups: string[] };
  /** Less notice than this before launch makes an announcement late. */
  minimumNoticeMs: number;
  /** Lead times before launch at which departments that have not acknowledged are reminded, longest first. */
  remindersMs: number[];
  /** How long after a campaign ends complaints are still linked to it. */
  linkTailMs: number;
  spike: { factor: number; windowMs: number; minimum: number };
}

/** Whether to follow a learned model's guess where no rule matched, and how sure it must be. */
export interface LearnedUse {
  enabled: boolean;
  /** 0..1: a guess below it is not followed. */
  minConfidence: number;
}

/** The learned router's settings (`routing.learned` in the workspace file). */
export interface LearningSettings {
  /** Departments, where no routing rule matched. */
  routing: LearnedUse;
  /** Kinds, where no kind rule matched (`kinds.learned`). */
  kinds: LearnedUse;
  /** Training refuses to build a model from fewer confirmed threads than this. */
  minExamples: number;
  /** node-cron schedule on which the bot retrains; undefined: only `npm run routing:train`. */
  retrain?: string | undefined;
}

/** The validated workspace file, in the shape the rest of the app uses. */
export interface WorkspaceConfig {
  departments: Department[];
  routing: RoutingPolicy;
  /** The learned fallback for routing and kinds. */
  learning: LearningSettings;
  /** How posts are told apart: complaint, question, praise, other. */
  kinds: KindPolicy;
  /** Per kind: its SLA clocks and where its posts are shown. */
  kindProfiles: Record<PostKind, KindProfile>;
  priority: PriorityPolicy;
  sla: Record<Priority, SlaWindows>;
  calendars: Record<string, BusinessCalendar>;
  executives: Executive[];
  /** Slack member IDs allowed to run admin commands. */
  admins: string[];
  /** How SLA clocks are chased; DEFAULT_NUDGE_POLICY unless the file has an escalation section. */
  nudges: NudgePolicy;
  /** "#name" or a channel ID (C…) where escalations are posted; undefined when none is set. */
  executivesChannel?: string | undefined;
  /** Working hours by Slack member ID, for timing DMs; someone not listed can be DMed any time. */
  people: Record<string, Person>;
  /** Campaign heads-ups; undefined when the file has no campaigns section (the feature is off). */
  campaigns?: CampaignSettings | undefined;
}

/** Finds a department by key; undefined when no department has it. */
export function departmentByKey(
  config: Pick<WorkspaceConfig, "departments">,
  key: string,
): Department | undefined {
  return config.departments.find((department) => department.key === key);
}
