/**
 * Business-hours arithmetic: how much open time lies between two instants, and when a given
 * amount of open time will have elapsed. SLA clocks only run while a department is open.
 *
 * A slot on a local day is open from the first instant the wall clock shows its start until
 * the first instant it shows its end (see `instantAtLocal`), so all arithmetic is in real
 * elapsed milliseconds: a 00:00–24:00 slot on the day clocks spring forward lasts 23 hours.
 */
import type { BusinessCalendar } from "./business-calendar-types.ts";
import { WEEKDAYS } from "./business-calendar-types.ts";
import {
  addLocalDays,
  daysBetween,
  formatLocalDate,
  instantsOnLocalDay,
  type LocalDate,
  localDateTimeOf,
  weekdayOf,
} from "./zoned-time.ts";

/** Open every minute of every day: what a department without a calendar gets. */
export const AROUND_THE_CLOCK: BusinessCalendar = Object.freeze({
  timezone: "UTC",
  week: Object.fromEntries(
    WEEKDAYS.map((day) => [day, [{ startMinute: 0, endMinute: 1440 }]]),
  ) as BusinessCalendar["week"],
  holidays: [],
});

/** The calendar a department's clocks run in; undefined means around the clock. */
export function businessCalendarOrAlways(calendar?: BusinessCalendar): BusinessCalendar {
  return calendar ?? AROUND_THE_CLOCK;
}

/** Facts worked out once per calendar object; config calendars are never mutated. */
interface PreparedCalendar {
  calendar: BusinessCalendar;
  holidays: Set<string>;
  alwaysOpen: boolean;
  hasOpenSlot: boolean;
  /**
   * Open stretches by local date ("2026-11-30"), worked out once: each needs the zone's
   * offsets from Intl, and every new thread plans a dozen nudges over the same few days
   * (the bench's intake profile had these conversions at about 5% of the bot's time).
   */
  days: Map<string, readonly Stretch[]>;
}

/** Local dates remembered per calendar before the memory starts again (a few years' worth). */
const REMEMBERED_DAYS = 2_000;

const prepared = new WeakMap<BusinessCalendar, PreparedCalendar>();

function prepare(calendar: BusinessCalendar): PreparedCalendar {
  let facts = prepared.get(calendar);
  if (!facts) {
    const days = WEEKDAYS.map((day) => calendar.week[day] ?? []);
    facts = {
      calendar,
      holidays: new Set(calendar.holidays),
      alwaysOpen:
        calendar.holidays.length === 0 &&
        days.every((slots) => slots.some((s) => s.startMinute <= 0 && s.endMinute >= 1440)),
      hasOpenSlot: days.some((slots) => slots.some((s) => s.endMinute > s.startMinute)),
      days: new Map(),
    };
    prepared.set(calendar, facts);
  }
  return facts;
}

/** A stretch of open time, [start, end) in epoch milliseconds. */
interface Stretch {
  start: number;
  end: number;
}

function stretchesOn(day: LocalDate, facts: PreparedCalendar): readonly Stretch[] {
  const date = formatLocalDate(day);
  let stretches = facts.days.get(date);
  if (!stretches) {
    if (facts.days.size >= REMEMBERED_DAYS) facts.days.clear();
    stretches = Object.freeze(workOutStretches(day, date, facts));
    facts.days.set(date, stretches);
  }
  return stretches;
}

function workOutStretches(day: LocalDate, date: string, facts: PreparedCalendar): Stretch[] {
  const slots = facts.calendar.week[weekdayOf(day)] ?? [];
  if (slots.length === 0 || facts.holidays.has(date)) return [];
  const bounds = slots.flatMap((slot) => [slot.startMinute, slot.endMinute]);
  const instants = instantsOnLocalDay(day, bounds, facts.calendar.timezone);
  const stretches: Stretch[] = [];
  for (let i = 0; i < instants.length; i += 2) {
    const start = instants[i] as number;
    const end = instants[i + 1] as number;
    // A slot entirely inside a spring-forward gap never happens.
    if (end > start) stretches.push({ start, end });
  }
  return stretches;
}

/**
 * Open stretches from `fromMs` on, clipped to [fromMs, untilMs), in order. With no end it
 * runs until the caller stops, and throws when the calendar stays closed for longer than its
 * holidays and a year of weeks can explain (a week whose every slot is empty, say).
 */
