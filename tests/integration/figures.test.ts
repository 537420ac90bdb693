import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Figures } from "../../src/domain/figures/figures.ts";
import { silentLogger } from "../../src/logger.ts";
import { announceCampaign } from "../../src/services/announce-campaign.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { firstWarningShare, readFigures } from "../../src/services/read-figures.ts";
import { campaignBody, campaignWorkspace } from "../helpers/campaign-fixture.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { type SeededHistory, seedHistory } from "../helpers/seed-history.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

/*
 * The expected figures below are worked out by hand from the history in seed-history.ts, not
 * by calling the figures module. Times are UTC, which is London time in winter.
 *
 *   A service P3  opened Mon 09:00, claimed 09:30 (30 min), answered 10:00 (60 min); the
 *                 customer wrote again 13:00, answered 13:30 (next response met). Resolution runs.
 *   C service P1  opened Mon 09:20, never claimed: claim (5 min) breached 09:25, first response
 *                 (15 min) 09:35, resolution (4 h) 13:20, each recorded by a sweep.
 *   D service P3  opened Mon 12:00, dismissed as spam 12:10: every clock stopped in 10 min.
 *   B baggage P3  opened Mon 16:40 (office hours 09:00–17:00), claimed by Bob Tue 09:10: 30 min
 *                 of business time (20 Monday, 10 Tuesday) for 16 h 30 min on the wall clock.
 *                 Handed to service 09:20 (a new claim run), claimed by Alice 10:00 (40 min),
 *                 answered 11:00: 140 min of baggage business time (20 + 120) since opening.
 *                 Its first response (measured in baggage's hours, where it started) and its
 *                 running resolution count for service, which held it when they were decided.
 */
const PERIOD = { from: new Date("2026-11-30T00:00:00Z"), to: new Date("2026-12-02T00:00:00Z") };
const NOW = new Date("2026-12-01T11:00:00Z");

let db: TestDatabase;
let history: SeededHistory;
let figures: Figures;
const config = testWorkspace();

beforeAll(async () => {
  db = await createTestDatabase();
  history = await seedHistory(db, config, new FakeClock("2026-11-30T08:00:00Z"));
  figures = await readFigures(db, config, { ...PERIOD, now: NOW, timezone: "Europe/London" });
});
afterAll(async () => {
  await db.destroy();
});

