/**
 * What campaign views show and the phrases they share: dates as Slack tokens, counts,
 * keywords, a department's acknowledgement, an edit's changes. Pure.
 */
import { type CampaignStatus, type FieldChange, isShownChange } from "../../domain/campaign.ts";
import { formatCount } from "../../domain/match-conditions.ts";
import { formatSpan } from "./due-line.ts";
import {
  escapeAndTruncate,
  escapeMrkdwn,
  joinBounded,
  oneLine,
  slackDate,
  truncate,
  userMention,
} from "./mrkdwn.ts";

/** One affected department, as campaign views show it. */
export interface CampaignDepartmentModel {
  key: string;
  /** Display name from the config (the key when the config no longer has it). */
  name: string;
  /** False once an edit took it off the campaign. */
  active: boolean;
  acknowledgedBy?: string | undefined;
  acknowledgedAt?: Date | undefined;
  /** Who a reminder mentions: the department's user group, else its leads. */
  usergroup?: string | undefined;
  leads: string[];
  /** Where its heads-up is, once posted. */
  headsUp?: { channel: string; ts: string } | undefined;
}

/** A campaign as every campaign view shows it; built at render time from the database. */
export interface CampaignModel {
  id: string;
  /**
   * The latest request to acknowledge (acknowledgementRound); its Acknowledge buttons carry
   * it, so a click on one drawn before a newer request is refused.
   */
  acknowledgementRound?: number | undefined;
  name: string;
  description?: string | undefined;
  launchAt: Date;
  endAt: Date;
  status: CampaignStatus;
  late: boolean;
  /**
   * Notice given of the current launch time: launch minus the announcement, or minus the edit
   * that last brought the launch forward.
   */
  noticeMs: number;
  minimumNoticeMs: number;
  /** Marketing channels, as labels ("Email", "TV"…). */
  channels: string[];
  audienceSize?: number | undefined;
  expectedVolume?: number | undefined;
  keywords: string[];
  talkingPoints?: string | undefined;
  faqUrl?: string | undefined;
  owner: string;
  /** Slack user id of whoever announced it, when a person did (not a marketing tool). */
  announcedBy?: string | undefined;
  departments: CampaignDepartmentModel[];
  /** Complaints linked so far. */
  linked: number;
  /** The moment of rendering. */
  now: Date;
}

/** Bounds for user-supplied campaign text (Slack's section limit is 3000). */
export const CAMPAIGN_TEXT_LIMITS = {
  name: 150,
  section: 3000,
  description: 1500,
  talkingPoints: 2800,
  keywords: 1200,
  department: 80,
} as const;

export const STATUS_LABELS: Record<CampaignStatus, string> = {
  upcoming: ":calendar: *Upcoming*",
  live: ":large_green_circle: *Live now*",
  ended: ":checkered_flag: *Ended*",
  cancelled: ":no_entry_sign: *Cancelled*",
};

/**
 * "Upcoming · launch <date> (in 3d 4h) · ends <date>": the status in words with the campaign's
 * times, as the cards, the list and the talking points all say it. A message updated in place
 * only now and then leaves out the countdown (`countdown: false`), which would go stale
 * between updates: Slack draws the date itself in each reader's zone when they look.
 */
export function statusLine(model: CampaignModel, o: { countdown?: boolean } = {}): string {
  const launch =
    o.countdown === false
      ? (slackDate(model.launchAt) ?? "?")
      : whenMrkdwn(model.launchAt, model.now);
  return `${STATUS_LABELS[model.status]} · launch ${launch} · ends ${slackDate(model.endAt) ?? "?"}`;
}

/** The campaign's name, escaped, on one bounded line. */
export function campaignName(model: { name: string }): string {
  return escapeAndTruncate(oneLine(model.name), CAMPAIGN_TEXT_LIMITS.name) || "(unnamed)";
}

/** A department's name, escaped and bounded. */
export function departmentName(department: { name: string }): string {
  return escapeAndTruncate(oneLine(department.name), CAMPAIGN_TEXT_LIMITS.department);
}

/** A date in each viewer's time zone, with "(in 3d 4h)" or "(2h ago)" after it. */
export function whenMrkdwn(date: Date, now: Date): string {
  const token = slackDate(date) ?? "an unknown time";
  const left = date.getTime() - now.getTime();
  if (Math.abs(left) < 60_000) return `${token} (now)`;
  return left > 0 ? `${token} (in ${formatSpan(left)})` : `${token} (${formatSpan(-left)} ago)`;
}

