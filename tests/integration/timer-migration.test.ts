import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { MIGRATIONS_FOLDER, migrateDatabase } from "../../src/db/migrate.ts";
import { timers } from "../../src/db/schema.ts";
import { createTestDatabase } from "../helpers/test-database.ts";

/** A copy of the migrations folder that stops before `tag`. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "sb-migrations-"));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const stop = journal.entries.findIndex((e) => e.tag === tag);
  if (stop < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, stop);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe.each([
  ["PostgreSQL", () => createTestDatabase({ migrate: false })],
  ["PGlite", () => openDatabase({ dataDir: "memory://" })],
])("thread_timers becoming timers on %s", (_name, create) => {
  let handle: DatabaseHandle & { destroy?: () => Promise<void> };
  const earlier = migrationsBefore("0005_generic_timers");
  afterAll(async () => {
    rmSync(earlier, { recursive: true, force: true });
    await (handle.destroy ? handle.destroy() : handle.close());
  });

  it("keeps every pending and fired timer, as the thread's", async () => {
    handle = await create();
    await migrateDatabase(handle, earlier);
    const [thread] = await handle.query<{ id: string }>(sql`
      INSERT INTO threads (source, conversation_key, department, priority, routing_reason,
        priority_reasons, opened_at, updated_at)
      VALUES ('twitter', 'c1', 'service', 'P3', 'default', '[]', now(), now()) RETURNING id`);
    await handle.query(sql`
      INSERT INTO thread_timers (thread_id, key, clock_kind, step, target, fire_at, status)
      VALUES (${thread?.id}, 'claim@x:warn:0.5', 'claim', 'warning', 'thread', now(), 'fired'),
             (${thread?.id}, 'claim@x:breach', 'claim', 'breach', 'leads', now(), 'pending')`);
    await migrateDatabase(handle);
    const rows = await handle.db.select().from(timers).orderBy(timers.id);
    expect(rows.map((r) => [r.subjectType, r.subjectId, r.key, r.clockKind, r.status])).toEqual([
      ["thread", thread?.id, "claim@x:warn:0.5", "claim", "fired"],
      ["thread", thread?.id, "claim@x:breach", "claim", "pending"],
    ]);
    // New rows continue the old ids, and the key is unique per subject.
    await handle.query(sql`
      INSERT INTO timers (subject_type, subject_id, key, step, target, fire_at)
      VALUES ('campaign', ${thread?.id}, 'claim@x:breach', 'reminder', 'service', now())`);
    const after = await handle.db.select().from(timers).orderBy(timers.id);
    expect(after.map((r) => r.id)).toEqual([1, 2, 3]);
    await expect(
      handle.query(sql`
        INSERT INTO timers (subject_type, subject_id, key, step, target, fire_at)
        VALUES ('thread', ${thread?.id}, 'claim@x:breach', 'breach', 'leads', now())`),
    ).rejects.toThrow();
    // Fifteen migrations on PGlite (WebAssembly) took over 30 s on two busy cores.
  }, 120_000);
});
