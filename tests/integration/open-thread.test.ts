import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { openThread, type ThreadOpening } from "../../src/db/open-thread.ts";
import {
  campaigns,
  complaints,
  homeTabs,
  outbox,
  threadEvents,
  threads,
  timers,
} from "../../src/db/schema.ts";
import { createPgliteDatabase, createTestDatabase } from "../helpers/test-database.ts";

const now = new Date("2026-11-30T09:00:00.123Z");
/** What an opening writes: its complaint, thread.opened, the card, the two timers of opening(). */
const EVERYTHING_ONCE = { complaints: 1, events: 1, outbox: 1, timers: 2 };
const hour = 3_600_000;

/** An opening of conversation `key` by post `externalId`, with a card and two timers. */
function opening(
  key: string,
  externalId: string,
  changes: Partial<ThreadOpening> = {},
): ThreadOpening {
  const complaintId = randomUUID();
  return {
    threadId: randomUUID(),
    complaintId,
    now,
    thread: {
      conversationKey: key,
      department: "baggage",
      priority: "P2",
      routingRule: "bags",
      routingReason: 'rule "bags"',
      routingModelVersion: null,
      priorityReasons: ["a reason"],
      kind: "complaint",
      kindReason: "default",
      clocks: [],
    },
    complaint: {
      source: "twitter",
      externalId,
      conversationId: key,
      text: "my bag is lost",
      url: null,
      authorHandle: "someone",
      authorName: null,
      authorFollowers: 12,
      authorVerified: false,
      metrics: { likes: 3 },
      language: "en",
      postedAt: null,
    },
    event: { actor: "intake:test", details: { complaintId } },
    card: { kind: "thread.post_card", channel: "C0BAGGAGE" },
    timers: {
      subjectType: "thread",
      plan: [
        {
          key: "a",
          step: "warning",
          target: "thread",
          clockKind: "claim",
          fireAt: new Date(now.getTime() + hour),
        },
        { key: "b", step: "breach", target: "leads", fireAt: new Date(now.getTime() + 2 * hour) },
      ],
    },
    linking: { endedBefore: new Date(now.getTime() - 24 * hour) },
    homes: { users: ["UEXEC"], departments: ["baggage"] },
    ...changes,
  };
}

