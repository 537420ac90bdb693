import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimDueOutbox, enqueueOutbox, markOutboxDelivered } from "../../src/db/outbox-store.ts";
import { outbox } from "../../src/db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());
beforeEach(async () => {
  await db.db.delete(outbox);
});

const T = new Date("2026-12-01T10:00:00.000Z");
const at = (ms: number) => new Date(T.getTime() + ms);
const claim = (workerId: string, now: Date) =>
  claimDueOutbox(db, { now, workerId, leaseMs: 60_000, limit: 20, reclaimExpired: false });
const item = (text: string) => ({ kind: "test.post", channel: "C1", payload: { text } });

describe("claiming from the outbox", () => {
  it("serves a channel by id even when a later item became due first", async () => {
    // Two replicas queue at nearly the same time: the first row takes the later timestamp.
    await enqueueOutbox(db.db, item("first"), at(10));
    await enqueueOutbox(db.db, item("second"), at(0));
    expect(await claim("w1", at(5))).toEqual([]);
    const [first] = await claim("w1", at(10));
    expect(first?.payload).toEqual({ text: "first" });
    expect(await claim("w2", at(20))).toEqual([]); // the first is in flight
    await markOutboxDelivered(db.db, first?.id ?? 0, "w1", at(20));
    const [second] = await claim("w2", at(20));
    expect(second?.payload).toEqual({ text: "second" });
  });

  it("gives each item to one of several workers claiming at once, one per channel", async () => {
    for (let i = 0; i < 30; i += 1)
      await enqueueOutbox(
        db.db,
        { kind: "test.post", channel: `C${i % 3}`, payload: { i } },
        at(0),
      );
    const claims = await Promise.all(["a", "b", "c", "d"].map((w) => claim(w, at(1))));
    const ids = claims.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      claims
        .flat()
        .map((r) => r.channel)
        .sort(),
    ).toEqual(["C0", "C1", "C2"]);
  });
});
