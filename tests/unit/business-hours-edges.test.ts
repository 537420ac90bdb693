import { describe, expect, it } from "vitest";
import {
  type BusinessCalendar,
  type TimeSlot,
  WEEKDAYS,
  type Weekday,
} from "../../src/domain/business-calendar-types.ts";
import {
  addBusinessTime,
  businessTimeBetween,
  isOpen,
  nextOpening,
} from "../../src/domain/business-hours.ts";

/* The edges of business-hours arithmetic, each worked out by hand. */

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const calendar = (
  timezone: string,
  days: Partial<Record<Weekday, TimeSlot[]>>,
  holidays: string[] = [],
): BusinessCalendar => ({
  timezone,
  week: Object.fromEntries(WEEKDAYS.map((d) => [d, days[d] ?? []])) as BusinessCalendar["week"],
  holidays,
});
const nineToFive = [{ startMinute: 540, endMinute: 1020 }];
const london = calendar("Europe/London", {
  mon: nineToFive,
  tue: nineToFive,
  wed: nineToFive,
  thu: nineToFive,
  fri: nineToFive,
});
const everyDay = (slots: TimeSlot[]) =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, slots])) as Record<Weekday, TimeSlot[]>;

describe("business hours at the edges", () => {
  it("names the argument that is not a valid date", () => {
    const bad = new Date(Number.NaN);
    const good = at("2026-01-12T10:00:00Z");
    expect(() => addBusinessTime(bad, HOUR, london)).toThrow("start is not a valid date");
    expect(() => businessTimeBetween(bad, good, london)).toThrow("from is not a valid date");
    expect(() => businessTimeBetween(good, bad, london)).toThrow("to is not a valid date");
    expect(() => isOpen(bad, london)).toThrow("at is not a valid date");
    expect(() => nextOpening(bad, london)).toThrow("at is not a valid date");
    expect(() => addBusinessTime(good, -1, london)).toThrow(
      "durationMs must be a finite number ≥ 0, got -1",
    );
  });

  it("counts nothing backwards inside one open day", () => {
    // Monday 12:00 back to Monday 10:00, both within the day's open hours.
    expect(
      businessTimeBetween(at("2026-01-12T12:00:00Z"), at("2026-01-12T10:00:00Z"), london),
    ).toBe(0);
  });

  it("says every day is closed when the only slot is empty", () => {
    const closed =
      "Business calendar (Europe/London) has no open hours: every day of its week is closed";
    const empty = calendar("Europe/London", { mon: [{ startMinute: 540, endMinute: 540 }] });
    const nothing = calendar("Europe/London", {});
    for (const c of [empty, nothing]) {
      expect(() => addBusinessTime(at("2026-01-12T10:00:00Z"), HOUR, c)).toThrow(closed);
      expect(() => nextOpening(at("2026-01-12T10:00:00Z"), c)).toThrow(closed);
      expect(isOpen(at("2026-01-12T09:00:00Z"), c)).toBe(false);
    }
  });

  it("keeps holidays closed in a calendar that is otherwise open around the clock", () => {
    const allDay = calendar("UTC", everyDay([{ startMinute: 0, endMinute: 1440 }]), ["2026-12-25"]);
    expect(
      businessTimeBetween(at("2026-12-24T12:00:00Z"), at("2026-12-26T12:00:00Z"), allDay),
    ).toBe(24 * HOUR);
    expect(isOpen(at("2026-12-25T12:00:00Z"), allDay)).toBe(false);
    expect(nextOpening(at("2026-12-25T12:00:00Z"), allDay)).toEqual(at("2026-12-26T00:00:00Z"));
    expect(addBusinessTime(at("2026-12-24T23:00:00Z"), 2 * HOUR, allDay)).toEqual(
      at("2026-12-26T01:00:00Z"),
    );
  });

  it("is closed after noon in a calendar open from midnight to noon every day", () => {
    const mornings = calendar("UTC", everyDay([{ startMinute: 0, endMinute: 720 }]));
    expect(isOpen(at("2026-01-12T13:00:00Z"), mornings)).toBe(false);
    expect(isOpen(at("2026-01-12T00:00:00Z"), mornings)).toBe(true);
    expect(addBusinessTime(at("2026-01-12T11:00:00Z"), 2 * HOUR, mornings)).toEqual(
      at("2026-01-13T01:00:00Z"),
    );
  });

  it("skips a slot that falls entirely inside the spring-forward gap", () => {
    // 01:00–01:30 on Sundays; on 29 March 2026 London's clocks jump from 01:00 to 02:00.
    const gap = calendar("Europe/London", { sun: [{ startMinute: 60, endMinute: 90 }] });
    expect(nextOpening(at("2026-03-28T12:00:00Z"), gap)).toEqual(at("2026-04-05T00:00:00Z"));
    expect(nextOpening(at("2026-03-21T12:00:00Z"), gap)).toEqual(at("2026-03-22T01:00:00Z"));
  });

  it("adds 3,000 office hours: 375 working days, ending at Friday's close 75 weeks later", () => {
    const start = at("2026-01-05T09:00:00Z"); // a Monday, 09:00 in London
    const end = addBusinessTime(start, 3000 * HOUR, london);
    expect(end).toEqual(at("2027-06-11T16:00:00Z")); // 17:00 summer time
    expect(businessTimeBetween(start, end, london)).toBe(3000 * HOUR);
  });
});
