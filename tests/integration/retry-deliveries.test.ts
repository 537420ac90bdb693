import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueOutbox } from "../../src/db/outbox-store.ts";
import { homeTabs, outbox } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { retryDeliveries } from "../../src/services/retry-deliveries.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

/** An admin puts failed deliveries back in the queue: who may, what moves, what they are told. */
let db: TestDatabase;
let ctx: ServiceContext;
const clock = new FakeClock("2026-12-01T10:00:00Z");
const config = testWorkspace();

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { db, clock, logger: silentLogger, actor: { type: "slack", userId: PEOPLE.admin } };
});
afterAll(() => db.destroy());
beforeEach(async () => {
  await db.db.delete(outbox);
  await db.db.delete(homeTabs);
});

/** Queues a card post that Slack then refused for good, a day ago. */
async function failed(channel: string) {
  const queuedAt = new Date(clock.now().getTime() - 24 * HOUR);
  await enqueueOutbox(db.db, { kind: "thread.post_card", channel, payload: {} }, queuedAt);
  const [row] = await db.db
    .update(outbox)
    .set({ status: "failed", attempts: 40, lastError: "not_in_channel" })
    .where(eq(outbox.channel, channel))
    .returning();
  if (!row) throw new Error("nothing queued");
  return row.id;
}
const rowOf = async (id: number) => (await db.db.select().from(outbox).where(eq(outbox.id, id)))[0];

describe("retrying deliveries", () => {
  it("puts one failed delivery back, due now with fresh attempts, and refreshes the admin's Home", async () => {
    const id = await failed("C1");
    const other = await failed("C2");
    await db.db
      .insert(homeTabs)
      .values({ userId: PEOPLE.admin, departments: [], openedAt: clock.now() });
    expect(await retryDeliveries(ctx, config, { user: PEOPLE.admin, target: String(id) })).toEqual({
      ok: true,
      retried: 1,
    });
    expect(await rowOf(id)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: clock.now(),
    });
    expect((await rowOf(other))?.status).toBe("failed");
    const publishes = await db.db.select().from(outbox).where(eq(outbox.kind, "home.publish"));
    expect(publishes.map((p) => p.payload)).toEqual([{ user: PEOPLE.admin }]);
  });

  it("puts every failed delivery back with all-failed, and says 0 when none failed", async () => {
    await failed("C1");
    await failed("C2");
    expect(
      await retryDeliveries(ctx, config, { user: PEOPLE.admin, target: "all-failed" }),
    ).toEqual({
      ok: true,
      retried: 2,
    });
    expect(
      await retryDeliveries(ctx, config, { user: PEOPLE.admin, target: "all-failed" }),
    ).toEqual({
      ok: true,
      retried: 0,
    });
    // No Home opened: nothing to refresh.
    expect(await db.db.select().from(outbox).where(eq(outbox.kind, "home.publish"))).toEqual([]);
  });

  it("says why nothing moved: no such delivery, or one that has not failed", async () => {
    const id = await failed("C1");
    await db.db.update(outbox).set({ status: "delivered" }).where(eq(outbox.id, id));
    expect(await retryDeliveries(ctx, config, { user: PEOPLE.admin, target: id })).toEqual({
      ok: false,
      reason: `Delivery #${id} has not failed (it is delivered), so there is nothing to retry.`,
    });
    expect(await retryDeliveries(ctx, config, { user: PEOPLE.admin, target: id + 1000 })).toEqual({
      ok: false,
      reason: `There is no delivery #${id + 1000}; \`/switchboard status\` lists the failed ones with their ids.`,
    });
  });

  it("asks which delivery when the target is neither an id nor all-failed", async () => {
    for (const target of [undefined, "", "all", "-3", "1.5"]) {
      const outcome = await retryDeliveries(ctx, config, { user: PEOPLE.admin, target });
      expect(outcome.ok).toBe(false);
      expect(!outcome.ok && outcome.reason).toContain("Say which delivery to retry");
    }
  });

  it("is for admins only, and moves nothing for anyone else", async () => {
    const id = await failed("C1");
    const outcome = await retryDeliveries(ctx, config, {
      user: PEOPLE.alice,
      target: "all-failed",
    });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.reason).toContain("Only Switchboard admins can retry deliveries");
    expect((await rowOf(id))?.status).toBe("failed");
  });
});
