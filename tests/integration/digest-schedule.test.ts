import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import { digests, outbox, timers } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import {
  DIGEST_TIMERS,
  ensureDigestSchedules,
  nextDigestStep,
  queueDigest,
} from "../../src/services/digest-timers.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

const LONDON = "U0EXECLDN";
const NEW_YORK = "U0EXECNYC";
const SYDNEY = "U0EXECSYD";

function workspace(adjust?: (c: WorkspaceConfig) => void): WorkspaceConfig {
  return testWorkspace((c) => {
    c.executives = [
      { user: LONDON, name: "London", timezone: "Europe/London", digest: "08:00" },
      { user: NEW_YORK, name: "New York", timezone: "America/New_York", digest: "0 7 * * 1-5" },
      {
        user: SYDNEY,
        name: "Sydney",
        timezone: "Australia/Sydney",
        digest: "02:30",
        departments: ["baggage"],
      },
    ];
    adjust?.(c);
  });
}

let db: TestDatabase;
beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await db.destroy();
});

function contextAt(clock: FakeClock): ServiceContext {
  return { db, clock, logger: silentLogger, actor: { type: "system" } };
}

async function digestsOf(user: string) {
  return db.db.select().from(digests).where(eq(digests.executive, user)).orderBy(digests.id);
}

async function pendingDigestTimers(user: string) {
  return db.db
    .select()
    .from(timers)
    .where(
      and(
        eq(timers.subjectType, DIGEST_TIMERS),
        eq(timers.subjectId, user),
        eq(timers.status, "pending"),
      ),
    );
}

/** Runs the sweep every `stepMs` of fake time from the clock's now until `until`. */
async function sweepUntil(
  clock: FakeClock,
  config: WorkspaceConfig,
  until: string,
  stepMs: number,
) {
  while (clock.now() < new Date(until)) {
    clock.advance(stepMs);
    await sweepTimers(contextAt(clock), config);
  }
}

