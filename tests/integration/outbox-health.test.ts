import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueOutbox, readOutboxHealth } from "../../src/db/outbox-store.ts";
import { outbox } from "../../src/db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

const MINUTE = 60_000;

describe("outbox health", () => {
  it("does not count a DM held until working hours as waiting, until it is due", async () => {
    const now = new Date();
    const morning = new Date(now.getTime() + 8 * 60 * MINUTE);
    await enqueueOutbox(
      db.db,
      { kind: "thread.nudge", channel: "U1", payload: {}, notBefore: morning },
      now,
    );
    const tonight = await readOutboxHealth(db.db, new Date(now.getTime() + 10 * MINUTE));
    expect(tonight).toMatchObject({ pending: 1, oldestPendingAt: null });
    const nextDay = await readOutboxHealth(db.db, new Date(morning.getTime() + 10 * MINUTE));
    expect(nextDay.oldestPendingAt?.getTime()).toBe(morning.getTime());
  });

  it("counts an item Slack keeps refusing from when it was queued", async () => {
    await db.db.delete(outbox);
    const queued = new Date();
    await enqueueOutbox(db.db, { kind: "thread.post_card", channel: "C1", payload: {} }, queued);
    // A failed try moved the next attempt into the future; it has still been waiting since it was queued.
    await db.db
      .update(outbox)
      .set({ attempts: 3, nextAttemptAt: new Date(queued.getTime() + 5 * MINUTE) });
    const health = await readOutboxHealth(db.db, new Date(queued.getTime() + 2 * MINUTE));
    expect(Math.abs((health.oldestPendingAt?.getTime() ?? 0) - queued.getTime())).toBeLessThan(
      5_000,
    );
  });
});
