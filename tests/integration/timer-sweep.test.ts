import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  campaignDepartments,
  campaignEvents,
  campaigns,
  outbox,
  threads,
  timers,
} from "../../src/db/schema.ts";
import {
  addTimer,
  findDueSubjects,
  lockDueTimers,
  markTimersFired,
  syncTimers,
} from "../../src/db/timer-store.ts";
import { silentLogger } from "../../src/logger.ts";
import { acknowledgeCampaign } from "../../src/services/acknowledge-campaign.ts";
import { announceCampaign } from "../../src/services/announce-campaign.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { campaignTimerHandler, timerSteps } from "../../src/services/fire-campaign-timers.ts";
import { threadTimerHandler } from "../../src/services/fire-thread-timers.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import { campaignBody, campaignWorkspace, MARKETING } from "../helpers/campaign-fixture.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody } from "../helpers/workspace-fixture.ts";

/*
 * The timer store and the sweep on a real PostgreSQL: what is due, what is locked by someone
 * else, how many fired, and what a campaign's reminder, launch and end queue, once each.
 */

let db: TestDatabase;
const T0 = "2026-11-24T10:00:00.000Z";
const clock = new FakeClock(T0);
const config = campaignWorkspace();
const ctx = (): ServiceContext => ({
  db,
  clock,
  logger: silentLogger,
  actor: { type: "intake", token: "t" },
});
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * MINUTE);
const step = (key: string, minutes: number) => ({
  key,
  step: "warning",
  target: "thread",
  fireAt: at(minutes),
});

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());
beforeEach(async () => {
  clock.set(T0);
  await db.db.delete(timers);
  await db.db.delete(outbox);
});

/** Runs `body` while another transaction holds `lock` (a FOR UPDATE), then lets it go. */
async function whileLocked<T>(lock: string, body: () => Promise<T>): Promise<T> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked: () => void = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = db.db.transaction(async (tx) => {
    await tx.execute(sql.raw(lock));
    locked();
    await released;
  });
  await isLocked;
  try {
    return await body();
  } finally {
    release();
    await holder;
  }
}

describe("the timer store", () => {
  it("finds no subject when asked about no type", async () => {
    await addTimer(db.db, { type: "thread", id: "t1" }, step("k", 0));
    expect(await findDueSubjects(db, [], at(10), 10)).toEqual([]);
    expect(await findDueSubjects(db, ["thread"], at(10), 10)).toEqual([
      { type: "thread", id: "t1" },
    ]);
  });

  it("marks timers fired, at the sweep's instant", async () => {
    await addTimer(db.db, { type: "thread", id: "t1" }, step("k", 0));
    const [due] = await lockDueTimers(db.db, { type: "thread", id: "t1" }, at(1));
    await markTimersFired(db.db, due ? [due.id] : [], at(1));
    const [row] = await db.db.select().from(timers);
    expect(row).toMatchObject({ status: "fired", firedAt: at(1) });
    await markTimersFired(db.db, [], at(2));
    expect((await db.db.select().from(timers))[0]).toMatchObject({ firedAt: at(1) });
  });

  it("keeps fired steps fired and cancels what is no longer planned", async () => {
    const subject = { type: "thread", id: "t1" };
    await syncTimers(db.db, subject, [step("a", 0), step("b", 5)]);
    const [a] = await lockDueTimers(db.db, subject, at(1));
    await markTimersFired(db.db, a ? [a.id] : [], at(1));
    await syncTimers(db.db, subject, [step("a", 0), step("c", 9)]);
    const rows = await db.db.select().from(timers).orderBy(timers.key);
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ["a", "fired"],
      ["b", "cancelled"],
      ["c", "pending"],
    ]);
    await syncTimers(db.db, subject, []);
    expect((await db.db.select().from(timers).orderBy(timers.key)).map((r) => r.status)).toEqual([
      "fired",
      "cancelled",
      "cancelled",
    ]);
  });

  it("skips timers another transaction holds when asked to, instead of waiting", async () => {
    const subject = { type: "campaign", id: randomUUID() };
    await addTimer(db.db, subject, step("k", 0));
    const seen = await whileLocked("SELECT 1 FROM timers FOR UPDATE", () =>
      db.db.transaction(async (tx) => {
        // Without SKIP LOCKED this would wait: fail fast instead of hanging.
        await tx.execute(sql`SET LOCAL lock_timeout = '2s'`);
        return lockDueTimers(tx, subject, at(1), { skipLocked: true });
      }),
    );
    expect(seen).toEqual([]);
  });
});

