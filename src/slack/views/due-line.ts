/**
 * Human phrases for SLA deadlines: "First response due 14:05 (in 12 min)", "Resolution overdue
 * by 25 min". Times are shown in the department calendar's time zone; the mrkdwn variants also
 * carry Slack's date token so each viewer sees their own clock. Pure: `now` is a parameter.
 */
import { formatDuration } from "../../domain/duration.ts";
import type { ClockKind } from "../../domain/sla-clock.ts";

/** What each clock promises, as a card or nudge names it. */
export const CLOCK_LABELS: Record<ClockKind, string> = {
  claim: "Claim",
  firstResponse: "First response",
  nextResponse: "Next response",
  resolution: "Resolution",
};

const PAUSED = "paused while waiting on the customer";
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Options for `describeDue`. */
export interface DueOptions {
  /** The clock has breached even though `dueAt` is unknown (paused) or still ahead. */
  breached?: boolean | undefined;
  /** Office hours left before `dueAt` when the department keeps a calendar (see `describeLeft`). */
  workingLeftMs?: number | undefined;
}

/** A clock's deadline in words; see `describeDue` and `describeDueMrkdwn`. */
export type DueDescriber = (
  kind: ClockKind,
  dueAt: Date | null,
  now: Date,
  timezone: string,
  paused: boolean,
  options?: DueOptions,
) => string;

/**
 * The plain phrase for one clock: "First response due 14:05 (in 12 min)", "Claim due 09:30
 * tomorrow (paused while waiting on the customer)", "Resolution overdue by 25 min".
 * `dueAt` null means paused with no projected deadline. A deadline reached exactly is overdue,
 * as in sla-clock's `isBreached`.
 */
export const describeDue: DueDescriber = dueDescriber(describeWhen);

/**
 * `describeDue` as mrkdwn: the deadline becomes Slack's `<!date^…>` token, rendered in each
 * viewer's own time zone, with the department-zone phrase (and zone name) as its fallback.
 */
export const describeDueMrkdwn: DueDescriber = dueDescriber(slackWhen);

/** The phrase for one clock, its deadline put in words by `when` (what the two differ in). */
function dueDescriber(when: (at: Date, now: Date, timezone: string) => string): DueDescriber {
  return (kind, dueAt, now, timezone, paused, options = {}) => {
    const label = CLOCK_LABELS[kind] ?? "Deadline";
    if (dueAt === null || !isValidDate(dueAt)) {
      if (options.breached) return `${label} overdue (${PAUSED})`;
      return paused ? `${label} ${PAUSED}` : `${label} paused`;
    }
    const left = dueAt.getTime() - now.getTime();
    const suffix = paused ? ` (${PAUSED})` : "";
    if (left <= 0) return `${label} overdue by ${formatSpan(-left)}${suffix}`;
    if (options.breached) return `${label} overdue${suffix}`;
    const detail = paused ? PAUSED : describeLeft(left, options.workingLeftMs);
    return `${label} due ${when(dueAt, now, timezone)} (${detail})`;
  };
}

/**
 * How long until a deadline: "in 12 min", and, for a department with office hours when they
 * differ from the wall time, how much of them is left: "in 2 days 16 h; 1 h 30 min of office
 * hours left" (a Friday evening's deadline on Monday morning). Without it a weekend looks
 * like slack time when half the window may already be spent.
 */
export function describeLeft(leftMs: number, workingLeftMs?: number): string {
  const wall = `in ${formatSpan(leftMs)}`;
  if (workingLeftMs === undefined || workingLeftMs <= 0) return wall;
  const working = formatSpan(workingLeftMs);
  return working === formatSpan(leftMs) ? wall : `${wall}; ${working} of office hours left`;
}

/**
 * A length of time for people, cut (not rounded) to whole minutes: "12 min", "1 h",
 * "1 h 30 min", "2 days 3 h"; "less than a minute" below one.
 */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE_MS);
  if (!Number.isFinite(minutes) || minutes === 0) return "less than a minute";
  return formatDuration(minutes * MINUTE_MS, 2)
    .split(" ")
    .map((part) => {
      const amount = Number.parseInt(part, 10);
      if (part.endsWith("d")) return `${amount} ${amount === 1 ? "day" : "days"}`;
      return part.endsWith("h") ? `${amount} h` : `${amount} min`;
    })
    .join(" ");
}