describe.each([
  ["PostgreSQL", () => createTestDatabase()],
  ["PGlite", () => createPgliteDatabase()],
])("opening a thread in one statement on %s", (_name, open) => {
  let handle: DatabaseHandle;
  let linkingId: string;
  beforeAll(async () => {
    handle = await open();
    const campaign = (name: string, start: number, end: number, cancelled = false) => ({
      name,
      launchAt: new Date(now.getTime() + start),
      endAt: new Date(now.getTime() + end),
      keywords: [name],
      owner: "UOWNER",
      announcedBy: "slack:UOWNER",
      announcedAt: new Date(now.getTime() + start - hour),
      cancelledAt: cancelled ? now : null,
      updatedAt: now,
    });
    const [live] = await handle.db
      .insert(campaigns)
      .values([
        campaign("live", -hour, hour),
        campaign("cancelled", -hour, hour, true),
        campaign("later", 5 * hour, 6 * hour),
        campaign("long-over", -30 * hour, -25 * hour),
      ])
      .returning({ id: campaigns.id });
    linkingId = live?.id ?? "";
    await handle.db.insert(homeTabs).values([
      { userId: "UAGENT", departments: ["baggage"], openedAt: now },
      { userId: "UEXEC", departments: [], openedAt: now },
      { userId: "UOTHER", departments: ["refunds"], openedAt: now },
    ]);
  });
  afterAll(async () => {
    await handle.close();
  });

  const countOf = async (threadId: string) => {
    const [row] = await handle.query<Record<string, number>>(sql`SELECT
      (SELECT count(*)::int FROM ${complaints} WHERE thread_id = ${threadId}) AS complaints,
      (SELECT count(*)::int FROM ${threadEvents} WHERE thread_id = ${threadId}) AS events,
      (SELECT count(*)::int FROM ${outbox} WHERE thread_id = ${threadId}) AS outbox,
      (SELECT count(*)::int FROM ${timers} WHERE subject_id = ${threadId}) AS timers`);
    return row;
  };

  it("writes the thread, its complaint, the event, the card and the timers, and answers who to tell", async () => {
    const first = opening("c1", "p1");
    const opened = await openThread(handle.db, first);
    expect(opened).toEqual({
      outcome: "opened",
      linking: [{ id: linkingId, keywords: ["live"] }],
      audience: expect.arrayContaining(["UAGENT", "UEXEC"]),
    });
    expect(opened.audience).toHaveLength(2);
    const [thread] = await handle.db.select().from(threads).where(eq(threads.id, first.threadId));
    expect(thread).toMatchObject({
      conversationKey: "c1",
      department: "baggage",
      state: "open",
      openingComplaintId: first.complaintId,
      priorityReasons: ["a reason"],
      openedAt: now,
    });
    const [complaint] = await handle.db
      .select()
      .from(complaints)
      .where(eq(complaints.id, first.complaintId));
    expect(complaint).toMatchObject({
      threadId: first.threadId,
      externalId: "p1",
      metrics: { likes: 3 },
      authorFollowers: 12,
      authorVerified: false,
      postedAt: null,
      receivedAt: now,
    });
    const [card] = await handle.db.select().from(outbox).where(eq(outbox.threadId, first.threadId));
    expect(card).toMatchObject({
      kind: "thread.post_card",
      channel: "C0BAGGAGE",
      payload: { threadId: first.threadId },
      status: "pending",
      nextAttemptAt: now,
    });
    const planned = await handle.db
      .select()
      .from(timers)
      .where(eq(timers.subjectId, first.threadId))
      .orderBy(timers.key);
    expect(planned.map((t) => [t.key, t.step, t.clockKind, t.fireAt.getTime(), t.status])).toEqual([
      ["a", "warning", "claim", now.getTime() + hour, "pending"],
      ["b", "breach", null, now.getTime() + 2 * hour, "pending"],
    ]);
    expect(await countOf(first.threadId)).toEqual(EVERYTHING_ONCE);
  });

  it("writes nothing when the conversation already has its thread", async () => {
    const first = opening("c2", "p2");
    await openThread(handle.db, first);
    const second = opening("c2", "p3");
    const answer = await openThread(handle.db, second);
    expect(answer).toEqual({
      outcome: "conversation-has-thread",
      linking: [{ id: linkingId, keywords: ["live"] }],
      audience: [],
    });
    expect(await countOf(first.threadId)).toEqual(EVERYTHING_ONCE);
    const [orphan] = await handle.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${complaints} WHERE id = ${second.complaintId}`,
    );
    expect(orphan?.n).toBe(0);
  });

  it("says a post already filed is a resend, having written its thread alone", async () => {
    await openThread(handle.db, opening("c3", "p4"));
    const resend = opening("c3-elsewhere", "p4");
    const answer = await openThread(handle.db, resend);
    expect(answer.outcome).toBe("resend");
    expect(await countOf(resend.threadId)).toEqual({
      complaints: 0,
      events: 0,
      outbox: 0,
      timers: 0,
    });
  });

  it("queues no card when there is none to post, and reads no campaigns when they are off", async () => {
    const quiet = opening("c4", "p5", {
      card: null,
      linking: null,
      homes: { users: [], departments: [] },
    });
    expect(await openThread(handle.db, quiet)).toEqual({
      outcome: "opened",
      linking: [],
      audience: [],
    });
    expect(await countOf(quiet.threadId)).toEqual({
      complaints: 1,
      events: 1,
      outbox: 0,
      timers: 2,
    });
  });
});
