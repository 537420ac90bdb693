import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeClocks } from "../../src/db/clock-codec.ts";
import { HOME_PUBLISH_KIND } from "../../src/db/home-refresh-store.ts";
import {
  homeTabs,
  outbox,
  slaBreaches,
  threadEvents,
  threads,
  timers,
} from "../../src/db/schema.ts";
import { addTimer } from "../../src/db/timer-store.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { CHANNELS, complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

/*
 * What each thread timer queues, to whom, once: one timer at a time is added by hand to a
 * real thread (service, P3: claim within an hour, around the clock) and swept.
 */

let db: TestDatabase;
const T0 = "2026-11-24T10:00:00.000Z"; // a Tuesday, 10:00 in London
const clock = new FakeClock(T0);
const config = testWorkspace();
const ctx = (): ServiceContext => ({ db, clock, logger: silentLogger, actor: { type: "system" } });
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * MINUTE);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());
beforeEach(() => clock.set(T0));

/** A new service thread with its own timers cancelled, so only the test's timer fires. */
async function openThread(owner?: string): Promise<string> {
  const { threadId } = await ingestComplaint(ctx(), config, complaintBody());
  await db.db.delete(timers).where(eq(timers.subjectId, threadId));
  if (owner) {
    await db.db.update(threads).set({ owner, state: "claimed" }).where(eq(threads.id, threadId));
  }
  await db.db.delete(outbox);
  return threadId;
}

async function fire(
  threadId: string,
  timer: { key?: string; step?: string; target: string; clockKind?: string; minutes?: number },
  sweepConfig = config,
) {
  const minutes = timer.minutes ?? 30;
  await addTimer(
    db.db,
    { type: "thread", id: threadId },
    {
      key: timer.key ?? `test:${timer.target}`,
      step: timer.step ?? "warning",
      target: timer.target,
      clockKind: timer.clockKind ?? "claim",
      fireAt: at(minutes),
    },
  );
  clock.set(at(minutes));
  return sweepTimers(ctx(), sweepConfig);
}

const queued = async (kind = "thread.nudge") =>
  (await db.db.select().from(outbox).where(eq(outbox.kind, kind)).orderBy(outbox.id)).map((o) => ({
    threadId: o.threadId,
    channel: o.channel,
    payload: o.payload,
    nextAttemptAt: o.nextAttemptAt,
  }));
const slaEvents = async (threadId: string) =>
  (
    await db.db
      .select()
      .from(threadEvents)
      .where(and(eq(threadEvents.threadId, threadId), sql`${threadEvents.kind} LIKE 'sla.%'`))
  ).map((e) => ({ kind: e.kind, actor: e.actor, details: e.details }));
const timerOf = async (threadId: string) =>
  (await db.db.select().from(timers).where(eq(timers.subjectId, threadId)))[0];

/** The payload every nudge of the claim clock carries. */
const base = (threadId: string, key: string, step = "warning") => ({
  threadId,
  timerKey: key,
  step,
  clockKind: "claim",
  clockStartedAt: T0,
  dueAt: at(60).toISOString(),
  department: "service",
});

