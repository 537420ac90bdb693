import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homeTabs, outbox, threadEvents, threads } from "../../src/db/schema.ts";
import type { ThreadAction } from "../../src/domain/thread-lifecycle.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { CHANNELS, complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

/*
 * transitionThread's own rules around the state machine: the refusals it adds, what it
 * stores with each change and what it queues. The state machine's table has unit tests of
 * its own (thread-lifecycle.test.ts); the cards people see are in tests/e2e/ownership.test.ts.
 */
let db: TestDatabase;
let ctx: ServiceContext;
const clock = new FakeClock("2026-12-01T10:00:00Z");
const config = testWorkspace();
const ADMIN = { userId: PEOPLE.admin, isAdmin: true, leads: [], memberOf: [] };
const member = (userId: string) => ({
  userId,
  isAdmin: false,
  leads: [],
  memberOf: ["service", "baggage"],
});

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { db, clock, logger: silentLogger, actor: { type: "slack", userId: PEOPLE.alice } };
});
afterAll(() => db.destroy());

async function newThread(text = "the lounge was closed") {
  const { threadId } = await ingestComplaint(ctx, config, complaintBody({ text }));
  return threadId;
}
const act = (threadId: string, action: ThreadAction, actor = member(PEOPLE.alice)) =>
  transitionThread(ctx, config, { threadId, action, actor });
const rowOf = async (id: string) =>
  (await db.db.select().from(threads).where(eq(threads.id, id)))[0];
const eventsOf = async (id: string) =>
  db.db.select().from(threadEvents).where(eq(threadEvents.threadId, id)).orderBy(threadEvents.id);

describe("transitionThread", () => {
  it("tells a second claimer who owns the thread, and the owner that it is theirs", async () => {
    const id = await newThread();
    expect((await act(id, { type: "claim", by: PEOPLE.alice })).ok).toBe(true);
    const again = await act(id, { type: "claim", by: PEOPLE.alice });
    expect(again).toMatchObject({ ok: false, reason: "You already own this thread." });
    const other = await act(id, { type: "claim", by: PEOPLE.bob }, member(PEOPLE.bob));
    expect(other).toMatchObject({
      ok: false,
      reason: `<@${PEOPLE.alice}> already owns this thread.`,
    });
    expect((await rowOf(id))?.owner).toBe(PEOPLE.alice);
  });

  it("refuses a hand-over to a department the workspace does not have, changing nothing", async () => {
    const id = await newThread();
    const before = await rowOf(id);
    const outcome = await act(
      id,
      { type: "hand_over_department", to: "cabin", by: PEOPLE.admin },
      ADMIN,
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'There is no department "cabin".' });
    expect(await rowOf(id)).toEqual(before);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(["thread.opened"]);
  });

  it("passes on the state machine's refusal and records nothing", async () => {
    const id = await newThread();
    const outcome = await act(id, { type: "reopen", by: PEOPLE.admin }, ADMIN);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toMatch(/\S/);
    expect((await rowOf(id))?.version).toBe(1);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(["thread.opened"]);
  });

  it("throws NotFoundError for a thread this database never had", async () => {
    const id = randomUUID();
    await expect(act(id, { type: "claim", by: PEOPLE.alice })).rejects.toThrow(`No thread ${id}`);
  });

  it("keeps a public reply's link, not a private one's, and counts each change once", async () => {
    const id = await newThread();
    const url = "https://x.example/skyline/status/1";
    await act(id, { type: "claim", by: PEOPLE.alice });
    await act(id, { type: "respond", reply: { kind: "public", url }, by: PEOPLE.alice });
    expect(await rowOf(id)).toMatchObject({ responseUrl: url, version: 3 }); // claimed, then responded
    await act(id, { type: "customer_replied" });
    await act(id, { type: "respond", reply: { kind: "private" }, by: PEOPLE.alice });
    expect(await rowOf(id)).toMatchObject({ responseUrl: url, version: 5 });
  });

  it("keeps the dismissal's reason while closed and forgets it on reopening", async () => {
    const id = await newThread();
    await act(id, { type: "dismiss", reason: "spam", by: PEOPLE.admin }, ADMIN);
    expect(await rowOf(id)).toMatchObject({ state: "dismissed", dismissReason: "spam" });
    clock.advance(MINUTE);
    await act(id, { type: "reopen", by: PEOPLE.admin }, ADMIN);
    expect(await rowOf(id)).toMatchObject({ dismissReason: null, closedAt: null });
  });

  it("hands over with a new card there, a link in the old one, and both departments' Homes refreshed", async () => {
    await db.db.delete(homeTabs);
    await db.db.insert(homeTabs).values([
      { userId: "U0SERVICE", departments: ["service"], openedAt: clock.now() },
      { userId: "U0BAGS", departments: ["baggage"], openedAt: clock.now() },
      { userId: "U0PRESS", departments: ["pr"], openedAt: clock.now() },
    ]);
    const id = await newThread("the agent was rude");
    await db.db
      .update(threads)
      .set({ slackChannel: CHANNELS.service, slackTs: "1700000000.000100" })
      .where(eq(threads.id, id));
    await db.db.delete(outbox);
    await act(id, { type: "hand_over_department", to: "baggage", by: PEOPLE.admin }, ADMIN);
    const queued = await db.db
      .select()
      .from(outbox)
      .where(eq(outbox.threadId, id))
      .orderBy(outbox.id);
    expect(queued.map((q) => [q.kind, q.channel])).toEqual([
      ["thread.post_card", CHANNELS.baggage],
      ["thread.leave_link", CHANNELS.service],
    ]);
    expect(queued[1]?.payload).toEqual({
      threadId: id,
      channel: CHANNELS.service,
      ts: "1700000000.000100",
      from: "service",
    });
    const homes = await db.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(eq(outbox.kind, "home.publish"));
    expect(homes.map((h) => (h.payload as { user: string }).user).sort()).toEqual([
      "U0BAGS",
      "U0SERVICE",
    ]);
  });

  it("hands over a thread whose card was never posted without a link to leave", async () => {
    const id = await newThread("card not out yet");
    await db.db.delete(outbox);
    await act(id, { type: "hand_over_department", to: "pr", by: PEOPLE.admin }, ADMIN);
    const queued = await db.db.select().from(outbox).where(eq(outbox.threadId, id));
    expect(queued.map((q) => [q.kind, q.channel])).toEqual([["thread.post_card", CHANNELS.pr]]);
  });
});
