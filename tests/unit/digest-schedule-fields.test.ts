import { describe, expect, it } from "vitest";
import {
  type DigestSchedule,
  isLocalTime,
  nextDigestSlot,
  parseDigestSchedule,
  runsOn,
} from "../../src/domain/digest-schedule.ts";

/*
 * Each cron field read value by value, with the exact message for each mistake: the schedule
 * is typed by an administrator into switchboard.yaml, and the message is all they see.
 */

function schedule(text: string): DigestSchedule {
  const parsed = parseDigestSchedule(text);
  if ("problem" in parsed) throw new Error(parsed.problem);
  return parsed.schedule;
}
const problem = (text: string) => {
  const parsed = parseDigestSchedule(text);
  return "problem" in parsed ? parsed.problem : "(no problem)";
};

describe("digest schedule fields", () => {
  it("reads every month and day name, in any case, as its number", () => {
    const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov"];
    months.push("DEC");
    months.forEach((name, i) => {
      expect([...schedule(`0 8 * ${name} *`).months]).toEqual([i + 1]);
    });
    ["sun", "mon", "tue", "wed", "thu", "fri", "Sat"].forEach((name, i) => {
      expect([...schedule(`0 8 * * ${name}`).daysOfWeek]).toEqual([i]);
    });
  });

  it("keeps the values of a field sorted, whatever order they are listed in", () => {
    const s = schedule("45,5,30 17,9,12 * * *");
    expect(s.minutes).toEqual([5, 30, 45]);
    expect(s.hours).toEqual([9, 12, 17]);
    expect(s.text).toBe("45,5,30 17,9,12 * * *");
    // Numeric order, not the order of the digits as text.
    expect(schedule("0 10,9,2 * * *").hours).toEqual([2, 9, 10]);
  });

  it("trims the text, and splits cron fields on any run of spaces", () => {
    expect(isLocalTime("  08:30 ")).toBe(true);
    expect(schedule(" 08:30\t")).toMatchObject({ minutes: [30], hours: [8], text: "08:30" });
    const s = schedule("  15   7  *   *  1 ");
    expect(s).toMatchObject({ minutes: [15], hours: [7], text: "15   7  *   *  1" });
    expect([...s.daysOfWeek]).toEqual([1]);
  });

  it("takes only a whole HH:MM as a local time", () => {
    for (const text of ["08:00", "00:00", "23:59", "19:05"]) expect(isLocalTime(text)).toBe(true);
    for (const text of ["x08:00", "08:00x", "8:00", "24:00", "08:60", "108:00", "08:000"]) {
      expect(isLocalTime(text)).toBe(false);
    }
    expect(problem("x08:00")).toBe(
      'is not a local time written "HH:MM" on the 24-hour clock (5pm is "17:00"), nor five cron fields (minute hour day-of-month month day-of-week)',
    );
    // A time of day gone wrong is named as one, not as a one-field cron expression.
    for (const text of ["25:00", "08:60", "8:00"]) {
      expect(problem(text)).toBe(
        'is not a time of day written "HH:MM" (two digits each, 00:00 to 23:59)',
      );
    }
  });

  it("says what it could not read, in which field, and what it expected", () => {
    expect(problem("0 8 * * x9")).toBe(
      'has "x9" in its day of week field; expected 0-7 or sun, mon, tue…',
    );
    expect(problem("0 8 * foo *")).toBe(
      'has "foo" in its month field; expected 1-12 or jan, feb, mar…',
    );
    expect(problem("60 8 * * *")).toBe('has "60" in its minute field; expected 0-59');
    expect(problem("0 8 0 * *")).toBe('has "0" in its day of month field; expected 1-31');
    expect(problem("0 8 32 * *")).toBe('has "32" in its day of month field; expected 1-31');
    expect(problem("0 24 * * *")).toBe('has "24" in its hour field; expected 0-23');
    expect(problem("0 x8 * * *")).toBe('has "x8" in its hour field; expected 0-23');
    expect(problem("0 8x * * *")).toBe('has "8x" in its hour field; expected 0-23');
    expect(problem("0 1-x * * *")).toBe('has "1-x" in its hour field; expected 0-23');
    expect(problem("0 8 * 13 *")).toBe(
      'has "13" in its month field; expected 1-12 or jan, feb, mar…',
    );
  });

  it("refuses parts cron cannot read, naming the part and the field", () => {
    expect(problem("0 8 * * ?")).toBe('has "?" in its day of week field, which cron cannot read');
    expect(problem("0 8/x * * *")).toBe('has "8/x" in its hour field, which cron cannot read');
    expect(problem("0 #8 * * *")).toBe('has "#8" in its hour field, which cron cannot read');
    expect(problem("0 8/2# * * *")).toBe('has "8/2#" in its hour field, which cron cannot read');
    expect(problem("0 8,,9 * * *")).toBe('has "" in its hour field, which cron cannot read');
    expect(problem("*/0 8 * * *")).toBe("has a step of 0 in its minute field");
    expect(problem("0 9-5 * * *")).toBe('has the backwards range "9-5" in its hour field');
  });

  it("reads a stepped start as from there to the end of the field", () => {
    expect(schedule("0 20/2 * * *").hours).toEqual([20, 22]);
    expect(schedule("50/5 8 * * *").minutes).toEqual([50, 55]);
    // Without a step, a single value is just that value.
    expect(schedule("0 20 * * *").hours).toEqual([20]);
    expect(schedule("0 */6 * * *").hours).toEqual([0, 6, 12, 18]);
  });

  it("refuses a day of month that none of its months has, and accepts one that some month has", () => {
    const never = "names a day that never comes (such as 31 February)";
    expect(problem("0 8 31 2 *")).toBe(never);
    expect(problem("0 8 30,31 feb *")).toBe(never);
    expect(problem("0 8 31 apr,jun,sep,nov *")).toBe(never);
    // 29 February comes every four years; 31 comes in March.
    expect([...schedule("0 8 29 2 *").daysOfMonth]).toEqual([29]);
    expect([...schedule("0 8 31 2,3 *").months]).toEqual([2, 3]);
    expect([...schedule("0 8 31 1 *").months]).toEqual([1]);
    expect([...schedule("0 8 31 12 *").months]).toEqual([12]);
    expect([...schedule("0 8 30 4 *").daysOfMonth]).toEqual([30]);
    // With a day of week too, cron runs on either: the weekday still comes.
    expect(schedule("0 8 31 2 mon").dayOfWeekRestricted).toBe(true);
  });

  it("runs only in its months, and on its days", () => {
    const s = schedule("0 8 * mar *");
    expect(runsOn(s, { year: 2027, month: 3, day: 10 })).toBe(true);
    expect(runsOn(s, { year: 2027, month: 4, day: 10 })).toBe(false);
    const fifteenth = schedule("0 8 15 * *");
    expect(runsOn(fifteenth, { year: 2027, month: 4, day: 15 })).toBe(true);
    expect(runsOn(fifteenth, { year: 2027, month: 4, day: 16 })).toBe(false);
  });

  it("finds a 29 February years away, and nothing for a schedule that never runs", () => {
    const leap = schedule("0 8 29 2 *");
    expect(nextDigestSlot(leap, new Date("2028-03-01T00:00:00Z"), "UTC")).toEqual(
      new Date("2032-02-29T08:00:00Z"),
    );
    const impossible: DigestSchedule = { ...leap, daysOfMonth: new Set([30]) };
    expect(nextDigestSlot(impossible, new Date("2025-01-01T00:00:00Z"), "UTC")).toBeNull();
  });
});