function* openStretches(fromMs: number, untilMs: number, facts: PreparedCalendar) {
  const zone = facts.calendar.timezone;
  // Start a day early: a slot running to 24:00 belongs to the day before the one it ends on.
  let day = addLocalDays(localDateTimeOf(new Date(fromMs), zone).date, -1);
  const lastDay = Number.isFinite(untilMs)
    ? addLocalDays(localDateTimeOf(new Date(untilMs), zone).date, 1)
    : undefined;
  const closedDaysAllowed = facts.holidays.size + 400;
  let closedDays = 0;
  while (lastDay === undefined || daysBetween(day, lastDay) >= 0) {
    let open = false;
    for (const stretch of stretchesOn(day, facts)) {
      if (stretch.end <= fromMs) continue;
      if (stretch.start >= untilMs) return;
      open = true;
      yield { start: Math.max(stretch.start, fromMs), end: Math.min(stretch.end, untilMs) };
    }
    closedDays = open ? 0 : closedDays + 1;
    if (lastDay === undefined && closedDays > closedDaysAllowed) {
      throw new Error(
        `Business calendar (${zone}) has no open hours in the ${closedDays} days after ${new Date(fromMs).toISOString()}`,
      );
    }
    day = addLocalDays(day, 1);
  }
}

function requireOpenHours(facts: PreparedCalendar): void {
  if (!facts.hasOpenSlot) {
    throw new Error(
      `Business calendar (${facts.calendar.timezone}) has no open hours: every day of its week is closed`,
    );
  }
}

function requireInstant(at: Date, name: string): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

/**
 * The instant at which `durationMs` of open time has elapsed after `start`. Counting starts
 * at the next opening when `start` is outside open hours; a duration that runs out exactly
 * at closing time ends at closing, not at the next opening. Around the clock this is plain
 * addition. Throws when the calendar is never open.
 */
export function addBusinessTime(
  start: Date,
  durationMs: number,
  calendar?: BusinessCalendar,
): Date {
  const startMs = requireInstant(start, "start");
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a finite number ≥ 0, got ${durationMs}`);
  }
  const facts = prepare(businessCalendarOrAlways(calendar));
  if (facts.alwaysOpen || durationMs === 0) return new Date(startMs + durationMs);
  requireOpenHours(facts);
  let remaining = durationMs;
  for (const stretch of openStretches(startMs, Number.POSITIVE_INFINITY, facts)) {
    const length = stretch.end - stretch.start;
    if (remaining <= length) return new Date(stretch.start + remaining);
    remaining -= length;
  }
  throw new Error("unreachable: open stretches never run out");
}

/** Open milliseconds in [from, to): 0 when `to` is not after `from`. */
export function businessTimeBetween(from: Date, to: Date, calendar?: BusinessCalendar): number {
  const fromMs = requireInstant(from, "from");
  const toMs = requireInstant(to, "to");
  if (toMs <= fromMs) return 0;
  const facts = prepare(businessCalendarOrAlways(calendar));
  if (facts.alwaysOpen) return toMs - fromMs;
  if (!facts.hasOpenSlot) return 0;
  let total = 0;
  for (const stretch of openStretches(fromMs, toMs, facts)) total += stretch.end - stretch.start;
  return total;
}

/** True when `at` falls inside open hours. */
export function isOpen(at: Date, calendar?: BusinessCalendar): boolean {
  const atMs = requireInstant(at, "at");
  const facts = prepare(businessCalendarOrAlways(calendar));
  if (facts.alwaysOpen) return true;
  if (!facts.hasOpenSlot) return false;
  for (const stretch of openStretches(atMs, atMs + 1, facts)) return stretch.start === atMs;
  return false;
}

/** `at` itself when open, else the next instant the calendar opens. Throws when it never does. */
export function nextOpening(at: Date, calendar?: BusinessCalendar): Date {
  const atMs = requireInstant(at, "at");
  const facts = prepare(businessCalendarOrAlways(calendar));
  if (facts.alwaysOpen) return new Date(atMs);
  requireOpenHours(facts);
  for (const stretch of openStretches(atMs, Number.POSITIVE_INFINITY, facts)) {
    return new Date(stretch.start);
  }
  throw new Error("unreachable: open stretches never run out");
}