describe("thread timers", () => {
  it("warn in the thread, naming the owner, and record the warning once", async () => {
    const threadId = await openThread(PEOPLE.alice);
    expect(await fire(threadId, { target: "thread" })).toEqual({ fired: 1, subjects: 1 });
    expect(await queued()).toEqual([
      {
        threadId,
        channel: CHANNELS.service,
        payload: { ...base(threadId, "test:thread"), via: "thread", mention: [PEOPLE.alice] },
        nextAttemptAt: at(30),
      },
    ]);
    expect(await slaEvents(threadId)).toEqual([
      {
        kind: "sla.warning",
        actor: "system",
        details: { clock: "claim", target: "thread", key: "test:thread", messages: 1 },
      },
    ]);
    expect(await timerOf(threadId)).toMatchObject({ status: "fired", firedAt: at(30) });
    // The card is re-rendered in its department's channel.
    expect((await queued("thread.update_card")).map((o) => [o.threadId, o.channel])).toEqual([
      [threadId, CHANNELS.service],
    ]);
    expect(await sweepTimers(ctx(), config)).toEqual({ fired: 0, subjects: 0 });
  });

  it("warn in the thread with no mention when nobody owns it", async () => {
    const threadId = await openThread();
    await fire(threadId, { target: "thread" });
    expect((await queued())[0]?.payload).toMatchObject({ via: "thread", mention: [] });
  });

  it("DM the owner, or broadcast to the department's group or @here when nobody owns it", async () => {
    const owned = await openThread(PEOPLE.alice);
    await fire(owned, { target: "owner_or_channel" });
    expect(await queued()).toEqual([
      {
        threadId: null,
        channel: PEOPLE.alice,
        payload: {
          ...base(owned, "test:owner_or_channel"),
          via: "dm",
          user: PEOPLE.alice,
          mention: [],
        },
        nextAttemptAt: at(30),
      },
    ]);
    const unowned = await openThread();
    await fire(unowned, { target: "owner_or_channel" });
    expect((await queued())[0]?.payload).toMatchObject({ via: "broadcast", mention: ["here"] });
    const grouped = testWorkspace((c) => {
      const service = c.departments.find((d) => d.key === "service");
      if (service) service.usergroup = "S0SERVICE";
    });
    const withGroup = await openThread();
    await fire(withGroup, { target: "owner_or_channel" }, grouped);
    expect((await queued())[0]).toMatchObject({
      channel: CHANNELS.service,
      payload: { via: "broadcast", mention: ["subteam^S0SERVICE"] },
    });
  });

  it("tell the leads in the thread and by DM, and the executives in their channel", async () => {
    const threadId = await openThread();
    await fire(threadId, { target: "leads", step: "breach", key: "k:breach", minutes: 60 });
    expect((await queued()).map((o) => [o.channel, o.payload.via, o.payload.mention])).toEqual([
      [CHANNELS.service, "thread", [PEOPLE.lead]],
      [PEOPLE.lead, "dm", []],
    ]);
    await db.db.delete(outbox);
    await fire(threadId, {
      target: "executives_channel",
      step: "escalation",
      key: "k:esc",
      minutes: 90,
    });
    expect(await queued()).toEqual([
      {
        threadId: null,
        channel: CHANNELS.exec,
        payload: {
          ...base(threadId, "k:esc", "escalation"),
          // The breach was recorded at 11:00, so that stays the due time.
          via: "channel",
          channel: CHANNELS.exec,
          mention: [],
        },
        nextAttemptAt: at(90),
      },
    ]);
  });

  it("escalate in the department's channel when there is no executives channel: for its leads, else @here", async () => {
    const noExecs = (leads: string[]) =>
      testWorkspace((c) => {
        c.executivesChannel = undefined;
        for (const d of c.departments) d.leads = leads;
      });
    const escalation = (threadId: string, mention: string[]) => ({
      threadId,
      channel: CHANNELS.service,
      payload: { ...base(threadId, "k:esc", "escalation"), via: "broadcast", mention },
      nextAttemptAt: at(90),
    });
    const withLead = await openThread();
    const timer = { key: "k:esc", step: "escalation", target: "executives_channel", minutes: 90 };
    expect(await fire(withLead, timer, noExecs([PEOPLE.lead]))).toEqual({ fired: 1, subjects: 1 });
    expect(await queued()).toEqual([escalation(withLead, [PEOPLE.lead])]);
    expect((await slaEvents(withLead))[0]?.details).toMatchObject({ messages: 1 });
    clock.set(T0);
    const leaderless = await openThread();
    await fire(leaderless, timer, noExecs([]));
    expect(await queued()).toEqual([escalation(leaderless, ["here"])]);
  });

  it("send nothing for a clock the thread does not run, or to a target nobody knows", async () => {
    const threadId = await openThread();
    await fire(threadId, { target: "thread", clockKind: "nextResponse", key: "k:none" });
    expect(await queued()).toEqual([]);
    expect(await slaEvents(threadId)).toEqual([]);
    expect(await timerOf(threadId)).toMatchObject({ status: "fired" });
    const other = await openThread();
    await fire(other, { target: "somebody_else", key: "k:unknown" });
    expect(await queued()).toEqual([]);
    expect((await slaEvents(other))[0]?.details).toMatchObject({ messages: 0 });
  });

  it("fire a breach timer for a clock the thread no longer runs without recording a breach", async () => {
    const threadId = await openThread();
    expect(
      await fire(threadId, {
        target: "leads",
        step: "breach",
        clockKind: "nextResponse",
        minutes: 60,
      }),
    ).toEqual({ fired: 1, subjects: 1 });
    expect(await queued()).toEqual([]);
    expect(
      await db.db.select().from(slaBreaches).where(eq(slaBreaches.threadId, threadId)),
    ).toEqual([]);
  });

  it("mark a timer fired without a word when the thread was closed meanwhile", async () => {
    const threadId = await openThread(PEOPLE.alice);
    await db.db.update(threads).set({ state: "resolved" }).where(eq(threads.id, threadId));
    expect(await fire(threadId, { target: "thread" })).toEqual({ fired: 1, subjects: 1 });
    expect(await queued()).toEqual([]);
    expect(await queued("thread.update_card")).toEqual([]);
    expect(await slaEvents(threadId)).toEqual([]);
    expect(await timerOf(threadId)).toMatchObject({ status: "fired" });
  });

  it("record a late breach at the instant the clock ran out, and only for the breach's clock", async () => {
    const threadId = await openThread();
    // The sweep comes 5 minutes late, with a first-response warning due as well.
    await addTimer(
      db.db,
      { type: "thread", id: threadId },
      {
        key: "k:warn",
        step: "warning",
        target: "thread",
        clockKind: "firstResponse",
        fireAt: at(64),
      },
    );
    await fire(threadId, { target: "thread", step: "breach", key: "k:breach", minutes: 65 });
    const breaches = await db.db
      .select()
      .from(slaBreaches)
      .where(eq(slaBreaches.threadId, threadId));
    expect(breaches.map((b) => [b.clockKind, b.dueAt])).toEqual([["claim", at(60)]]);
    const [row] = await db.db.select().from(threads).where(eq(threads.id, threadId));
    const clocks = decodeClocks(row?.clocks ?? []);
    expect(clocks.find((c) => c.kind === "claim")?.breachedAt).toEqual(at(60));
    expect(clocks.find((c) => c.kind === "firstResponse")?.breachedAt).toBeUndefined();
  });

  it("record no breach when only a warning is due, even on an overdue clock", async () => {
    const threadId = await openThread();
    await fire(threadId, { target: "thread", minutes: 90 });
    expect(
      await db.db.select().from(slaBreaches).where(eq(slaBreaches.threadId, threadId)),
    ).toEqual([]);
    const [row] = await db.db.select().from(threads).where(eq(threads.id, threadId));
    expect(decodeClocks(row?.clocks ?? []).every((c) => c.breachedAt === undefined)).toBe(true);
  });

  it("refresh the Home of the owner and of the department's people who opened theirs", async () => {
    await db.db.delete(homeTabs);
    await db.db.insert(homeTabs).values([
      { userId: PEOPLE.alice, departments: [], openedAt: at(-60) },
      { userId: PEOPLE.bob, departments: ["service"], openedAt: at(-60) },
      { userId: PEOPLE.outsider, departments: ["pr"], openedAt: at(-60) },
    ]);
    const threadId = await openThread(PEOPLE.alice);
    await fire(threadId, { target: "thread" });
    const homes = (await queued(HOME_PUBLISH_KIND)).map((o) => o.payload.user).sort();
    expect(homes).toEqual([PEOPLE.alice, PEOPLE.bob]);
  });

  it("still nudge a thread whose department left the workspace file, with no channel", async () => {
    const threadId = await openThread();
    const without = testWorkspace((c) => {
      c.departments = c.departments.filter((d) => d.key !== "service");
    });
    await fire(threadId, { target: "owner_or_channel", key: "k:gone" }, without);
    expect(await queued()).toEqual([
      {
        threadId,
        channel: null,
        payload: { ...base(threadId, "k:gone"), via: "broadcast", mention: ["here"] },
        nextAttemptAt: at(30),
      },
    ]);
    expect((await queued("thread.update_card")).map((o) => o.channel)).toEqual([null]);
    await fire(threadId, { target: "leads", key: "k:gone-leads", minutes: 40 }, without);
    expect((await queued()).slice(1).map((o) => o.payload.mention)).toEqual([[]]);
  });
});