describe("the sweep", () => {
  it("counts what fired across subjects, and leaves a subject someone holds for later", async () => {
    const a = await ingestComplaint(ctx(), config, complaintBody());
    const b = await ingestComplaint(ctx(), config, complaintBody());
    clock.set(at(40)); // past the 50% warning of both service threads (P3: claim 1 h)
    const result = await whileLocked(
      `SELECT 1 FROM threads WHERE id = '${a.threadId}' FOR UPDATE`,
      () => sweepTimers(ctx(), config, { limit: 1 }),
    );
    // b fired; a was locked: the sweep stops at a round that fired nothing rather than spin.
    expect(result.fired + (await sweepTimers(ctx(), config)).fired).toBe(2);
    expect(result.subjects).toBeGreaterThanOrEqual(1);
    expect(await sweepTimers(ctx(), config)).toEqual({ fired: 0, subjects: 0 });
    const fired = await db.db.select().from(timers).where(eq(timers.status, "fired"));
    expect(fired.map((t) => t.subjectId).sort()).toEqual([a.threadId, b.threadId].sort());
  });

  it("returns how many timers fired and for how many subjects", async () => {
    const a = await ingestComplaint(ctx(), config, complaintBody());
    const b = await ingestComplaint(ctx(), config, complaintBody());
    clock.set(at(50)); // 50% of claim (30 min) and 80% (48 min) for both
    expect(await sweepTimers(ctx(), config)).toEqual({ fired: 4, subjects: 2 });
    expect(a.threadId).not.toBe(b.threadId);
  });

  it("fires nothing, and queues nothing, for a thread that is gone or has nothing due", async () => {
    await addTimer(db.db, { type: "thread", id: randomUUID() }, step("orphan", 0));
    clock.set(at(1));
    expect(await sweepTimers(ctx(), config)).toEqual({ fired: 0, subjects: 1 });
    const { threadId } = await ingestComplaint(ctx(), config, complaintBody());
    await db.db.delete(outbox);
    const fired = await db.db.transaction((tx) =>
      threadTimerHandler(ctx(), config).fire(tx, threadId, at(1)),
    );
    expect(fired).toBe(0);
    expect(await db.db.select().from(outbox)).toEqual([]);
  });
});