/**
 * When `at` falls, seen from `now` in `timezone`: "14:05" today, "09:30 tomorrow",
 * "16:40 yesterday", "09:30 Friday" within six days either way, else "09:30 on 12 Mar"
 * (with the year when it differs).
 */
export function describeWhen(at: Date, now: Date, timezone: string): string {
  const zone = formatterZone(timezone);
  const time = formatTime(at, zone);
  const days = calendarDaysBetween(now, at, zone);
  if (days === 0) return time;
  if (days === 1) return `${time} tomorrow`;
  if (days === -1) return `${time} yesterday`;
  if (Math.abs(days) < 7) return `${time} ${formatter(zone, WEEKDAY).format(at)}`;
  const sameYear = dayParts(at, zone).year === dayParts(now, zone).year;
  return `${time} on ${formatter(zone, sameYear ? DAY_MONTH : DAY_MONTH_YEAR).format(at)}`;
}

/**
 * Slack's date token for `at`: Slack's own "today"/"tomorrow"/"Mar 12" plus the time, both in
 * the viewer's zone. Always with the day: a deadline later today in `timezone` may fall
 * tomorrow for a viewer elsewhere ("02:00" would read as past). The fallback, for clients
 * that cannot render it, is `describeWhen` with the zone's short name.
 */
export function slackWhen(at: Date, now: Date, timezone: string): string {
  const zone = formatterZone(timezone);
  const fallback = describeWhenInZone(at, now, zone);
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

/**
 * `describeWhen` with the zone's short name, "14:05 GMT", for text that cannot carry Slack's
 * date token (a notification's preview): a bare time would read as the reader's own.
 */
export function describeWhenInZone(at: Date, now: Date, timezone: string): string {
  const zone = formatterZone(timezone);
  return `${describeWhen(at, now, zone)} ${zoneName(at, zone)}`;
}

/** The time of day of `at` in `timezone`, 24-hour: "14:05". */
export function formatTime(at: Date, timezone: string): string {
  return formatter(formatterZone(timezone), TIME).format(at);
}

/** The date of `at` in `timezone`: "Mon 2 Mar 2026". */
export function formatDay(at: Date, timezone: string): string {
  return formatter(formatterZone(timezone), DAY).format(at).replace(",", "");
}

const DAY: Intl.DateTimeFormatOptions = {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
};
const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: "long" };
const DAY_MONTH: Intl.DateTimeFormatOptions = { day: "numeric", month: "short" };
const DAY_MONTH_YEAR: Intl.DateTimeFormatOptions = { ...DAY_MONTH, year: "numeric" };
const DAY_PARTS: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "numeric",
  day: "numeric",
};
const ZONE_NAME: Intl.DateTimeFormatOptions = { ...TIME, timeZoneName: "short" };

// Building an Intl formatter is slow next to using one, and cards are re-rendered often.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timezone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: timezone });
    formatters.set(key, found);
  }
  return found;
}

/** `timezone` when Intl knows it, else UTC: a view must render even with a stale zone name. */
function formatterZone(timezone: string): string {
  try {
    formatter(timezone, TIME);
    return timezone;
  } catch {
    return "UTC";
  }
}

function zoneName(at: Date, timezone: string): string {
  const part = formatter(timezone, ZONE_NAME)
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timezone;
}

function dayParts(at: Date, timezone: string): { year: number; month: number; day: number } {
  const parts = formatter(timezone, DAY_PARTS).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? Number.NaN);
  return { year: get("year"), month: get("month"), day: get("day") };
}

/** Whole calendar days from `from` to `to` as dated in `timezone` (0 = same day). */
function calendarDaysBetween(from: Date, to: Date, timezone: string): number {
  const a = dayParts(from, timezone);
  const b = dayParts(to, timezone);
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS,
  );
}

function isValidDate(date: Date): boolean {
  return Number.isFinite(date.getTime());
}