/** "20h" for a notice; "none (after launch)" when it was announced late. */
export function describeNotice(ms: number): string {
  return ms > 0 ? formatSpan(ms) : "none: announced after launch";
}

/** The late warning both cards carry. */
export function lateLine(model: CampaignModel): string {
  // "given", not "announced": an edit that brings the launch forward makes the notice short too.
  const when =
    model.noticeMs > 0 ? `only ${formatSpan(model.noticeMs)} before launch` : "given after launch";
  return `:warning: *Late notice:* ${when} (minimum notice ${formatSpan(model.minimumNoticeMs)}).`;
}

/** Keywords as code spans: `SPRING25`, `#springsale`; bounded, with "and N more". */
export function keywordsMrkdwn(keywords: readonly string[]): string {
  const spans = keywords.map((k) => `\`${escapeMrkdwn(oneLine(k).replaceAll("`", "'"))}\``);
  return joinBounded(spans, ", ", CAMPAIGN_TEXT_LIMITS.keywords);
}

/** "16,000" or "not given". */
export function countText(value: number | undefined): string {
  return value === undefined ? "_not given_" : formatCount(value);
}

/** "Acknowledged by @alice, Tue 14:02" or "Waiting for acknowledgement". */
export function acknowledgementLine(department: CampaignDepartmentModel): string {
  if (!department.acknowledgedBy) return ":hourglass_flowing_sand: waiting for acknowledgement";
  const when = department.acknowledgedAt ? ` ${slackDate(department.acknowledgedAt) ?? ""}` : "";
  return `:white_check_mark: acknowledged by ${userMention(department.acknowledgedBy)}${when}`;
}

/** The people a reminder or alert mentions for a department: its user group, else its leads. */
export function departmentMentions(department: CampaignDepartmentModel): string {
  if (department.usergroup && /^S[A-Z0-9]+$/.test(department.usergroup))
    return `<!subteam^${department.usergroup}>`;
  return department.leads.map(userMention).join(" ");
}

const FIELD_LABELS: Record<FieldChange["field"], string> = {
  name: "Name",
  description: "Description",
  launchAt: "Launch",
  endAt: "End",
  channels: "Marketing channels",
  audienceSize: "Audience",
  expectedVolume: "Expected volume",
  departments: "Departments",
  keywords: "Keywords",
  talkingPoints: "Talking points",
  faqUrl: "FAQ link",
  owner: "Owner",
};

/**
 * One bullet per change: "• *Launch:* Mon 09:00 → Wed 09:00". Long texts only say they
 * changed; department keys become names through `departmentNames`.
 */
export function describeChanges(
  changes: readonly FieldChange[],
  departmentNames: Record<string, string>,
): string {
  // A time moved within its minute reads "10:00 → 10:00": not a change anyone can see.
  const lines = changes.filter(isShownChange).map((change) => {
    const label = FIELD_LABELS[change.field] ?? escapeMrkdwn(change.field);
    if (change.field === "description" || change.field === "talkingPoints")
      return `• *${label}* updated`;
    return `• *${label}:* ${valueText(change.field, change.from, departmentNames)} → ${valueText(change.field, change.to, departmentNames)}`;
  });
  return truncate(lines.join("\n"), 2000);
}

function valueText(
  field: FieldChange["field"],
  value: unknown,
  names: Record<string, string>,
): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0))
    return "_none_";
  if ((field === "launchAt" || field === "endAt") && typeof value === "string")
    return slackDate(new Date(value)) ?? escapeMrkdwn(value);
  if (field === "owner" && typeof value === "string") return userMention(value);
  if (field === "departments" && Array.isArray(value))
    return value
      .map((k) => escapeAndTruncate(oneLine(names[String(k)] ?? String(k)), 80))
      .join(", ");
  if (field === "keywords" && Array.isArray(value)) return keywordsMrkdwn(value.map(String));
  if (typeof value === "number") return formatCount(value);
  if (Array.isArray(value))
    return value.map((v) => escapeAndTruncate(oneLine(String(v)), 80)).join(", ");
  return escapeAndTruncate(oneLine(String(value)), 300);
}
