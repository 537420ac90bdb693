import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DigestSchedule,
  nextDigestSlot,
  parseDigestSchedule,
  previousDigestSlot,
  sameTimeDayBefore,
} from "../../src/domain/digest-schedule.ts";

function schedule(text: string): DigestSchedule {
  const parsed = parseDigestSchedule(text);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed.schedule;
}

/** The wall clock in `zone` at `at`, read with Intl directly (not through zoned-time.ts). */
function wall(at: Date, zone: string): { date: string; minute: number; weekday: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    weekday: "short",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    minute: Number(get("hour")) * 60 + Number(get("minute")),
    weekday: get("weekday"),
  };
}

function slots(s: DigestSchedule, from: Date, zone: string, n: number): Date[] {
  const out: Date[] = [];
  let after = from;
  for (let i = 0; i < n; i += 1) {
    const next = nextDigestSlot(s, after, zone);
    if (!next) break;
    out.push(next);
    after = next;
  }
  return out;
}

describe("parseDigestSchedule", () => {
  it("reads a local time and five cron fields, with ranges, steps, lists and names", () => {
    expect(schedule("08:00")).toMatchObject({ minutes: [0], hours: [8] });
    const cron = schedule("0,30 7-9/2 * jan-mar MON-FRI");
    expect(cron.minutes).toEqual([0, 30]);
    expect(cron.hours).toEqual([7, 9]);
    expect([...cron.months]).toEqual([1, 2, 3]);
    expect([...cron.daysOfWeek].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...schedule("0 8 * * 7").daysOfWeek]).toEqual([0]);
  });

  it("names what is wrong", () => {
    const problem = (text: string) => {
      const parsed = parseDigestSchedule(text);
      return "problem" in parsed ? parsed.problem : "";
    };
    expect(problem("8am")).toMatch(/5pm is "17:00"/);
    expect(problem("8 am")).toMatch(/has 2 fields/);
    expect(problem("0 25 * * *")).toMatch(/hour field/);
    expect(problem("0 8 * * 1-9")).toMatch(/day of week/);
    expect(problem("0 8 5-1 * *")).toMatch(/backwards/);
    expect(problem("0 8 31 2 *")).toMatch(/never comes/);
    expect(problem("*/0 8 * * *")).toMatch(/step of 0/);
    expect(problem("0 8 * * * *")).toMatch(/6 fields/);
  });
});

