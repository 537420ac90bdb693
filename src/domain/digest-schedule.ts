/**
 * When an executive's digest is due: a local time ("08:00") or five cron fields
 * ("0 7 * * 1-5"), always read in the executive's time zone. Slots are real instants computed
 * through zoned-time.ts, so a daylight-saving change neither skips nor doubles a digest: a
 * local time inside a spring-forward gap is sent at the moment of the jump, and a time that
 * happens twice when clocks fall back is sent at the first of the two. A period between two
 * slots is as long as the local days between them: 23 or 25 hours across a change.
 */
import type { Weekday } from "./business-calendar-types.ts";
import {
  addLocalDays,
  instantAtLocal,
  type LocalDate,
  localDateTimeOf,
  weekdayOf,
} from "./zoned-time.ts";

/** A parsed digest schedule: each field the set of values it allows. */
export interface DigestSchedule {
  /** The schedule as written, for messages. */
  text: string;
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: ReadonlySet<number>;
  /** Cron's rule: when both day fields are restricted, a day matching either is due. */
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

/** A schedule, or why the text is not one (worded to follow the quoted text). */
export type DigestScheduleResult = { schedule: DigestSchedule } | { problem: string };

const LOCAL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Names count from this value (months from 1, days from 0). */
  namesFrom?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  // 7 is Sunday too, as in every cron.
  { name: "day of week", min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

/** Whether a schedule is a local time "HH:MM" (once a day) rather than cron fields. */
export function isLocalTime(text: string): boolean {
  return LOCAL_TIME.test(text.trim());
}

/** Parses "HH:MM" (every day) or five cron fields: minute hour day-of-month month day-of-week. */
export function parseDigestSchedule(text: string): DigestScheduleResult {
  const trimmed = text.trim();
  const time = LOCAL_TIME.exec(trimmed);
  const fields = time ? [time[2], time[1], "*", "*", "*"] : trimmed.split(/\s+/);
  // "25:00" or "9:60" is a time of day gone wrong, not a one-field cron expression.
  if (!time && /^\d{1,2}:\d{2}$/.test(trimmed)) {
    return { problem: 'is not a time of day written "HH:MM" (two digits each, 00:00 to 23:59)' };
  }
  // "5pm" or "8am": one word, meant as a time.
  if (fields.length === 1) {
    return {
      problem:
        'is not a local time written "HH:MM" on the 24-hour clock (5pm is "17:00"), nor five cron fields (minute hour day-of-month month day-of-week)',
    };
  }
  if (fields.length !== 5) {
    return {
      problem: `has ${fields.length} fields; write a local time "HH:MM" or five cron fields (minute hour day-of-month month day-of-week)`,
    };
  }
  const sets: number[][] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const parsed = parseField(fields[index] ?? "", spec);
    if ("problem" in parsed) return parsed;
    sets.push(parsed.values);
  }
  const [minutes = [], hours = [], doms = [], months = [], dows = []] = sets;
  const schedule: DigestSchedule = {
    text: trimmed,
    minutes,
    hours,
    daysOfMonth: new Set(doms),
    months: new Set(months),
    daysOfWeek: new Set(dows.map((d) => d % 7)),
    dayOfMonthRestricted: fields[2] !== "*",
    dayOfWeekRestricted: fields[4] !== "*",
  };
  if (!canEverRun(schedule))
    return { problem: "names a day that never comes (such as 31 February)" };
  return { schedule };
}

function parseField(text: string, spec: FieldSpec): { values: number[] } | { problem: string } {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(part);
    if (!match)
      return { problem: `has "${part}" in its ${spec.name} field, which cron cannot read` };
    const step = match[2] === undefined ? 1 : Number(match[2]);
    if (step < 1) return { problem: `has a step of 0 in its ${spec.name} field` };
    const range = rangeOf(match[1] ?? "", spec, match[2] !== undefined);
    if ("problem" in range) return range;
    for (let v = range.low; v <= range.high; v += step) values.add(v);
  }
  return { values: [...values].sort((a, b) => a - b) };
}

