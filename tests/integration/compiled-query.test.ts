import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { compiled } from "../../src/db/compiled-query.ts";
import { complaints, type StoredClock, threads } from "../../src/db/schema.ts";
import { createPgliteDatabase, createTestDatabase } from "../helpers/test-database.ts";

const insertThread = compiled((db, p) =>
  db
    .insert(threads)
    .values({
      source: p("source"),
      conversationKey: p("conversationKey"),
      department: p("department"),
      priority: p("priority"),
      routingReason: p("routingReason"),
      routingModelVersion: p("routingModelVersion"),
      priorityReasons: p("priorityReasons"),
      clocks: p("clocks"),
      openedAt: p("openedAt"),
      updatedAt: p("updatedAt"),
    })
    .onConflictDoNothing()
    .returning(),
);

const insertComplaint = compiled((db, p) =>
  db
    .insert(complaints)
    .values({
      threadId: p("threadId"),
      source: p("source"),
      externalId: p("externalId"),
      text: p("text"),
      metrics: p("metrics"),
      postedAt: p("postedAt"),
      receivedAt: p("receivedAt"),
    })
    .returning({ id: complaints.id }),
);

const selectComplaint = compiled((db, p) =>
  db
    .select({ id: complaints.id, threadId: threads.id, openedAt: threads.openedAt })
    .from(complaints)
    .innerJoin(threads, eq(complaints.threadId, threads.id))
    .where(eq(complaints.externalId, p("externalId"))),
);

const openedAt = new Date("2026-11-30T09:00:00.123Z");
const threadValues = (conversationKey: string) => ({
  source: "twitter",
  conversationKey,
  department: "service",
  priority: "P3",
  routingReason: "default",
  routingModelVersion: null,
  priorityReasons: ["a reason"],
  clocks: [] as StoredClock[],
  openedAt,
  updatedAt: openedAt,
});

describe.each([
  ["PostgreSQL", () => createTestDatabase()],
  ["PGlite", () => createPgliteDatabase()],
])("compiled queries on %s", (_name, open) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it("writes and returns what the query builder writes and returns", async () => {
    const [built] = await handle.db.insert(threads).values(threadValues("built")).returning();
    const [compiledRow] = await insertThread(handle.db, threadValues("compiled"));
    expect(compiledRow).toEqual({ ...built, id: compiledRow?.id, conversationKey: "compiled" });
    expect(compiledRow?.openedAt).toEqual(openedAt);
    expect(compiledRow?.priorityReasons).toEqual(["a reason"]);
  });

  it("keeps a null an SQL NULL, in jsonb and timestamp columns too", async () => {
    const [thread] = await insertThread(handle.db, threadValues("nulls"));
    const [row] = await insertComplaint(handle.db, {
      threadId: thread?.id,
      source: "twitter",
      externalId: "n1",
      text: "hello",
      metrics: null,
      postedAt: null,
      receivedAt: openedAt,
    });
    const stored = await handle.query<{ metricsNull: boolean; postedNull: boolean }>(
      sql`SELECT metrics IS NULL AS "metricsNull", posted_at IS NULL AS "postedNull"
          FROM complaints WHERE id = ${row?.id}`,
    );
    expect(stored).toEqual([{ metricsNull: true, postedNull: true }]);
  });

  it("runs inside a transaction, on its connection, and rolls back with it", async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await insertThread(tx, threadValues("rolled-back"));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const [again] = await insertThread(handle.db, threadValues("rolled-back"));
    expect(again?.conversationKey).toBe("rolled-back");
  });

  it("maps joined rows as the builder does", async () => {
    const [thread] = await insertThread(handle.db, threadValues("joined"));
    await insertComplaint(handle.db, {
      threadId: thread?.id,
      source: "twitter",
      externalId: "j1",
      text: "hello",
      metrics: { likes: 2 },
      postedAt: openedAt,
      receivedAt: openedAt,
    });
    const rows = await selectComplaint(handle.db, { externalId: "j1" });
    expect(rows).toEqual([{ id: expect.any(String), threadId: thread?.id, openedAt }]);
    expect(await selectComplaint(handle.db, { externalId: "none" })).toEqual([]);
  });

  it("refuses a call that leaves a placeholder without a value", () => {
    expect(() => selectComplaint(handle.db, {})).toThrow('no value for "externalId"');
  });
});
