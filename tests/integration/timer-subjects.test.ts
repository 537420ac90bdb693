import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timers } from "../../src/db/schema.ts";
import { addTimer, lockDueTimers, markTimersFired, syncTimers } from "../../src/db/timer-store.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import type { TimerSubjectFactory } from "../../src/services/timer-subjects.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

let db: TestDatabase;
const clock = new FakeClock("2026-11-24T10:00:00Z");
const ctx = (): ServiceContext => ({ db, clock, logger: silentLogger, actor: { type: "system" } });
const config = testWorkspace();
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

/** A subject type with no row of its own: it records what fired, once per key. */
function probe(firedKeys: string[]): Record<string, TimerSubjectFactory> {
  return {
    probe: () => ({
      async fire(tx, subjectId, now) {
        const due = await lockDueTimers(tx, { type: "probe", id: subjectId }, now, {
          skipLocked: true,
        });
        for (const t of due) firedKeys.push(`${subjectId}/${t.key}`);
        await markTimersFired(
          tx,
          due.map((t) => t.id),
          now,
        );
        return due.length;
      },
    }),
  };
}

describe("timers of any subject", () => {
  it("fire once each, with four sweeps racing, and only once due", async () => {
    for (const id of ["a", "b", "c"]) {
      await addTimer(
        db.db,
        { type: "probe", id },
        {
          key: "k1",
          step: "remind",
          target: "x",
          fireAt: at("2026-11-24T10:05:00Z"),
        },
      );
      await addTimer(
        db.db,
        { type: "probe", id },
        {
          key: "k2",
          step: "remind",
          target: "x",
          fireAt: at("2026-11-24T11:00:00Z"),
        },
      );
    }
    const fired: string[] = [];
    const subjects = probe(fired);
    clock.set("2026-11-24T10:04:59Z");
    expect((await sweepTimers(ctx(), config, { subjects })).fired).toBe(0);
    clock.set("2026-11-24T10:05:00Z");
    await Promise.all([1, 2, 3, 4].map(() => sweepTimers(ctx(), config, { subjects })));
    expect(fired.sort()).toEqual(["a/k1", "b/k1", "c/k1"]);
    clock.set("2026-11-24T12:00:00Z");
    await Promise.all([1, 2].map(() => sweepTimers(ctx(), config, { subjects })));
    expect(fired.sort()).toEqual(["a/k1", "a/k2", "b/k1", "b/k2", "c/k1", "c/k2"]);
  });

  it("leaves a type no handler is registered for pending (a newer replica's)", async () => {
    await addTimer(
      db.db,
      { type: "future", id: "z" },
      {
        key: "k",
        step: "s",
        target: "t",
        fireAt: at("2026-11-24T09:00:00Z"),
      },
    );
    clock.set("2026-11-24T12:00:00Z");
    const result = await sweepTimers(ctx(), config, { subjects: probe([]) });
    expect(result.fired).toBe(0);
    const [row] = await db.db.select().from(timers).where(eq(timers.subjectType, "future"));
    expect(row?.status).toBe("pending");
  });

  it("sync keeps a fired key fired, cancels what is no longer planned, and moves the rest", async () => {
    const subject = { type: "probe", id: "s" };
    const step = (key: string, fireAt: string) => ({
      key,
      step: "remind",
      target: "x",
      fireAt: at(fireAt),
    });
    await syncTimers(db.db, subject, [
      step("one", "2026-11-24T10:00:00Z"),
      step("two", "2026-11-24T11:00:00Z"),
      step("three", "2026-11-24T12:00:00Z"),
    ]);
    await db.db.update(timers).set({ status: "fired" }).where(eq(timers.key, "one"));
    await syncTimers(db.db, subject, [
      step("one", "2026-11-25T10:00:00Z"),
      step("three", "2026-11-25T12:00:00Z"),
    ]);
    const rows = await db.db.select().from(timers).where(eq(timers.subjectId, "s"));
    const byKey = Object.fromEntries(rows.map((r) => [r.key, [r.status, r.fireAt.toISOString()]]));
    expect(byKey).toEqual({
      one: ["fired", "2026-11-24T10:00:00.000Z"],
      two: ["cancelled", "2026-11-24T11:00:00.000Z"],
      three: ["pending", "2026-11-25T12:00:00.000Z"],
    });
  });
});
