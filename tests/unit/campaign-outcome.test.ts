import { describe, expect, it } from "vitest";
import { campaignOutcome } from "../../src/domain/campaign-outcome.ts";
import type { SlaClock } from "../../src/domain/sla-clock.ts";
import { london } from "../helpers/calendars.ts";

const END = new Date("2026-12-01T12:00:00Z");
const at = (iso: string) => new Date(iso);
const HOUR = 3_600_000;

function running(kind: SlaClock["kind"], startedAt: string, budgetMs: number): SlaClock {
  return {
    kind,
    startedAt: at(startedAt),
    budgetMs,
    consumedMs: 0,
    runningSince: at(startedAt),
    stoppedAt: null,
  };
}

describe("a campaign's end summary", () => {
  it("counts breaches recorded before the end, and those the sweep has not recorded yet, once", () => {
    const outcome = campaignOutcome({
      linked: [
        { threadId: "a", department: "service", n: 2 },
        { threadId: "b", department: "baggage", n: 1 },
      ],
      threads: [
        // Recorded already, and still visible on the clock: counted once.
        {
          id: "a",
          department: "service",
          clocks: [running("claim", "2026-11-30T09:00:00Z", HOUR)],
        },
        // Past due at the end but not swept yet (the end fired first): counted.
        {
          id: "b",
          department: "baggage",
          clocks: [
            running("claim", "2026-11-30T09:00:00Z", HOUR),
            // Due only after the end: not counted.
            running("resolution", "2026-11-30T09:00:00Z", 3 * 24 * HOUR),
          ],
        },
      ],
      breaches: [
        {
          threadId: "a",
          clockKind: "claim",
          clockStartedAt: at("2026-11-30T09:00:00Z"),
          department: "service",
          dueAt: at("2026-11-30T10:00:00Z"),
        },
        // An earlier run of a clock that was restarted: counted from the record.
        {
          threadId: "a",
          clockKind: "firstResponse",
          clockStartedAt: at("2026-11-29T09:00:00Z"),
          department: "service",
          dueAt: at("2026-11-29T13:00:00Z"),
        },
        // Due after the end: not this campaign's to count.
        {
          threadId: "a",
          clockKind: "resolution",
          clockStartedAt: at("2026-11-30T09:00:00Z"),
          department: "service",
          dueAt: at("2026-12-03T09:00:00Z"),
        },
      ],
      asOf: END,
      calendarOf: () => undefined,
    });
    expect(outcome).toEqual([
      { department: "baggage", complaints: 1, breaches: 1 },
      { department: "service", complaints: 2, breaches: 2 },
    ]);
  });

  it("follows the department's business hours (London) for clocks not yet swept", () => {
    const base = {
      linked: [{ threadId: "b", department: "baggage", n: 1 }],
      // Opened Friday 16:30 with a 1 h claim window: due Monday 09:30 in office hours.
      threads: [
        {
          id: "b",
          department: "baggage",
          clocks: [running("claim", "2026-11-27T16:30:00Z", HOUR)],
        },
      ],
      breaches: [],
    };
    const saturday = campaignOutcome({
      ...base,
      asOf: at("2026-11-28T12:00:00Z"),
      calendarOf: () => london,
    });
    expect(saturday).toEqual([{ department: "baggage", complaints: 1, breaches: 0 }]);
    const monday = campaignOutcome({
      ...base,
      asOf: at("2026-11-30T10:00:00Z"),
      calendarOf: () => london,
    });
    expect(monday).toEqual([{ department: "baggage", complaints: 1, breaches: 1 }]);
  });
});
