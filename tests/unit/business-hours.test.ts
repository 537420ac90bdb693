import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BusinessCalendar,
  type TimeSlot,
  WEEKDAYS,
  type Weekday,
} from "../../src/domain/business-calendar-types.ts";
import {
  AROUND_THE_CLOCK,
  addBusinessTime,
  businessCalendarOrAlways,
  businessTimeBetween,
  isOpen,
  nextOpening,
} from "../../src/domain/business-hours.ts";
import {
  addLocalDays,
  formatLocalDate,
  instantAtLocal,
  localDateTimeOf,
  weekdayOf,
} from "../../src/domain/zoned-time.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => new Date(iso);
const slot = (start: string, end: string): TimeSlot => ({
  startMinute: minutes(start),
  endMinute: minutes(end),
});

function minutes(hhmm: string): number {
  const [hours, mins] = hhmm.split(":").map(Number);
  return (hours ?? 0) * 60 + (mins ?? 0);
}

function calendar(
  timezone: string,
  days: Partial<Record<Weekday, TimeSlot[]>>,
  holidays: string[] = [],
): BusinessCalendar {
  const week = Object.fromEntries(WEEKDAYS.map((day) => [day, days[day] ?? []]));
  return { timezone, week: week as BusinessCalendar["week"], holidays };
}

const weekdays = (slots: TimeSlot[]) => ({
  mon: slots,
  tue: slots,
  wed: slots,
  thu: slots,
  fri: slots,
});
const everyDay = (slots: TimeSlot[]) => ({ ...weekdays(slots), sat: slots, sun: slots });

const london9to5 = calendar("Europe/London", weekdays([slot("09:00", "17:00")]));

describe("zoned time", () => {
  it("reads local date and minute in a zone", () => {
    expect(localDateTimeOf(at("2026-07-01T23:30:00Z"), "Asia/Kolkata")).toEqual({
      date: { year: 2026, month: 7, day: 2 },
      minuteOfDay: 5 * 60,
    });
    expect(weekdayOf({ year: 2026, month: 1, day: 9 })).toBe("fri");
    expect(formatLocalDate({ year: 2026, month: 3, day: 8 })).toBe("2026-03-08");
  });

  it("moves a time that clocks spring over to the moment of the jump", () => {
    const day = { year: 2026, month: 3, day: 29 };
    expect(instantAtLocal(day, minutes("01:30"), "Europe/London")).toEqual(
      at("2026-03-29T01:00:00Z"),
    );
    const nyDay = { year: 2026, month: 3, day: 8 };
    expect(instantAtLocal(nyDay, minutes("02:30"), "America/New_York")).toEqual(
      at("2026-03-08T07:00:00Z"),
    );
  });

  it("picks the earlier instant for a time that happens twice", () => {
    const day = { year: 2026, month: 10, day: 25 };
    expect(instantAtLocal(day, minutes("01:30"), "Europe/London")).toEqual(
      at("2026-10-25T00:30:00Z"),
    );
    const nyDay = { year: 2026, month: 11, day: 1 };
    expect(instantAtLocal(nyDay, minutes("01:30"), "America/New_York")).toEqual(
      at("2026-11-01T05:30:00Z"),
    );
  });

  it("reads 24:00 as the next midnight", () => {
    const day = { year: 2026, month: 3, day: 7 };
    expect(instantAtLocal(day, 1440, "America/New_York")).toEqual(at("2026-03-08T05:00:00Z"));
  });
});