describe("digest schedules", () => {
  it("send one digest per slot across daylight-saving changes, in each executive's zone", async () => {
    // London springs forward on 29 March 2026, Sydney falls back on 5 April, New York sprang on 8 March.
    const config = workspace();
    const clock = new FakeClock("2026-03-27T00:00:00Z");
    await ensureDigestSchedules(contextAt(clock), config);
    await sweepUntil(clock, config, "2026-04-07T00:00:00Z", 15 * MINUTE);
    const slots = async (user: string) => (await digestsOf(user)).map((d) => d.slot);
    expect(await slots(LONDON)).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z", // 08:00 BST
      "2026-03-30T07:00:00.000Z",
      "2026-03-31T07:00:00.000Z",
      "2026-04-01T07:00:00.000Z",
      "2026-04-02T07:00:00.000Z",
      "2026-04-03T07:00:00.000Z",
      "2026-04-04T07:00:00.000Z",
      "2026-04-05T07:00:00.000Z",
      "2026-04-06T07:00:00.000Z",
    ]);
    // Weekdays only: Friday 27 March, then Monday 30 March to Friday 3 April, then Monday 6 April.
    expect(await slots(NEW_YORK)).toEqual([
      "2026-03-27T11:00:00.000Z",
      "2026-03-30T11:00:00.000Z",
      "2026-03-31T11:00:00.000Z",
      "2026-04-01T11:00:00.000Z",
      "2026-04-02T11:00:00.000Z",
      "2026-04-03T11:00:00.000Z",
      "2026-04-06T11:00:00.000Z",
    ]);
    // Sydney's 02:30 on 5 April happens twice (clocks go back from 03:00 to 02:00): one digest.
    const sydney = await slots(SYDNEY);
    expect(sydney.filter((s) => s?.startsWith("2026-04-04T1"))).toEqual([
      "2026-04-04T15:30:00.000Z",
    ]);
    expect(sydney).toContain("2026-04-05T16:30:00.000Z"); // 02:30 AEST on 6 April
    expect(new Set(sydney).size).toBe(sydney.length);
    // Each digest follows on from the one before, with nothing missed or counted twice.
    const london = await digestsOf(LONDON);
    for (const [i, d] of london.entries()) {
      if (i > 0) expect(d.periodFrom).toEqual(london[i - 1]?.periodTo);
      expect(d.periodTo.toISOString()).toBe(d.slot);
    }
    expect((await digestsOf(SYDNEY))[0]?.departments).toEqual(["baggage"]);
    // One DM queued per digest, to the executive.
    const queued = await db.db.select().from(outbox).where(eq(outbox.kind, "digest.send"));
    expect(queued).toHaveLength(london.length + 7 + sydney.length);
  });

  it("send a digest missed while no bot ran once after restart, then keep the schedule", async () => {
    const config = workspace((c) => {
      c.executives = [c.executives[0] as (typeof c.executives)[number]];
    });
    const clock = new FakeClock("2026-11-30T07:00:00Z");
    await ensureDigestSchedules(contextAt(clock), config);
    expect((await pendingDigestTimers(LONDON)).map((t) => t.key)).toEqual([
      "2026-11-30T08:00:00.000Z",
    ]);
    // Down for three days and a bit; at start the overdue timer is kept, not replaced.
    clock.set("2026-12-03T10:15:00Z");
    await ensureDigestSchedules(contextAt(clock), config);
    await ensureDigestSchedules(contextAt(clock), config); // a second process starting too
    expect((await pendingDigestTimers(LONDON)).map((t) => t.key)).toEqual([
      "2026-11-30T08:00:00.000Z",
    ]);
    await sweepTimers(contextAt(clock), config);
    await sweepTimers(contextAt(clock), config);
    const sent = await digestsOf(LONDON);
    expect(sent).toHaveLength(1);
    // It covers the whole outage: from a day before the missed slot until it was sent.
    expect(sent[0]?.periodFrom.toISOString()).toBe("2026-11-29T08:00:00.000Z");
    expect(sent[0]?.periodTo.toISOString()).toBe("2026-12-03T10:15:00.000Z");
    expect((await pendingDigestTimers(LONDON)).map((t) => t.key)).toEqual([
      "2026-12-04T08:00:00.000Z",
    ]);
    clock.set("2026-12-04T08:00:00Z");
    await sweepTimers(contextAt(clock), config);
    const next = await digestsOf(LONDON);
    expect(next).toHaveLength(2);
    expect(next[1]?.periodFrom.toISOString()).toBe("2026-12-03T10:15:00.000Z");
  });

  it("follow a changed schedule, and drop executives no longer configured", async () => {
    const clock = new FakeClock("2026-11-30T07:00:00Z");
    await ensureDigestSchedules(contextAt(clock), workspace());
    const moved = workspace((c) => {
      c.executives = [{ user: LONDON, name: "London", timezone: "Europe/London", digest: "17:30" }];
    });
    clock.advance(HOUR / 2);
    await ensureDigestSchedules(contextAt(clock), moved);
    expect((await pendingDigestTimers(LONDON)).map((t) => t.key)).toEqual([
      "2026-11-30T17:30:00.000Z",
    ]);
    expect(await pendingDigestTimers(NEW_YORK)).toEqual([]);
    expect(await pendingDigestTimers(SYDNEY)).toEqual([]);
  });

  it("plans a timer for the next slot only for a valid schedule", () => {
    const at = new Date("2026-11-30T09:00:00Z");
    const base = { user: LONDON, name: "London", timezone: "Europe/Madrid" };
    expect(nextDigestStep(base, at)).toBeNull();
    expect(nextDigestStep({ ...base, digest: "25:99" }, at)).toBeNull();
    expect(nextDigestStep({ ...base, digest: "08:00" }, at)).toEqual({
      key: "2026-12-01T07:00:00.000Z",
      step: "send",
      target: LONDON,
      fireAt: new Date("2026-12-01T07:00:00.000Z"),
      payload: { schedule: "08:00", timezone: "Europe/Madrid" },
    });
  });

  it("leaves an executive whose schedule is unchanged alone, and fires nothing for one turned off", async () => {
    const clock = new FakeClock("2026-11-30T07:00:00Z");
    await ensureDigestSchedules(contextAt(clock), workspace());
    const [before] = await pendingDigestTimers(LONDON);
    clock.advance(MINUTE);
    await ensureDigestSchedules(contextAt(clock), workspace());
    expect(await pendingDigestTimers(LONDON)).toEqual([before]); // same row, not replaced

    // London's digest is turned off after its timer was planned: the slot passes quietly.
    const off = workspace((c) => {
      c.executives = c.executives.map((e) => (e.user === LONDON ? { ...e, digest: undefined } : e));
    });
    clock.set("2026-11-30T08:05:00Z");
    await sweepTimers(contextAt(clock), off);
    expect(await digestsOf(LONDON)).toEqual([]);
    expect(await pendingDigestTimers(LONDON)).toEqual([]);
  });

  it("gives a first digest, scheduled or on demand, the local day before: 23 hours as London springs forward", async () => {
    const config = workspace((c) => {
      c.executives = [c.executives[0] as (typeof c.executives)[number]];
    });
    const clock = new FakeClock("2026-03-29T06:00:00Z");
    const executive = { user: LONDON, timezone: "Europe/London", departments: undefined };
    // On demand at 11:00 BST before any scheduled digest: since 11:00 GMT on Saturday.
    clock.set("2026-03-29T10:00:00Z");
    await db.db.transaction((tx) =>
      queueDigest(tx, executive, { reason: "on_demand", now: clock.now() }),
    );
    expect((await digestsOf(LONDON))[0]?.periodFrom.toISOString()).toBe("2026-03-28T11:00:00.000Z");
    // Scheduled, missed at 08:00 BST and sent at 10:00 BST: since Saturday's 08:00 (GMT).
    clock.set("2026-03-29T06:00:00Z");
    await ensureDigestSchedules(contextAt(clock), config);
    clock.set("2026-03-29T09:00:00Z");
    await sweepTimers(contextAt(clock), config);
    const scheduled = (await digestsOf(LONDON))[1];
    expect(scheduled?.slot).toBe("2026-03-29T07:00:00.000Z");
    expect(scheduled?.periodFrom.toISOString()).toBe("2026-03-28T08:00:00.000Z");
  });

  it("covers the last day when the last scheduled digest ends after now (a clock set back)", async () => {
    const clock = new FakeClock("2026-11-30T09:00:00Z");
    const executive = { user: LONDON, timezone: "Europe/London", departments: undefined };
    const first = await db.db.transaction((tx) =>
      queueDigest(tx, executive, {
        reason: "scheduled",
        slot: "2026-11-30T08:00:00.000Z",
        now: clock.now(),
      }),
    );
    clock.set("2026-11-30T06:00:00Z");
    const id = await db.db.transaction((tx) =>
      queueDigest(tx, executive, { reason: "on_demand", now: clock.now() }),
    );
    const [row] = await db.db
      .select()
      .from(digests)
      .where(eq(digests.id, Number(id)));
    expect(row?.periodFrom).toEqual(new Date("2026-11-29T06:00:00Z"));
    // The same slot again (a second replica) records nothing and queues nothing more.
    const again = await db.db.transaction((tx) =>
      queueDigest(tx, executive, {
        reason: "scheduled",
        slot: "2026-11-30T08:00:00.000Z",
        now: clock.now(),
      }),
    );
    expect(again).toBeNull();
    const sends = await db.db.select().from(outbox).where(eq(outbox.channel, LONDON));
    expect(sends.map((s) => s.payload)).toEqual([
      { digestId: first, user: LONDON },
      { digestId: id, user: LONDON },
    ]);
  });
});