function rangeOf(
  text: string,
  spec: FieldSpec,
  stepped: boolean,
): { low: number; high: number } | { problem: string } {
  if (text === "*") return { low: spec.min, high: spec.max };
  const [lowText = "", highText] = text.split("-");
  const low = fieldValue(lowText, spec);
  // "5/15" means from 5 to the end, every 15.
  const high = highText === undefined ? (stepped ? spec.max : low) : fieldValue(highText, spec);
  if (low === undefined || high === undefined) {
    return {
      problem: `has "${text}" in its ${spec.name} field; expected ${spec.min}-${spec.max}${spec.names ? ` or ${spec.names.slice(0, 3).join(", ")}…` : ""}`,
    };
  }
  if (low > high) return { problem: `has the backwards range "${text}" in its ${spec.name} field` };
  return { low, high };
}

function fieldValue(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.namesFrom ?? 0);
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** False for schedules like "0 8 31 2 *" whose day of month never exists in their months. */
function canEverRun(s: DigestSchedule): boolean {
  if (s.dayOfWeekRestricted && s.dayOfMonthRestricted) return true;
  if (!s.dayOfMonthRestricted) return true;
  return [...s.months].some((month) =>
    [...s.daysOfMonth].some((day) => day <= (DAYS_IN_MONTH[month - 1] ?? 0)),
  );
}

const WEEKDAY_NUMBER: Record<Weekday, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

/** True when the schedule runs on this local date. */
export function runsOn(schedule: DigestSchedule, date: LocalDate): boolean {
  if (!schedule.months.has(date.month)) return false;
  const dom = schedule.daysOfMonth.has(date.day);
  const dow = schedule.daysOfWeek.has(WEEKDAY_NUMBER[weekdayOf(date)]);
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return dom || dow;
  return dom && dow;
}

/** Far enough to reach a 29 February from any date, with room to spare. */
const MAX_DAYS_AHEAD = 9 * 366;

/**
 * The first slot strictly after `after`, as an instant. Slots are the schedule's local times
 * on its days in `timezone`; a local time that does not exist that day (spring forward) is
 * the instant of the jump, one that happens twice (fall back) the first of the two. Slots
 * that land on one instant count once. Null only for a schedule that never runs.
 */
export function nextDigestSlot(
  schedule: DigestSchedule,
  after: Date,
  timezone: string,
): Date | null {
  // A day early: the last slot of the previous local day can still lie after `after`
  // when the jump of a spring-forward gap pushes it over midnight.
  let day = addLocalDays(localDateTimeOf(after, timezone).date, -1);
  for (let i = 0; i < MAX_DAYS_AHEAD; i += 1, day = addLocalDays(day, 1)) {
    if (!runsOn(schedule, day)) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const slot = instantAtLocal(day, hour * 60 + minute, timezone);
        if (slot.getTime() > after.getTime()) return slot;
      }
    }
  }
  return null;
}

/**
 * The last slot strictly before `before`, the mirror of nextDigestSlot: where a first digest
 * starts, as if one had been sent then. Null only for a schedule that never runs.
 */
export function previousDigestSlot(
  schedule: DigestSchedule,
  before: Date,
  timezone: string,
): Date | null {
  const start = addLocalDays(localDateTimeOf(before, timezone).date, 1);
  let best: Date | null = null;
  let foundOn = -1;
  for (let i = 0; i < MAX_DAYS_AHEAD; i += 1) {
    // A slot of the day before can still come after this day's first ones when a
    // spring-forward gap pushes it over midnight: look one day further before answering.
    if (best && i > foundOn + 1) return best;
    const day = addLocalDays(start, -i);
    if (!runsOn(schedule, day)) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const slot = instantAtLocal(day, hour * 60 + minute, timezone);
        if (slot.getTime() >= before.getTime() || (best && slot <= best)) continue;
        if (!best) foundOn = i;
        best = slot;
      }
    }
  }
  return best;
}

/**
 * The same local time a day earlier in `timezone`: "since this time yesterday", 23 or 25
 * hours before `at` across a daylight-saving change. A time yesterday's clocks skipped is
 * the moment of the jump; one they showed twice, the first.
 */
export function sameTimeDayBefore(at: Date, timezone: string): Date {
  const { date, minuteOfDay } = localDateTimeOf(at, timezone);
  const withinMinute = at.getTime() - Math.floor(at.getTime() / 60_000) * 60_000;
  const yesterday = instantAtLocal(addLocalDays(date, -1), minuteOfDay, timezone);
  return new Date(yesterday.getTime() + withinMinute);
}
