import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  outbox,
  slaBreaches,
  threadEvents,
  threads,
  timers as timerRows,
} from "../../src/db/schema.ts";
import type { ActorFacts } from "../../src/domain/permissions.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

let db: TestDatabase;
const config = testWorkspace();
// Tuesday 10:00 in London (GMT in November): inside baggage's office hours.
const clock = new FakeClock("2026-11-24T10:00:00Z");
const ctx = (): ServiceContext => ({ db, clock, logger: silentLogger, actor: { type: "system" } });
const slack = (userId: string): ServiceContext => ({ ...ctx(), actor: { type: "slack", userId } });
const member = (userId: string): ActorFacts => ({
  userId,
  isAdmin: false,
  leads: [],
  memberOf: ["service", "baggage"],
});
const outsider: ActorFacts = {
  userId: PEOPLE.outsider,
  isAdmin: false,
  leads: [],
  memberOf: ["pr"],
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

async function openThread(overrides: Record<string, unknown> = {}) {
  const res = await ingestComplaint(ctx(), config, complaintBody(overrides));
  return res.threadId;
}
const threadRow = async (id: string) =>
  (await db.db.select().from(threads).where(eq(threads.id, id)))[0];
const eventsOf = async (id: string) =>
  (
    await db.db
      .select()
      .from(threadEvents)
      .where(eq(threadEvents.threadId, id))
      .orderBy(threadEvents.id)
  ).map((e) => e.kind);
const nudgesOf = async (id: string) =>
  (await db.db.select().from(outbox).where(eq(outbox.kind, "thread.nudge")))
    .filter((o) => o.payload.threadId === id)
    .map((o) => `${o.payload.step}:${o.payload.via}:${o.payload.user ?? o.payload.channel ?? ""}`);

describe("claiming", () => {
  it("gives a thread to exactly one of 20 simultaneous claimers and tells the others who owns it", async () => {
    const threadId = await openThread();
    const people = Array.from({ length: 20 }, (_, i) => `U0CLAIM${i}`);
    const outcomes = await Promise.all(
      people.map((p) =>
        transitionThread(slack(p), config, {
          threadId,
          action: { type: "claim", by: p },
          actor: member(p),
        }),
      ),
    );
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    const owner = (await threadRow(threadId))?.owner;
    expect(people).toContain(owner);
    for (const o of outcomes.filter((x) => !x.ok))
      expect(o).toMatchObject({ reason: `<@${owner}> already owns this thread.` });
    expect((await eventsOf(threadId)).filter((k) => k === "thread.claim")).toHaveLength(1);
  });

  it("refuses someone outside the department, changing nothing", async () => {
    const threadId = await openThread();
    const before = await threadRow(threadId);
    const outcome = await transitionThread(slack(outsider.userId), config, {
      threadId,
      action: { type: "claim", by: outsider.userId },
      actor: outsider,
    });
    expect(outcome).toMatchObject({
      ok: false,
      reason: expect.stringContaining("Only members of Customer Service"),
    });
    expect(await threadRow(threadId)).toEqual(before);
  });

  it("keeps resolve and dismiss of an owned thread to its owner, leads and admins", async () => {
    const threadId = await openThread();
    await transitionThread(slack(PEOPLE.alice), config, {
      threadId,
      action: { type: "claim", by: PEOPLE.alice },
      actor: member(PEOPLE.alice),
    });
    const bob = await transitionThread(slack(PEOPLE.bob), config, {
      threadId,
      action: { type: "resolve" },
      actor: member(PEOPLE.bob),
    });
    expect(bob).toMatchObject({ ok: false, reason: expect.stringContaining(`<@${PEOPLE.alice}>`) });
    const lead: ActorFacts = {
      userId: PEOPLE.lead,
      isAdmin: false,
      leads: ["service"],
      memberOf: [],
    };
    const byLead = await transitionThread(slack(PEOPLE.lead), config, {
      threadId,
      action: { type: "dismiss", reason: "spam", note: "bot account" },
      actor: lead,
    });
    expect(byLead.ok).toBe(true);
    expect(await threadRow(threadId)).toMatchObject({ state: "dismissed", dismissReason: "spam" });
    const [event] = await db.db
      .select()
      .from(threadEvents)
      .where(and(eq(threadEvents.threadId, threadId), eq(threadEvents.kind, "thread.dismiss")));
    expect(event).toMatchObject({
      actor: `slack:${PEOPLE.lead}`,
      details: { from: "claimed", to: "dismissed", reason: "spam" },
    });
  });
});

describe("hand-over to another department", () => {
  it("moves the thread, restarts its claim clock and queues a new card plus a link in the old one", async () => {
    const threadId = await openThread();
    await db.db
      .update(threads)
      .set({ slackChannel: "C0SERVICE", slackTs: "1.000100" })
      .where(eq(threads.id, threadId));
    const outcome = await transitionThread(slack(PEOPLE.alice), config, {
      threadId,
      action: { type: "hand_over_department", to: "baggage", note: "bag issue" },
      actor: member(PEOPLE.alice),
    });
    expect(outcome.ok).toBe(true);
    expect(await threadRow(threadId)).toMatchObject({
      department: "baggage",
      state: "open",
      owner: null,
    });
    const kinds = (
      await db.db.select().from(outbox).where(eq(outbox.threadId, threadId)).orderBy(outbox.id)
    ).map((o) => o.kind);
    expect(kinds.slice(-2)).toEqual(["thread.post_card", "thread.leave_link"]);
  });
});

describe("SLA timers", () => {
  it("warns at 50% and 80%, tells the leads at breach and the executives after, each once", async () => {
    clock.set("2026-11-24T10:00:00Z");
    const threadId = await openThread(); // service, P3: claim within 1h, around the clock
    const sweep = () => sweepTimers(ctx(), config);
    clock.set("2026-11-24T10:29:59Z");
    await sweep();
    expect(await nudgesOf(threadId)).toEqual([]);
    clock.set("2026-11-24T10:30:00Z");
    await sweep();
    expect(await nudgesOf(threadId)).toEqual(["warning:thread:"]);
    clock.set("2026-11-24T10:48:00Z");
    await sweep();
    await sweep();
    expect(await nudgesOf(threadId)).toEqual(["warning:thread:", "warning:broadcast:"]);
    clock.set("2026-11-24T11:00:00Z");
    await sweep();
    expect((await nudgesOf(threadId)).slice(2)).toEqual([
      "breach:thread:",
      `breach:dm:${PEOPLE.lead}`,
    ]);
    const breaches = await db.db
      .select()
      .from(slaBreaches)
      .where(eq(slaBreaches.threadId, threadId));
    expect(breaches.map((b) => [b.clockKind, b.dueAt.toISOString()])).toEqual([
      ["claim", "2026-11-24T11:00:00.000Z"],
    ]);
    clock.set("2026-11-24T11:30:00Z");
    await sweep();
    expect((await nudgesOf(threadId)).slice(4)).toEqual(["escalation:channel:C0EXEC"]);
  });

  it("fires overdue timers once after a restart, and two sweepers never fire one twice", async () => {
    clock.set("2026-11-24T10:00:00Z");
    const threadId = await openThread();
    clock.set("2026-11-24T15:00:00Z"); // the bot was down for five hours
    await Promise.all([
      sweepTimers(ctx(), config),
      sweepTimers(ctx(), config),
      sweepTimers(ctx(), config),
    ]);
    // Claim (1h) and first response (4h) both ran out while it was down: each breach and
    // escalation once, and no warning the breach overtook (it would say "breached just now").
    const once = ["breach:thread:", `breach:dm:${PEOPLE.lead}`, "escalation:channel:C0EXEC"];
    expect((await nudgesOf(threadId)).sort()).toEqual([...once, ...once].sort());
    const rows = await db.db.select().from(timerRows).where(eq(timerRows.subjectId, threadId));
    const fired = rows.filter((t) => t.status === "fired").map((t) => t.key);
    expect(new Set(fired).size).toBe(fired.length);
    // The warnings are spent all the same: a later sweep does not send them.
    const now = clock.now().getTime();
    expect(rows.filter((t) => t.status === "pending" && t.fireAt.getTime() <= now)).toEqual([]);
    await sweepTimers(ctx(), config);
    expect((await nudgesOf(threadId)).sort()).toEqual([...once, ...once].sort());
    const outboxKeys = (await db.db.select().from(outbox)).map((o) => o.dedupeKey).filter(Boolean);
    expect(new Set(outboxKeys).size).toBe(outboxKeys.length);
  });

  it("never nudges a resolved thread", async () => {
    clock.set("2026-11-24T10:00:00Z");
    const threadId = await openThread();
    await transitionThread(slack(PEOPLE.alice), config, {
      threadId,
      action: { type: "resolve" },
      actor: member(PEOPLE.alice),
    });
    clock.set("2026-11-30T10:00:00Z");
    await sweepTimers(ctx(), config);
    expect(await nudgesOf(threadId)).toEqual([]);
    const pending = await db.db
      .select()
      .from(timerRows)
      .where(and(eq(timerRows.subjectId, threadId), eq(timerRows.status, "pending")));
    expect(pending).toEqual([]);
  });

  it("pauses while waiting on the customer and gives a fresh window when they write again", async () => {
    clock.set("2026-11-24T10:00:00Z");
    const conversationId = `wait-${Date.now()}`;
    const threadId = await openThread({ conversationId });
    const alice = slack(PEOPLE.alice);
    await transitionThread(alice, config, {
      threadId,
      action: { type: "claim", by: PEOPLE.alice },
      actor: member(PEOPLE.alice),
    });
    await transitionThread(alice, config, {
      threadId,
      action: { type: "respond", reply: { kind: "private" } },
      actor: member(PEOPLE.alice),
    });
    await transitionThread(alice, config, {
      threadId,
      action: { type: "wait_on_customer" },
      actor: member(PEOPLE.alice),
    });
    const paused = await db.db
      .select()
      .from(timerRows)
      .where(and(eq(timerRows.subjectId, threadId), eq(timerRows.status, "pending")));
    expect(paused).toEqual([]);
    clock.set("2026-11-27T10:00:00Z"); // three days later: past the 3d resolution window, but paused
    await sweepTimers(ctx(), config);
    expect(await nudgesOf(threadId)).toEqual([]);
    await ingestComplaint(ctx(), config, complaintBody({ conversationId, text: "any news?" }));
    expect(await threadRow(threadId)).toMatchObject({ state: "claimed", owner: PEOPLE.alice });
    const rows = await db.db
      .select()
      .from(timerRows)
      .where(and(eq(timerRows.subjectId, threadId), eq(timerRows.status, "pending")));
    const next = rows.filter((t) => t.clockKind === "nextResponse" && t.step === "breach");
    expect(next.map((t) => t.fireAt.toISOString())).toEqual(["2026-11-27T18:00:00.000Z"]); // P3 next response: 8h
  });
});

describe("working hours", () => {
  it("holds a DM to the owner until their working hours, while thread posts go at once", async () => {
    // Alice works office hours in London (people[].calendar); service runs around the clock.
    clock.set("2026-11-24T16:00:00Z");
    const threadId = await openThread();
    await transitionThread(slack(PEOPLE.alice), config, {
      threadId,
      action: { type: "claim", by: PEOPLE.alice },
      actor: member(PEOPLE.alice),
    });
    // P3 first response: 4 h. The 80% warning (owner) falls at 19:12, after Alice's day ends.
    clock.set("2026-11-24T19:12:00Z");
    await sweepTimers(ctx(), config);
    const dms = (await db.db.select().from(outbox).where(eq(outbox.kind, "thread.nudge"))).filter(
      (o) => o.payload.threadId === threadId && o.payload.via === "dm",
    );
    expect(dms.map((d) => [d.payload.user, d.nextAttemptAt.toISOString()])).toEqual([
      [PEOPLE.alice, "2026-11-25T09:00:00.000Z"],
    ]);
    const inThread = (
      await db.db.select().from(outbox).where(eq(outbox.kind, "thread.nudge"))
    ).filter((o) => o.payload.threadId === threadId && o.payload.via === "thread");
    expect(inThread.map((o) => o.nextAttemptAt.toISOString())).toEqual([
      "2026-11-24T19:12:00.000Z",
    ]);
  });
});

describe("a burst of due timers", () => {
  it("fires them all in one sweep even beyond one batch", async () => {
    clock.set("2026-11-24T10:00:00Z");
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await openThread());
    clock.set("2026-11-24T10:30:00Z"); // every thread's 50% claim warning is due
    const { subjects } = await sweepTimers(ctx(), config, { limit: 2 });
    expect(subjects).toBeGreaterThanOrEqual(5);
    for (const id of ids) expect(await nudgesOf(id)).toEqual(["warning:thread:"]);
  });
});