describe("figures for a seeded history", () => {
  it("are what the service reads inside a test too (the others check the ones read before them)", async () => {
    // Mutation testing counts only code run inside a test; beforeAll's read is outside.
    const again = await readFigures(db, config, { ...PERIOD, now: NOW, timezone: "Europe/London" });
    expect(again).toEqual(figures);
    expect(again.timeToClaim.measuredIn).toBe("mixed"); // business hours for baggage, wall clock elsewhere
  });

  it("count the earliest warning as the start of 'at risk', or only overdue without warnings", () => {
    const warned = testWorkspace((c) => {
      c.nudges = {
        ...c.nudges,
        warnings: [
          { atFraction: 0.8, target: "thread" },
          { atFraction: 0.3, target: "thread" },
        ],
      };
    });
    expect(firstWarningShare(warned)).toBe(0.3);
    const silent = testWorkspace((c) => {
      c.nudges = { ...c.nudges, warnings: [] };
    });
    expect(firstWarningShare(silent)).toBe(1);
  });

  it("count complaints, threads, open and at-risk threads", () => {
    expect(figures.complaints).toBe(5); // A, its follow-up, B, C, D
    expect(figures.threadsOpened).toBe(4);
    expect(figures.reopened).toBe(0);
    expect(figures.openNow).toBe(3); // A and B responded, C open
    expect(figures.atRiskThreads.map((t) => [t.threadId, t.clock, t.overdue])).toEqual([
      [history.c, "claim", true],
    ]);
    expect(figures.overdue).toBe(1);
  });

  it("judge every clock run: met, breached, still running", () => {
    const { byClock, overall } = figures.compliance;
    expect(byClock.claim).toMatchObject({ met: 4, breached: 1, running: 0 }); // A, B twice, D; C
    expect(byClock.firstResponse).toMatchObject({ met: 3, breached: 1, running: 0 }); // A, B, D; C
    expect(byClock.nextResponse).toMatchObject({ met: 1, breached: 0, running: 0 }); // A
    expect(byClock.resolution).toMatchObject({ met: 1, breached: 1, running: 2 }); // D; C; A, B
    expect(overall).toEqual({ met: 9, breached: 3, running: 2, compliance: 0.75 });
    const row = (department: string, priority: string, clock: string) =>
      figures.compliance.rows.find(
        (r) => r.department === department && r.priority === priority && r.clock === clock,
      );
    expect(row("baggage", "P3", "claim")).toMatchObject({ met: 1, breached: 0, running: 0 });
    expect(row("service", "P3", "claim")).toMatchObject({ met: 3, breached: 0, running: 0 }); // A, B again, D
    expect(row("service", "P1", "claim")).toMatchObject({ met: 0, breached: 1, running: 0 });
  });

  it("measure times in business hours where the department keeps them", () => {
    // Claim runs: D 10, A 30, B 30 (business; 16 h 30 min on the wall), B again 40.
    expect(figures.timeToClaim).toEqual({
      count: 4,
      medianMs: 30 * MINUTE,
      p90Ms: 40 * MINUTE,
      waiting: 1,
      measuredIn: "mixed",
    });
    // First responses: D 10, A 60, B 140 (business; 18 h 20 min on the wall).
    expect(figures.timeToFirstResponse).toEqual({
      count: 3,
      medianMs: 60 * MINUTE,
      p90Ms: 140 * MINUTE,
      waiting: 1,
      measuredIn: "mixed",
    });
  });

  it("list breaches, routing, hand-overs and dismissals", () => {
    expect(figures.breaches.map((b) => [b.threadId, b.clock, b.dueAt.toISOString()])).toEqual([
      [history.c, "claim", "2026-11-30T09:25:00.000Z"],
      [history.c, "firstResponse", "2026-11-30T09:35:00.000Z"],
      [history.c, "resolution", "2026-11-30T13:20:00.000Z"],
    ]);
    expect(figures.routingRules).toEqual([
      { label: "(default)", count: 3 },
      { label: "bags", count: 1 },
    ]);
    expect(figures.priorityReasons).toHaveLength(1);
    expect(figures.priorityReasons[0]?.label).toMatch(/^rule "risk"/);
    expect(figures.handOvers).toEqual({
      total: 1,
      routes: [{ from: "baggage", to: "service", count: 1 }],
    });
    expect(figures.dismissals).toEqual({ total: 1, byReason: [{ label: "spam", count: 1 }] });
    expect(figures.daily).toEqual([
      { date: "2026-11-30", complaints: 5, threadsOpened: 4, breaches: 3 },
    ]);
    expect(figures.campaigns).toEqual([]); // no campaign in this history
  });

  it("count each department where the thread was at the time, each clock run where it was decided", () => {
    const by = Object.fromEntries(figures.byDepartment.map((d) => [d.department, d]));
    expect(by.service).toMatchObject({ complaints: 4, threadsOpened: 3, openNow: 3, breaches: 3 });
    // B's first response, met in service, and its resolution, running there now, are service's.
    expect(by.service?.compliance).toMatchObject({ met: 8, breached: 3, running: 2 });
    expect(by.service?.openByState).toEqual({ responded: 2, open: 1 }); // A, B; C
    expect(by.baggage).toMatchObject({ complaints: 1, threadsOpened: 1, openNow: 0, breaches: 0 });
    expect(by.baggage?.compliance).toMatchObject({ met: 1, breached: 0, running: 0 }); // B's claim
    expect(by.pr).toMatchObject({ complaints: 0, threadsOpened: 0, openNow: 0 });
  });

  it("scope to departments", async () => {
    const baggage = await readFigures(db, config, {
      ...PERIOD,
      now: NOW,
      timezone: "UTC",
      departments: ["baggage"],
    });
    expect(baggage.departments).toEqual(["baggage"]);
    expect(baggage.complaints).toBe(1);
    expect(baggage.openNow).toBe(0); // B is in service now
    expect(baggage.breaches).toEqual([]);
    expect(baggage.compliance.overall).toEqual({ met: 1, breached: 0, running: 0, compliance: 1 });
    expect(baggage.handOvers.total).toBe(1); // it left baggage
  });

  it("give zeros, not errors, for an empty period", async () => {
    const empty = await readFigures(db, config, {
      from: new Date("2026-11-23T00:00:00Z"),
      to: new Date("2026-11-24T00:00:00Z"),
      now: NOW,
      timezone: "UTC",
    });
    expect(empty.complaints).toBe(0);
    expect(empty.threadsOpened).toBe(0);
    expect(empty.breaches).toEqual([]);
    expect(empty.compliance.overall).toEqual({ met: 0, breached: 0, running: 0, compliance: null });
    expect(empty.timeToClaim).toMatchObject({ count: 0, medianMs: null, p90Ms: null, waiting: 0 });
    expect(empty.daily).toEqual([]);
    expect(empty.openNow).toBe(3); // "now" figures do not depend on the period
  });
});

describe("campaigns in the figures", () => {
  it("count the complaints linked to each campaign that arrived in the period and scope", async () => {
    const campaignDb = await createTestDatabase();
    try {
      const clock = new FakeClock("2026-11-20T10:00:00Z");
      const ctx = {
        db: campaignDb,
        clock,
        logger: silentLogger,
        actor: { type: "intake" as const, token: "t" },
      };
      const workspace = campaignWorkspace();
      const launch = new Date("2026-11-23T10:00:00Z");
      const { campaignId } = await announceCampaign(ctx, workspace, { raw: campaignBody(launch) });
      const file = async (at: string, text: string, extra: Record<string, unknown> = {}) => {
        clock.set(at);
        await ingestComplaint(ctx, workspace, complaintBody({ text, ...extra }));
      };
      await file("2026-11-22T12:00:00Z", "SPRING25 does not work", {
        postedAt: "2026-11-22T11:00:00Z",
      }); // before the period
      await file("2026-11-24T09:00:00Z", "SPRING25 does not work at all");
      await file("2026-11-24T10:00:00Z", "the #springsale page is broken");
      await file("2026-11-24T11:00:00Z", "lost bag, and SPRING25 failed"); // baggage
      await file("2026-11-24T12:00:00Z", "nobody answers the phone"); // not linked
      const period = {
        from: new Date("2026-11-24T00:00:00Z"),
        to: new Date("2026-11-25T00:00:00Z"),
        now: new Date("2026-11-25T00:00:00Z"),
        timezone: "Europe/London",
      };
      const all = await readFigures(campaignDb, workspace, period);
      expect(all.campaigns).toEqual([{ id: campaignId, name: "Spring fare sale", complaints: 3 }]);
      const service = await readFigures(campaignDb, workspace, {
        ...period,
        departments: ["service"],
      });
      expect(service.campaigns).toEqual([
        { id: campaignId, name: "Spring fare sale", complaints: 2 },
      ]);
    } finally {
      await campaignDb.destroy();
    }
  });
});
