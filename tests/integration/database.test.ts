import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { DataDirInUseError } from "../../src/db/data-dir-lock.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import { threadEvents, threads } from "../../src/db/schema.ts";
import { createPgliteDatabase, createTestDatabase } from "../helpers/test-database.ts";

const TABLES = [
  "campaign_departments",
  "campaign_events",
  "campaigns",
  "channel_holds",
  "claim_offers",
  "complaint_campaigns",
  "complaints",
  "digests",
  "handover_dms",
  "home_tabs",
  "integration_problems",
  "kind_rollup_messages",
  "kind_rollups",
  "outbox",
  "routing_models",
  "sla_breaches",
  "thread_events",
  "threads",
  "timers",
];

async function tableNames(handle: DatabaseHandle): Promise<string[]> {
  const rows = await handle.query<{ table_name: string }>(
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function insertThread(handle: DatabaseHandle) {
  const now = new Date();
  const [thread] = await handle.db
    .insert(threads)
    .values({
      source: "twitter",
      conversationKey: "c1",
      department: "service",
      priority: "P3",
      routingReason: "default",
      priorityReasons: [],
      openedAt: now,
      updatedAt: now,
    })
    .returning();
  if (!thread) throw new Error("no thread");
  return thread;
}

describe.each([
  ["PostgreSQL", createTestDatabase],
  ["PGlite", createPgliteDatabase],
])("migrations on %s", (_name, create) => {
  let handle: DatabaseHandle & { destroy?: () => Promise<void> };
  afterAll(async () => {
    await (handle.destroy ? handle.destroy() : handle.close());
  });

  it("create every table, and running them again changes nothing", async () => {
    handle = await create();
    expect(await tableNames(handle)).toEqual(TABLES);
    await migrateDatabase(handle);
    expect(await tableNames(handle)).toEqual(TABLES);
  });

  it("keep the event log append-only", async () => {
    const thread = await insertThread(handle);
    await handle.db.insert(threadEvents).values({
      threadId: thread.id,
      at: new Date(),
      actor: "system",
      kind: "opened",
      details: {},
    });
    // drizzle wraps the database error; the trigger's message is its cause.
    const refused = {
      cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }),
    };
    await expect(handle.db.update(threadEvents).set({ kind: "changed" })).rejects.toMatchObject(
      refused,
    );
    await expect(handle.db.delete(threadEvents)).rejects.toMatchObject(refused);
    const events = await handle.db.select().from(threadEvents);
    expect(events.map((e) => e.kind)).toEqual(["opened"]);
  });
});

describe("the embedded database", () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-pglite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a second opener of the same data dir with a clear error, and frees it on close", async () => {
    const first = await openDatabase({ dataDir: dir });
    const second = openDatabase({ dataDir: dir });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(/already in use by process \d+/);
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    await migrateDatabase(again);
    expect(await tableNames(again)).toContain("threads");
    await again.close();
  });

  it("takes over a lock left by a process that died", async () => {
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "switchboard.lock"), "999999999");
    const handle = await openDatabase({ dataDir: dir });
    await handle.close();
  });
});