describe("business hours, by example", () => {
  it("carries a Friday 16:30 London start with a 1h SLA over the weekend to Monday 09:30", () => {
    const friday = at("2026-01-09T16:30:00Z");
    expect(addBusinessTime(friday, HOUR, london9to5)).toEqual(at("2026-01-12T09:30:00Z"));
    expect(businessTimeBetween(friday, at("2026-01-12T09:30:00Z"), london9to5)).toBe(HOUR);
  });

  it("starts counting at the next opening when started outside hours", () => {
    const saturday = at("2026-01-10T12:00:00Z");
    expect(addBusinessTime(saturday, 30 * MINUTE, london9to5)).toEqual(at("2026-01-12T09:30:00Z"));
    expect(nextOpening(saturday, london9to5)).toEqual(at("2026-01-12T09:00:00Z"));
    expect(nextOpening(at("2026-01-12T10:00:00Z"), london9to5)).toEqual(at("2026-01-12T10:00:00Z"));
  });

  it("ends at closing time rather than the next opening when the budget runs out at 17:00", () => {
    expect(addBusinessTime(at("2026-01-12T16:00:00Z"), HOUR, london9to5)).toEqual(
      at("2026-01-12T17:00:00Z"),
    );
  });

  it("skips lunch on split days", () => {
    const split = calendar(
      "Europe/London",
      weekdays([slot("09:00", "12:00"), slot("13:00", "17:00")]),
    );
    expect(addBusinessTime(at("2026-01-12T11:30:00Z"), HOUR, split)).toEqual(
      at("2026-01-12T13:30:00Z"),
    );
    expect(businessTimeBetween(at("2026-01-12T00:00:00Z"), at("2026-01-13T00:00:00Z"), split)).toBe(
      7 * HOUR,
    );
    expect(isOpen(at("2026-01-12T12:30:00Z"), split)).toBe(false);
    expect(isOpen(at("2026-01-12T11:59:59.999Z"), split)).toBe(true);
  });

  it("stays closed over Christmas holidays", () => {
    const holidays = ["2026-12-25", "2026-12-28"];
    const christmas = calendar("Europe/London", weekdays([slot("09:00", "17:00")]), holidays);
    // Thu 24th 16:00 + 2h: one hour on the 24th, then Fri 25th, the weekend and Mon 28th are closed.
    expect(addBusinessTime(at("2026-12-24T16:00:00Z"), 2 * HOUR, christmas)).toEqual(
      at("2026-12-29T10:00:00Z"),
    );
    expect(isOpen(at("2026-12-25T10:00:00Z"), christmas)).toBe(false);
  });

  it("counts the real length of days when London's clocks change in March and October 2026", () => {
    const allDay = calendar("Europe/London", everyDay([slot("00:00", "24:00")]), ["2026-01-01"]);
    const spring = businessTimeBetween(
      at("2026-03-29T00:00:00Z"),
      at("2026-03-29T23:00:00Z"),
      allDay,
    );
    expect(spring).toBe(23 * HOUR);
    expect(
      businessTimeBetween(at("2026-10-24T23:00:00Z"), at("2026-10-26T00:00:00Z"), allDay),
    ).toBe(25 * HOUR);
    // Friday 16:00 GMT + 2h lands on Monday 10:00 BST, 09:00 UTC.
    expect(addBusinessTime(at("2026-03-27T16:00:00Z"), 2 * HOUR, london9to5)).toEqual(
      at("2026-03-30T09:00:00Z"),
    );
    expect(addBusinessTime(at("2026-10-23T15:00:00Z"), 2 * HOUR, london9to5)).toEqual(
      at("2026-10-26T10:00:00Z"),
    );
  });

  it("handles New York's March and November 2026 changes, including slots across them", () => {
    const nightShift = calendar("America/New_York", { sun: [slot("01:00", "03:00")] });
    // 01:00–03:00 on 8 March: 02:00–03:00 never happens, so one real hour.
    expect(
      businessTimeBetween(at("2026-03-08T00:00:00Z"), at("2026-03-09T00:00:00Z"), nightShift),
    ).toBe(HOUR);
    // On 1 November 01:00–02:00 happens twice, so three real hours.
    expect(
      businessTimeBetween(at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z"), nightShift),
    ).toBe(3 * HOUR);
    expect(addBusinessTime(at("2026-11-01T05:00:00Z"), 150 * MINUTE, nightShift)).toEqual(
      at("2026-11-01T07:30:00Z"),
    );
    const nineToFive = calendar("America/New_York", weekdays([slot("09:00", "17:00")]));
    // Friday 16:30 EST + 1h: half an hour on Friday, the rest from Monday 09:00 EDT.
    expect(addBusinessTime(at("2026-03-06T21:30:00Z"), HOUR, nineToFive)).toEqual(
      at("2026-03-09T13:30:00Z"),
    );
    // Friday 16:00 EDT + 2h: one hour on Friday, one from Monday 09:00 EST.
    expect(addBusinessTime(at("2026-10-30T20:00:00Z"), 2 * HOUR, nineToFive)).toEqual(
      at("2026-11-02T15:00:00Z"),
    );
  });

  it("runs a slot to 24:00 and on into the next day's hours", () => {
    const evenings = calendar("Europe/London", everyDay([slot("20:00", "24:00")]));
    expect(addBusinessTime(at("2026-01-12T23:00:00Z"), 2 * HOUR, evenings)).toEqual(
      at("2026-01-13T21:00:00Z"),
    );
    expect(isOpen(at("2026-01-12T23:59:59.999Z"), evenings)).toBe(true);
    expect(isOpen(at("2026-01-13T00:00:00Z"), evenings)).toBe(false);
    const overnight = calendar(
      "Europe/London",
      everyDay([slot("00:00", "06:00"), slot("20:00", "24:00")]),
    );
    expect(addBusinessTime(at("2026-01-12T23:00:00Z"), 2 * HOUR, overnight)).toEqual(
      at("2026-01-13T01:00:00Z"),
    );
  });

  it("treats no calendar as around the clock", () => {
    const start = at("2026-03-29T00:30:00Z");
    expect(businessCalendarOrAlways(undefined)).toBe(AROUND_THE_CLOCK);
    expect(addBusinessTime(start, 5 * HOUR)).toEqual(at("2026-03-29T05:30:00Z"));
    expect(businessTimeBetween(start, at("2026-03-29T05:30:00Z"))).toBe(5 * HOUR);
    expect(isOpen(start)).toBe(true);
    expect(nextOpening(start)).toEqual(start);
  });

  it("returns the start for a zero duration and 0 for an empty or backwards range", () => {
    const saturday = at("2026-01-10T12:00:00Z");
    expect(addBusinessTime(saturday, 0, london9to5)).toEqual(saturday);
    expect(businessTimeBetween(saturday, saturday, london9to5)).toBe(0);
    expect(businessTimeBetween(at("2026-01-13T00:00:00Z"), saturday, london9to5)).toBe(0);
  });

  it("terminates with a clear error for a calendar that is never open", () => {
    const closed = calendar("Europe/London", {});
    expect(() => addBusinessTime(at("2026-01-12T10:00:00Z"), HOUR, closed)).toThrow(
      /no open hours/,
    );
    expect(() => nextOpening(at("2026-01-12T10:00:00Z"), closed)).toThrow(/no open hours/);
    expect(
      businessTimeBetween(at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"), closed),
    ).toBe(0);
    expect(isOpen(at("2026-01-12T10:00:00Z"), closed)).toBe(false);
  });

  it("walks through a long run of holidays", () => {
    const holidays = Array.from({ length: 3 * 366 }, (_, i) =>
      formatLocalDate(addLocalDays({ year: 2026, month: 1, day: 1 }, i)),
    );
    const onLeave = calendar("Europe/London", weekdays([slot("09:00", "17:00")]), holidays);
    // The last holiday is Tuesday 2 Jan 2029, so Wednesday the 3rd is the first open day.
    expect(addBusinessTime(at("2026-01-01T00:00:00Z"), HOUR, onLeave)).toEqual(
      at("2029-01-03T10:00:00Z"),
    );
  });

  it("rejects negative durations", () => {
    expect(() => addBusinessTime(at("2026-01-12T10:00:00Z"), -1, london9to5)).toThrow(RangeError);
  });
});

// ---- properties ----------------------------------------------------------------------------

const ZONES = [
  "Europe/London",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Pacific/Auckland",
  "America/Sao_Paulo",
  "UTC",
];

// 2026 changes in the zones above that have them; starts cluster around these.
const TRANSITIONS_2026 = [
  "2026-03-08T07:00:00Z",
  "2026-03-29T01:00:00Z",
  "2026-04-04T14:00:00Z",
  "2026-04-04T16:00:00Z",
  "2026-09-26T14:00:00Z",
  "2026-10-03T16:00:00Z",
  "2026-10-25T01:00:00Z",
  "2026-11-01T06:00:00Z",
].map((iso) => at(iso).getTime());

const DAY = 86_400_000;
const Y2025 = at("2025-01-01T00:00:00Z").getTime();
const Y2028 = at("2028-01-01T00:00:00Z").getTime();

/** Up to three sorted, non-overlapping slots with edges on any minute (some at 0 and 1440). */
const slotsArb: fc.Arbitrary<TimeSlot[]> = fc
  .uniqueArray(fc.oneof(fc.integer({ min: 0, max: 1440 }), fc.constantFrom(0, 1440, 540, 1020)), {
    maxLength: 6,
  })
  .map((edges) => {
    const sorted = [...edges].sort((a, b) => a - b);
    const slots: TimeSlot[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      slots.push({ startMinute: sorted[i] as number, endMinute: sorted[i + 1] as number });
    }
    return slots;
  });

const holidaysArb = fc
  .array(
    fc.record({
      first: fc.integer({ min: Y2025, max: Y2028 }),
      length: fc.integer({ min: 1, max: 20 }),
    }),
    { maxLength: 4 },
  )
  .map((runs) =>
    runs.flatMap(({ first, length }) =>
      Array.from({ length }, (_, i) => new Date(first + i * DAY).toISOString().slice(0, 10)),
    ),
  );

const calendarArb: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    days: fc.tuple(...WEEKDAYS.map(() => slotsArb)),
    holidays: holidaysArb,
  })
  .filter(({ days }) => days.some((slots) => slots.length > 0))
  .map(({ timezone, days, holidays }) => ({
    timezone,
    week: Object.fromEntries(WEEKDAYS.map((day, i) => [day, days[i]])) as BusinessCalendar["week"],
    holidays,
  }));

