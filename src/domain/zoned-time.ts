/**
 * Wall-clock time in IANA zones, with nothing but the built-in Intl API: an instant's local
 * date and minute, and back again. Business hours are written in local time; SLAs run on
 * real instants, so every conversion between the two goes through here.
 */
import { WEEKDAYS, type Weekday } from "./business-calendar-types.ts";

/** A calendar date as people in some zone see it; month is 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** An instant as a wall clock in some zone shows it, to the minute. */
export interface LocalDateTime {
  date: LocalDate;
  /** Minutes after local midnight, 0–1439. */
  minuteOfDay: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// Building a DateTimeFormat costs far more than using one, and calendars reuse a few zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      // h23, not hour12: false, which renders midnight as "24" in some engines.
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/**
 * What a wall clock in `timezone` shows at instant `ms`, written as if that reading were UTC
 * ("wall milliseconds"). Subtracting the instant gives the zone's offset.
 */
function wallClockMs(ms: number, timezone: string): number {
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timezone).formatToParts(ms)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const { year, month, day, hour, minute, second } = fields;
  // Intl drops milliseconds; put them back so the offset comes out whole.
  const withinSecond = ms - Math.floor(ms / 1000) * 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + withinSecond;
}

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
export function offsetMsAt(at: Date, timezone: string): number {
  return wallClockMs(at.getTime(), timezone) - at.getTime();
}

/** The local date and minute of day that a wall clock in `timezone` shows at `at`. */
export function localDateTimeOf(at: Date, timezone: string): LocalDateTime {
  const wall = wallClockMs(at.getTime(), timezone);
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  return {
    date: localDateFromWallMs(midnight),
    minuteOfDay: Math.floor((wall - midnight) / MINUTE_MS),
  };
}

/**
 * The first instant at which a wall clock in `timezone` shows `minuteOfDay` on `date` or later.
 * `minuteOfDay` may be 1440 ("24:00", the next midnight). When clocks fall back and a time
 * happens twice this is the earlier instant; when clocks spring forward over it, the time
 * never shows, and this is the moment of the jump: the first instant showing a later time.
 */
export function instantAtLocal(date: LocalDate, minuteOfDay: number, timezone: string): Date {
  return new Date(firstInstantShowing(wallMsOf(date) + minuteOfDay * MINUTE_MS, timezone));
}

/**
 * `instantAtLocal` for several minutes of one local day (slot boundaries), in milliseconds.
 * On the vast majority of days the offset is the same a day either side, and then two
 * look-ups serve every boundary instead of three per boundary. (No zone changes its offset
 * and back again within three days, so equal offsets mean no change in between.)
 */
export function instantsOnLocalDay(
  date: LocalDate,
  minutesOfDay: readonly number[],
  timezone: string,
): number[] {
  const midnight = wallMsOf(date);
  const dayBefore = midnight - DAY_MS;
  const dayAfterNext = midnight + 2 * DAY_MS;
  const offset = wallClockMs(dayBefore, timezone) - dayBefore;
  const steady = wallClockMs(dayAfterNext, timezone) - dayAfterNext === offset;
  return minutesOfDay.map((minute) => {
    const wall = midnight + minute * MINUTE_MS;
    return steady ? wall - offset : firstInstantShowing(wall, timezone);
  });
}

function firstInstantShowing(wall: number, timezone: string): number {
  // Offsets a day either side bracket any one transition near this reading.
  const before = wall - DAY_MS;
  const after = wall + DAY_MS;
  const candidates = [wall - (wallClockMs(before, timezone) - before)];
  const later = wall - (wallClockMs(after, timezone) - after);
  if (later !== candidates[0]) candidates.push(later);
  const exact = candidates.filter((instant) => wallClockMs(instant, timezone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  return firstInstantAtOrAfter(wall, Math.min(...candidates), Math.max(...candidates), timezone);
}

/** Binary search inside a spring-forward gap: readings below `wall` at `low`, at or above it at `high`. */
function firstInstantAtOrAfter(wall: number, low: number, high: number, timezone: string): number {
  let below = low;
  let atOrAbove = high;
  while (atOrAbove - below > 1) {
    const middle = Math.floor((below + atOrAbove) / 2);
    if (wallClockMs(middle, timezone) >= wall) atOrAbove = middle;
    else below = middle;
  }
  return atOrAbove;
}

function wallMsOf(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day);
}

function localDateFromWallMs(wall: number): LocalDate {
  const utc = new Date(wall);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

/** The date `days` days after `date` (before it when negative). */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  return localDateFromWallMs(wallMsOf(date) + days * DAY_MS);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((wallMsOf(to) - wallMsOf(from)) / DAY_MS);
}

/** The day of the week a local date falls on, as written in config ("mon"…"sun"). */
export function weekdayOf(date: LocalDate): Weekday {
  const sundayFirst = new Date(wallMsOf(date)).getUTCDay();
  return WEEKDAYS[(sundayFirst + 6) % 7] as Weekday;
}

/** "YYYY-MM-DD", the form holidays are written in. */
export function formatLocalDate(date: LocalDate): string {
  const pad = (value: number, width: number) => String(value).padStart(width, "0");
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Whether this runtime knows `zone` as an IANA time zone ("Europe/London", "UTC"). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