describe("campaign timers", () => {
  const launchAt = () => new Date(Date.parse(T0) + 72 * HOUR);
  const queued = async () =>
    (await db.db.select().from(outbox).orderBy(outbox.id)).map((o) => ({
      kind: o.kind,
      channel: o.channel,
      payload: o.payload,
      dedupeKey: o.dedupeKey,
    }));
  const eventsOf = async (campaignId: string, kind: string) =>
    (
      await db.db
        .select()
        .from(campaignEvents)
        .where(and(eq(campaignEvents.campaignId, campaignId), eq(campaignEvents.kind, kind)))
    ).map((e) => ({ actor: e.actor, details: e.details }));
  const timerRows = async (campaignId: string) =>
    db.db.select().from(timers).where(eq(timers.subjectId, campaignId)).orderBy(timers.fireAt);

  it("turns the plan into timer rows, with a reminder's lead time as its payload", () => {
    const fireAt = at(0);
    expect(
      timerSteps([
        { key: "reminder:24h", step: "reminder", fireAt, leadMs: 24 * HOUR },
        { key: "launch", step: "launch", fireAt },
      ]),
    ).toStrictEqual([
      {
        key: "reminder:24h",
        step: "reminder",
        target: "campaign",
        fireAt,
        payload: { leadMs: 86_400_000 },
      },
      { key: "launch", step: "launch", target: "campaign", fireAt, payload: {} },
    ]);
  });

  it("remind the departments that have not acknowledged, once, then go live and end", async () => {
    const { campaignId } = await announceCampaign(ctx(), config, { raw: campaignBody(launchAt()) });
    await acknowledgeCampaign(ctx(), config, {
      campaignId,
      department: "service",
      actor: { userId: "U0ACK", isAdmin: false, leads: [], memberOf: ["service"] },
    });
    const planned = await timerRows(campaignId);
    const reminder = planned.find((t) => t.step === "reminder");
    const launch = planned.find((t) => t.step === "launch");
    const end = planned.find((t) => t.step === "end");
    if (!reminder || !launch || !end) throw new Error(`planned: ${planned.map((t) => t.step)}`);
    const leadMs = Number(reminder.payload.leadMs);
    expect(leadMs).toBeGreaterThan(0);

    await db.db.delete(outbox);
    clock.set(reminder.fireAt);
    await sweepTimers(ctx(), config);
    const reminders = (await queued()).filter((o) => o.kind === "campaign.headsup_reply");
    expect(reminders.map((o) => [o.payload.department, o.payload.note, o.payload.leadMs])).toEqual([
      ["baggage", "reminder", leadMs],
      ["pr", "reminder", leadMs],
    ]);
    expect(reminders.map((o) => o.dedupeKey)).toEqual([
      `campaign:${campaignId}:timer:${reminder.id}:baggage`,
      `campaign:${campaignId}:timer:${reminder.id}:pr`,
    ]);
    expect(await eventsOf(campaignId, "campaign.reminded")).toEqual([
      { actor: "system", details: { departments: ["baggage", "pr"], leadMs, key: reminder.key } },
    ]);

    // Later reminders (a shorter lead time) go the same way.
    for (const later of planned.filter((t) => t.step === "reminder" && t.id !== reminder.id)) {
      clock.set(later.fireAt);
      await sweepTimers(ctx(), config);
    }
    // PR was taken off the campaign (an edit): it hears nothing more.
    await db.db
      .update(campaignDepartments)
      .set({ active: false })
      .where(
        and(
          eq(campaignDepartments.campaignId, campaignId),
          eq(campaignDepartments.department, "pr"),
        ),
      );
    await db.db.delete(outbox);
    clock.set(launch.fireAt);
    await sweepTimers(ctx(), config);
    const live = await queued();
    expect(
      live
        .filter((o) => o.kind === "campaign.headsup_reply")
        .map((o) => [o.payload.department, o.payload.note]),
    ).toEqual([
      ["service", "live"],
      ["baggage", "live"],
    ]);
    expect(live.filter((o) => o.kind === "campaign.dm")).toEqual([
      {
        kind: "campaign.dm",
        channel: MARKETING.marketer,
        payload: {
          campaignId,
          user: MARKETING.marketer,
          note: "launch",
          unacknowledged: ["baggage"],
        },
        dedupeKey: `campaign:${campaignId}:timer:${launch.id}:owner`,
      },
    ]);
    expect(live.filter((o) => o.kind === "campaign.update_headsup")).toHaveLength(2);
    expect(live.filter((o) => o.kind === "campaign.update_card")).toHaveLength(1);
    expect(await eventsOf(campaignId, "campaign.launched")).toEqual([
      { actor: "system", details: { unacknowledged: ["baggage"] } },
    ]);

    await db.db.delete(outbox);
    clock.set(end.fireAt);
    await sweepTimers(ctx(), config);
    const ended = await queued();
    expect(ended.filter((o) => o.kind === "campaign.card_reply")).toEqual([
      {
        kind: "campaign.card_reply",
        channel: config.campaigns?.channel ?? null,
        payload: { campaignId, note: "summary" },
        dedupeKey: `campaign:${campaignId}:timer:${end.id}:summary`,
      },
    ]);
    expect(ended.filter((o) => o.kind === "campaign.update_headsup")).toHaveLength(2);
    expect(ended.filter((o) => o.kind === "campaign.update_card")).toHaveLength(1);
    expect(await eventsOf(campaignId, "campaign.ended")).toEqual([
      { actor: "system", details: {} },
    ]);
    expect((await timerRows(campaignId)).map((t) => t.status)).toEqual(planned.map(() => "fired"));
  });

  it("say nothing for a campaign cancelled under a due timer, and skip one someone holds", async () => {
    const { campaignId } = await announceCampaign(ctx(), config, { raw: campaignBody(launchAt()) });
    const [first] = await timerRows(campaignId);
    if (!first) throw new Error("no timers planned");
    await db.db.delete(outbox);
    clock.set(first.fireAt);
    const held = await whileLocked(
      `SELECT 1 FROM campaigns WHERE id = '${campaignId}' FOR UPDATE`,
      () => sweepTimers(ctx(), config),
    );
    expect(held.fired).toBe(0);
    await db.db
      .update(campaigns)
      .set({ cancelledAt: at(0) })
      .where(eq(campaigns.id, campaignId));
    expect((await sweepTimers(ctx(), config)).fired).toBeGreaterThanOrEqual(1);
    expect(await queued()).toEqual([]);
    expect(await eventsOf(campaignId, "campaign.reminded")).toEqual([]);
    const gone = randomUUID();
    await addTimer(db.db, { type: "campaign", id: gone }, step("orphan", 0));
    const none = await db.db.transaction((tx) =>
      campaignTimerHandler(ctx(), config).fire(tx, campaignId, clock.now()),
    );
    expect(none).toBe(0);
    expect(await db.db.select().from(threads).where(eq(threads.id, gone))).toEqual([]);
  });
});