const startArb = fc.oneof(
  fc.integer({ min: Y2025, max: Y2028 }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS_2026), fc.integer({ min: -3 * DAY, max: 3 * DAY }))
    .map(([transition, shift]) => transition + shift),
  // Whole minutes near a transition hit slot edges exactly.
  fc
    .tuple(fc.constantFrom(...TRANSITIONS_2026), fc.integer({ min: -3 * 1440, max: 3 * 1440 }))
    .map(([transition, shift]) => transition + shift * MINUTE),
);

const durationArb = fc.oneof(
  fc.integer({ min: 0, max: 4 * HOUR }),
  fc.integer({ min: 0, max: 5 * DAY }),
  fc.constantFrom(0, 1, MINUTE, HOUR, 8 * HOUR),
);

const RUNS = { numRuns: 200 };

describe("business hours, properties", () => {
  it("(a) counts back exactly the open time it added", () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, (cal, startMs, duration) => {
        const start = new Date(startMs);
        const end = addBusinessTime(start, duration, cal);
        expect(businessTimeBetween(start, end, cal)).toBe(duration);
      }),
      RUNS,
    );
  });

  it("(b) ends on an open moment: the last millisecond counted is open", () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, (cal, startMs, duration) => {
        fc.pre(duration > 0);
        const end = addBusinessTime(new Date(startMs), duration, cal);
        expect(isOpen(new Date(end.getTime() - 1), cal)).toBe(true);
      }),
      RUNS,
    );
  });

  it("(c) is monotonic in the duration", () => {
    fc.assert(
      fc.property(calendarArb, startArb, durationArb, durationArb, (cal, startMs, d1, d2) => {
        const [shorter, longer] = d1 <= d2 ? [d1, d2] : [d2, d1];
        const start = new Date(startMs);
        const first = addBusinessTime(start, shorter, cal).getTime();
        expect(first).toBeLessThanOrEqual(addBusinessTime(start, longer, cal).getTime());
      }),
      RUNS,
    );
  });

  it("(d) is plain addition around the clock", () => {
    fc.assert(
      fc.property(startArb, durationArb, (startMs, duration) => {
        const start = new Date(startMs);
        expect(addBusinessTime(start, duration).getTime()).toBe(startMs + duration);
        expect(addBusinessTime(start, duration, AROUND_THE_CLOCK).getTime()).toBe(
          startMs + duration,
        );
        expect(businessTimeBetween(start, new Date(startMs + duration))).toBe(duration);
      }),
      RUNS,
    );
  });

  it("agrees with the wall clock: open means a non-holiday slot shows on the local clock", () => {
    // Outside DST changes (where a repeated hour is counted from its first showing) the two
    // definitions must agree exactly.
    const steadyZones = calendarArb.filter((cal) =>
      ["Asia/Kolkata", "America/Sao_Paulo", "UTC"].includes(cal.timezone),
    );
    fc.assert(
      fc.property(steadyZones, startArb, (cal, ms) => {
        const local = localDateTimeOf(new Date(ms), cal.timezone);
        const slots = cal.week[weekdayOf(local.date)];
        const expected =
          !cal.holidays.includes(formatLocalDate(local.date)) &&
          slots.some((s) => s.startMinute <= local.minuteOfDay && local.minuteOfDay < s.endMinute);
        expect(isOpen(new Date(ms), cal)).toBe(expected);
      }),
      RUNS,
    );
  });

  it("puts nextOpening at an open moment with nothing open before it", () => {
    fc.assert(
      fc.property(calendarArb, startArb, (cal, startMs) => {
        const opening = nextOpening(new Date(startMs), cal);
        expect(isOpen(opening, cal)).toBe(true);
        expect(businessTimeBetween(new Date(startMs), opening, cal)).toBe(0);
      }),
      RUNS,
    );
  });
});
