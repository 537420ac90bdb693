import { describe, expect, it } from "vitest";
import { reportQuery } from "../../src/report/report-query.ts";

const HOUR_MS = 3_600_000;

/** The period a report by dates covers: its bounds, and its length in hours. */
function period(from: string, to: string, timezone: string) {
  const q = reportQuery(["service"]).parse({ from, to, timezone });
  return {
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    hours: (q.to.getTime() - q.from.getTime()) / HOUR_MS,
  };
}

describe("a report's period by dates", () => {
  it("runs from local midnight to local midnight: 23 or 25 hours on the days clocks change", () => {
    expect(period("2026-03-29", "2026-03-29", "Europe/London")).toEqual({
      from: "2026-03-29T00:00:00.000Z",
      to: "2026-03-29T23:00:00.000Z",
      hours: 23,
    });
    expect(period("2026-10-25", "2026-10-25", "Europe/London")).toEqual({
      from: "2026-10-24T23:00:00.000Z",
      to: "2026-10-26T00:00:00.000Z",
      hours: 25,
    });
    expect(period("2026-03-08", "2026-03-08", "America/New_York").hours).toBe(23);
    expect(period("2026-11-01", "2026-11-01", "America/New_York").hours).toBe(25);
    expect(period("2026-03-29", "2026-03-29", "UTC").hours).toBe(24);
  });

  it("covers whole local weeks: 167 or 169 hours across a change", () => {
    expect(period("2026-03-23", "2026-03-29", "Europe/London").hours).toBe(167);
    expect(period("2026-10-19", "2026-10-25", "Europe/London").hours).toBe(169);
    expect(period("2026-11-23", "2026-11-29", "Europe/London").hours).toBe(168);
  });
});
