import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadDigest,
  markDigestDelivered,
  previousDeliveredDigest,
} from "../../src/db/digest-store.ts";
import { digests, outbox, threads } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { queueDigest } from "../../src/services/digest-timers.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { listMyThreads } from "../../src/services/list-my-threads.ts";
import { requestDigest } from "../../src/services/request-digest.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

/** `/switchboard mine` and `/switchboard digest` at the service level. */
let db: TestDatabase;
let ctx: ServiceContext;
const clock = new FakeClock("2026-12-01T10:00:00Z"); // a Tuesday: baggage's office is open
const config = testWorkspace((c) => {
  c.executives = [
    { user: "U0EXEC", name: "Ana", timezone: "Europe/Madrid", departments: ["baggage"] },
  ];
});

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { db, clock, logger: silentLogger, actor: { type: "slack", userId: PEOPLE.alice } };
});
afterAll(() => db.destroy());

async function claimed(text: string, by: string = PEOPLE.alice) {
  const { threadId } = await ingestComplaint(ctx, config, complaintBody({ text }));
  const actor = { userId: by, isAdmin: false, leads: [], memberOf: ["service", "baggage", "pr"] };
  const outcome = await transitionThread(ctx, config, {
    threadId,
    action: { type: "claim", by },
    actor,
  });
  expect(outcome.ok).toBe(true);
  return threadId;
}

describe("someone's own threads", () => {
  it("lists the open threads they own, soonest due first, with the opening words", async () => {
    const slow = await claimed("ok, a small thing about my receipt"); // P3: first response 4 h
    clock.advance(MINUTE);
    const urgent = await claimed("the seat is unsafe"); // P1: first response 15 min
    await claimed("someone else's thread", PEOPLE.bob);
    const resolved = await claimed("sorted already");
    await transitionThread(ctx, config, {
      threadId: resolved,
      action: { type: "resolve", by: PEOPLE.alice },
      actor: { userId: PEOPLE.alice, isAdmin: false, leads: [], memberOf: ["service"] },
    });
    const mine = await listMyThreads(ctx, config, PEOPLE.alice);
    expect(mine.map((t) => [t.threadId, t.excerpt, t.state, t.priority])).toEqual([
      [urgent, "the seat is unsafe", "claimed", "P1"],
      [slow, "ok, a small thing about my receipt", "claimed", "P3"],
    ]);
    expect(mine[0]?.next).toMatchObject({
      clock: { kind: "firstResponse" },
      dueAt: new Date(clock.now().getTime() + 15 * MINUTE),
    });
    expect(mine[1]?.next?.dueAt).toEqual(new Date(clock.now().getTime() - MINUTE + 4 * HOUR));
  });

  it("finds the soonest due among more threads than it lists, not only among the oldest", async () => {
    const owner = PEOPLE.outsider;
    const old: string[] = [];
    for (let i = 0; i < 201; i++) {
      const { threadId } = await ingestComplaint(
        ctx,
        config,
        complaintBody({ text: `a small thing ${i}` }),
      );
      old.push(threadId);
    }
    // Owned long ago: their claim clocks stopped, first response due in hours (P3).
    await db.db.update(threads).set({ owner, state: "claimed" }).where(inArray(threads.id, old));
    clock.advance(MINUTE);
    const urgent = await claimed("the seat is unsafe", owner); // P1, the newest: due first
    const mine = await listMyThreads(ctx, config, owner);
    expect(mine).toHaveLength(200);
    expect(mine[0]?.threadId).toBe(urgent);
  });

  it("puts a thread with no running clock last, with nothing due", async () => {
    const stopped = await claimed("nothing left to time", PEOPLE.lead);
    const running = await claimed("still running", PEOPLE.lead);
    // Every clock met or stopped (as after a response on a question, which has no resolution clock).
    await db.db.update(threads).set({ clocks: [] }).where(eq(threads.id, stopped));
    // A thread whose opening complaint is unknown still lists, without an excerpt.
    await db.db.update(threads).set({ openingComplaintId: null }).where(eq(threads.id, running));
    const mine = await listMyThreads(ctx, config, PEOPLE.lead);
    expect(mine.map((t) => [t.threadId, t.excerpt, t.next === null])).toEqual([
      [running, "", false],
      [stopped, "nothing left to time", true],
    ]);
  });
});

describe("a digest on demand", () => {
  it("queues an executive's digest over their departments and time zone, by DM", async () => {
    const outcome = await requestDigest(ctx, config, "U0EXEC");
    expect(outcome.ok).toBe(true);
    const id = outcome.ok ? outcome.digestId : -1;
    const [row] = await db.db.select().from(digests).where(eq(digests.id, id));
    expect(row).toMatchObject({
      executive: "U0EXEC",
      reason: "on_demand",
      slot: null,
      departments: ["baggage"],
      timezone: "Europe/Madrid",
      periodTo: clock.now(),
      periodFrom: new Date(clock.now().getTime() - 24 * HOUR),
    });
    const [sent] = await db.db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `digest:${id}`));
    expect(sent).toMatchObject({ channel: "U0EXEC", payload: { digestId: id, user: "U0EXEC" } });
  });

  it("gives an admin every department in UTC, and refuses anyone else", async () => {
    const outcome = await requestDigest(ctx, config, PEOPLE.admin);
    const id = outcome.ok ? outcome.digestId : -1;
    const [row] = await db.db.select().from(digests).where(eq(digests.id, id));
    expect(row).toMatchObject({ executive: PEOPLE.admin, departments: null, timezone: "UTC" });
    const refused = await requestDigest(ctx, config, PEOPLE.alice);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toContain("<@U0EXEC>");
  });
});

describe("what changed since the previous digest", () => {
  it("is against the period before, not an on-demand digest that covers part of this one", async () => {
    const executive = { user: "U0EXEC2", timezone: "America/Los_Angeles", departments: undefined };
    const queue = (reason: "scheduled" | "on_demand", now: string, slot?: string) =>
      db.db.transaction(async (tx) => {
        const id = await queueDigest(tx, executive, { reason, now: new Date(now), slot });
        await markDigestDelivered(tx, id ?? -1, new Date(now));
        return (await loadDigest(tx, id ?? -1)) as NonNullable<
          Awaited<ReturnType<typeof loadDigest>>
        >;
      });
    // 08:00 in Los Angeles on Monday and Tuesday; asked for at 17:00 on Monday in between.
    const monday = await queue("scheduled", "2026-11-30T16:00:00Z", "2026-11-30T16:00:00.000Z");
    const asked = await queue("on_demand", "2026-12-01T01:00:00Z");
    const tuesday = await queue("scheduled", "2026-12-01T16:00:00Z", "2026-12-01T16:00:00.000Z");
    expect([asked.periodFrom, tuesday.periodFrom]).toEqual([monday.periodTo, monday.periodTo]);
    expect((await previousDeliveredDigest(db.db, tuesday))?.id).toBe(monday.id);
    expect((await previousDeliveredDigest(db.db, asked))?.id).toBe(monday.id);
    expect(await previousDeliveredDigest(db.db, monday)).toBeNull();
  });
});