describe("nextDigestSlot", () => {
  it("sends 07:00 on weekdays in New York: Friday's next is Monday", () => {
    const s = schedule("0 7 * * 1-5");
    const friday = new Date("2026-11-27T12:00:00Z"); // Fri 07:00 EST
    expect(nextDigestSlot(s, new Date(friday.getTime() - 1), "America/New_York")).toEqual(friday);
    expect(nextDigestSlot(s, friday, "America/New_York")).toEqual(new Date("2026-11-30T12:00:00Z"));
  });

  it("keeps 08:00 London across both daylight-saving changes, once a day", () => {
    const s = schedule("08:00");
    const got = slots(s, new Date("2026-03-27T12:00:00Z"), "Europe/London", 4).map((d) =>
      d.toISOString(),
    );
    expect(got).toEqual([
      "2026-03-28T08:00:00.000Z", // GMT
      "2026-03-29T07:00:00.000Z", // BST from 01:00 that morning
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
    ]);
    const autumn = slots(s, new Date("2026-10-24T12:00:00Z"), "Europe/London", 2).map((d) =>
      d.toISOString(),
    );
    expect(autumn).toEqual(["2026-10-25T08:00:00.000Z", "2026-10-26T08:00:00.000Z"]);
  });

  it("sends a time that clocks skip at the jump, and one they repeat once", () => {
    // New York springs from 02:00 to 03:00 on 8 March 2026 and falls back at 02:00 on 1 November.
    const gap = schedule("02:30");
    expect(nextDigestSlot(gap, new Date("2026-03-08T00:00:00Z"), "America/New_York")).toEqual(
      new Date("2026-03-08T07:00:00Z"), // 03:00 EDT, the moment of the jump
    );
    const overlap = schedule("01:30");
    const got = slots(overlap, new Date("2026-10-31T12:00:00Z"), "America/New_York", 2);
    expect(got.map((d) => d.toISOString())).toEqual([
      "2026-11-01T05:30:00.000Z", // the first 01:30 (EDT), not the second one an hour later
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("collapses cron times inside a skipped hour into one digest", () => {
    const s = schedule("*/15 1 * * *"); // London skips 01:00–02:00 on 29 March 2026
    const got = slots(s, new Date("2026-03-28T23:00:00Z"), "Europe/London", 2);
    expect(got.map((d) => d.toISOString())).toEqual([
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:00:00.000Z",
    ]);
  });

  it("runs a day that matches either restricted day field, as cron does", () => {
    const s = schedule("0 9 1 * mon"); // the 1st of the month, and every Monday
    const got = slots(s, new Date("2026-11-28T00:00:00Z"), "UTC", 3).map((d) =>
      d.toISOString().slice(0, 10),
    );
    expect(got).toEqual(["2026-11-30", "2026-12-01", "2026-12-07"]);
  });

  const ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "America/Sao_Paulo",
  ];

  it("property: a daily time gives exactly one slot per local day, at that time unless it does not exist", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        // Any start in 2026: every zone above changes its clocks within the 40 days after some of these.
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }),
        (zone, hour, minute, start) => {
          const s = schedule(`${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`);
          const got = slots(s, new Date(start), zone, 40);
          expect(got).toHaveLength(40);
          const target = hour * 60 + minute;
          for (const [i, slot] of got.entries()) {
            expect(slot.getTime()).toBeGreaterThan(
              i === 0 ? start : (got[i - 1] as Date).getTime(),
            );
            const here = wall(slot, zone);
            if (here.minute !== target) {
              // Only where the time was skipped: a minute earlier the clock showed an earlier time.
              const before = wall(new Date(slot.getTime() - 60_000), zone);
              expect(before.date === here.date ? before.minute < target : true).toBe(true);
              expect(here.minute).toBeGreaterThan(target);
            }
            if (i > 0) {
              const previous = new Date(`${wall(got[i - 1] as Date, zone).date}T00:00:00Z`);
              const current = new Date(`${here.date}T00:00:00Z`);
              expect(current.getTime() - previous.getTime()).toBe(86_400_000);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("property: cron slots increase strictly, fall on scheduled days and never repeat an instant", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.subarray([0, 15, 30, 45], { minLength: 1 }),
        fc.subarray([0, 1, 2, 3, 7, 12, 23], { minLength: 1 }),
        fc.subarray([1, 2, 3, 4, 5], { minLength: 1 }),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }),
        (zone, minutes, hours, days, start) => {
          const s = schedule(`${minutes.join(",")} ${hours.join(",")} * * ${days.join(",")}`);
          const got = slots(s, new Date(start), zone, 60);
          const names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
          for (const [i, slot] of got.entries()) {
            if (i > 0) expect(slot.getTime()).toBeGreaterThan((got[i - 1] as Date).getTime());
            // A slot pushed out of a skipped hour may land on the next day only across midnight.
            const weekday = names.indexOf(wall(slot, zone).weekday);
            const dayBefore = names.indexOf(
              wall(new Date(slot.getTime() - 3_600_000), zone).weekday,
            );
            expect(days.includes(weekday) || days.includes(dayBefore)).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

const HOUR_MS = 3_600_000;
const iso = (d: Date | null) => d?.toISOString();

describe("digest slots and periods around daylight-saving changes", () => {
  // London: 01:00 GMT -> 02:00 BST on 29 March 2026, 02:00 BST -> 01:00 GMT on 25 October.
  // New York: 02:00 EST -> 03:00 EDT on 8 March 2026, 02:00 EDT -> 01:00 EST on 1 November.
  it("sends 08:00 New York once a day at 08:00 local on the days around both changes", () => {
    const s = schedule("08:00");
    const spring = slots(s, new Date("2026-03-06T14:00:00Z"), "America/New_York", 4);
    expect(spring.map(iso)).toEqual([
      "2026-03-07T13:00:00.000Z", // EST
      "2026-03-08T12:00:00.000Z", // EDT from 03:00 that night
      "2026-03-09T12:00:00.000Z",
      "2026-03-10T12:00:00.000Z",
    ]);
    const autumn = slots(s, new Date("2026-10-30T12:00:00Z"), "America/New_York", 4);
    expect(autumn.map(iso)).toEqual([
      "2026-10-31T12:00:00.000Z", // EDT
      "2026-11-01T13:00:00.000Z", // EST from 02:00 that night
      "2026-11-02T13:00:00.000Z",
      "2026-11-03T13:00:00.000Z",
    ]);
    for (const slot of [...spring, ...autumn]) {
      expect(wall(slot, "America/New_York").minute).toBe(8 * 60);
    }
  });

  it("sends London's 01:30 once on both change days: at the jump, and at the first 01:30", () => {
    const s = schedule("01:30");
    const spring = slots(s, new Date("2026-03-27T12:00:00Z"), "Europe/London", 3);
    expect(spring.map(iso)).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z", // 01:30 never shows: 02:00 BST, the moment of the jump
      "2026-03-30T00:30:00.000Z",
    ]);
    const autumn = slots(s, new Date("2026-10-23T12:00:00Z"), "Europe/London", 3);
    expect(autumn.map(iso)).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z", // the first 01:30 (BST); the second, an hour later, is not a slot
      "2026-10-26T01:30:00.000Z",
    ]);
    // Asked during the repeated hour, after the first 01:30: the next is the next day's.
    expect(iso(nextDigestSlot(s, new Date("2026-10-25T01:15:00Z"), "Europe/London"))).toBe(
      "2026-10-26T01:30:00.000Z",
    );
  });

  it("starts a first digest at the slot before: the local day before, 23 or 25 hours", () => {
    const daily = schedule("08:00");
    const periodBefore = (slot: string, zone: string, s = daily) => {
      const at = new Date(slot);
      const previous = previousDigestSlot(s, at, zone);
      return { from: iso(previous), hours: (at.getTime() - (previous?.getTime() ?? 0)) / HOUR_MS };
    };
    expect(periodBefore("2026-03-29T07:00:00Z", "Europe/London")).toEqual({
      from: "2026-03-28T08:00:00.000Z",
      hours: 23,
    });
    expect(periodBefore("2026-10-25T08:00:00Z", "Europe/London")).toEqual({
      from: "2026-10-24T07:00:00.000Z",
      hours: 25,
    });
    expect(periodBefore("2026-03-08T12:00:00Z", "America/New_York")).toEqual({
      from: "2026-03-07T13:00:00.000Z",
      hours: 23,
    });
    expect(periodBefore("2026-11-01T13:00:00Z", "America/New_York")).toEqual({
      from: "2026-10-31T12:00:00.000Z",
      hours: 25,
    });
    expect(periodBefore("2026-11-30T08:00:00Z", "Europe/London")).toEqual({
      from: "2026-11-29T08:00:00.000Z",
      hours: 24,
    });
    // Weekly: the week before, 7 local days.
    const monday = schedule("0 8 * * mon");
    expect(periodBefore("2026-03-30T07:00:00Z", "Europe/London", monday)).toEqual({
      from: "2026-03-23T08:00:00.000Z",
      hours: 167,
    });
    expect(periodBefore("2026-10-26T08:00:00Z", "Europe/London", monday)).toEqual({
      from: "2026-10-19T07:00:00.000Z",
      hours: 169,
    });
    // Weekdays: Monday's follows Friday's.
    expect(
      periodBefore("2026-03-09T11:00:00Z", "America/New_York", schedule("0 7 * * 1-5")).from,
    ).toBe("2026-03-06T12:00:00.000Z");
    // A skipped time: the day before's jump.
    expect(periodBefore("2026-03-30T00:30:00Z", "Europe/London", schedule("01:30")).from).toBe(
      "2026-03-29T01:00:00.000Z",
    );
  });

  it("reads 'this time yesterday' in the zone: 23 or 25 hours across a change", () => {
    const hoursBack = (at: string, zone: string) =>
      (new Date(at).getTime() - sameTimeDayBefore(new Date(at), zone).getTime()) / HOUR_MS;
    expect(hoursBack("2026-03-29T07:00:00Z", "Europe/London")).toBe(23);
    expect(hoursBack("2026-10-25T08:00:00Z", "Europe/London")).toBe(25);
    expect(hoursBack("2026-03-08T16:20:30.250Z", "America/New_York")).toBe(23);
    expect(hoursBack("2026-11-01T16:20:00Z", "America/New_York")).toBe(25);
    expect(hoursBack("2026-11-30T09:00:00Z", "Europe/London")).toBe(24);
    expect(hoursBack("2026-03-29T07:00:00Z", "UTC")).toBe(24);
  });

  it("property: the slot before a slot leads back to it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES_FOR_PERIODS),
        fc.constantFrom("08:00", "01:30", "02:30", "0 8 * * mon", "0,30 1,2 * * 1-5", "0 0 1 * *"),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }),
        (zone, text, start) => {
          const s = schedule(text);
          const slot = nextDigestSlot(s, new Date(start), zone) as Date;
          const previous = previousDigestSlot(s, slot, zone) as Date;
          expect(previous.getTime()).toBeLessThan(slot.getTime());
          expect(nextDigestSlot(s, previous, zone)).toEqual(slot);
        },
      ),
      { numRuns: 200 },
    );
  });
});

const ZONES_FOR_PERIODS = [
  "Europe/London",
  "America/New_York",
  "Australia/Sydney",
  "America/Santiago",
  "Asia/Kolkata",
];
