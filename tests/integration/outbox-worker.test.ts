import { WebClient } from "@slack/web-api";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { enqueueOutbox } from "../../src/db/outbox-store.ts";
import { channelHolds, type OutboxRow, outbox } from "../../src/db/schema.ts";
import type { Logger } from "../../src/logger.ts";
import { type DeliveryHandler, OutboxWorker } from "../../src/slack/outbox-worker.ts";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";
import { quietLogger } from "../helpers/quiet-logger.ts";
import { startTcpProxy } from "../helpers/tcp-proxy.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";

/*
 * The outbox worker on a real PostgreSQL, calling the Slack double through the real
 * @slack/web-api client: what Slack showed, in which channel, how many times, and what the
 * outbox row says afterwards. Its handler posts `payload.text` and records the message's ts in
 * a table of the test's own, in the transaction that marks the item delivered.
 */

const TOKEN = "xoxb-outbox-worker";
const T0 = "2026-12-01T10:00:00.000Z";
const SECOND = 1_000;

let db: TestDatabase;
let double: SlackDouble;
let clock: FakeClock;
let slack: WebClient;
const workers: OutboxWorker[] = [];
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  db = await createTestDatabase();
  await db.db.execute(sql`CREATE TABLE recorded_ts (item_id bigint, ts text)`);
});
afterAll(() => db.destroy());

beforeEach(async () => {
  clock = new FakeClock(T0);
  await db.db.delete(outbox);
  await db.db.delete(channelHolds);
  await db.db.execute(sql`DELETE FROM recorded_ts`);
  double = await startSlackDouble({
    botToken: TOKEN,
    now: () => clock.now().getTime(),
    channels: [
      { id: "C1", name: "support" },
      { id: "C2", name: "refunds" },
      { id: "C3", name: "press" },
    ],
  });
  slack = new WebClient(TOKEN, {
    slackApiUrl: double.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietLogger,
  });
});
afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await double.stop();
});

const post: DeliveryHandler = async (item) => {
  const answer = await slack.chat.postMessage({
    channel: item.channel ?? "",
    text: String(item.payload.text),
  });
  return async (tx) => {
    await tx.execute(sql`INSERT INTO recorded_ts VALUES (${item.id}, ${answer.ts ?? ""})`);
  };
};

function worker(
  options: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {},
  handlers: Record<string, DeliveryHandler> = { "test.post": post },
) {
  const w = new OutboxWorker({ db, handlers, clock, logger: silent, ...options });
  workers.push(w);
  return w;
}

const queue = (channel: string, text: string, extra: { kind?: string } = {}) =>
  enqueueOutbox(
    db.db,
    { kind: extra.kind ?? "test.post", channel, payload: { text } },
    clock.now(),
  );
const rows = async (): Promise<OutboxRow[]> => db.db.select().from(outbox).orderBy(outbox.id);
const row = async (text: string) => (await rows()).find((r) => r.payload.text === text);
const shown = (channel: string) => double.messages(channel).map((m) => m.text);
const recorded = async () =>
  (await db.db.execute(
    sql`SELECT item_id, ts FROM recorded_ts ORDER BY item_id`,
  )) as unknown as Array<{
    item_id: string;
    ts: string;
  }>;

describe("the outbox worker", () => {
  it("delivers each due item once, to its channel, and records Slack's ts with it", async () => {
    await queue("C1", "first for support");
    await queue("C2", "first for refunds");
    const w = worker();
    expect(await w.runOnce()).toBe(2);
    expect(shown("C1")).toEqual(["first for support"]);
    expect(shown("C2")).toEqual(["first for refunds"]);
    const [a, b] = await rows();
    for (const r of [a, b]) {
      expect(r).toMatchObject({
        status: "delivered",
        attempts: 1,
        lockedUntil: null,
        lastError: null,
        deliveredAt: new Date(T0),
      });
    }
    const ts = double.messages("C1")[0]?.ts;
    expect((await recorded()).map((r) => [Number(r.item_id), r.ts])).toEqual([
      [a?.id, ts],
      [b?.id, double.messages("C2")[0]?.ts],
    ]);
    clock.advance(HOUR);
    expect(await w.runOnce()).toBe(0);
    expect(double.messages()).toHaveLength(2);
  });

  it("serves at most batchSize queues a round", async () => {
    await queue("C1", "one");
    await queue("C2", "two");
    await queue("C3", "three");
    const w = worker({ batchSize: 2 });
    expect(await w.runOnce()).toBe(2);
    expect(await w.runOnce()).toBe(1);
    expect(double.messages()).toHaveLength(3);
  });

  it("after a 429 holds the whole channel until Retry-After, gives the attempt back, and serves other channels", async () => {
    await queue("C1", "held");
    await queue("C1", "behind it");
    double.failNext("chat.postMessage", { status: 429, retryAfter: 30 });
    const w = worker();
    expect(await w.runOnce()).toBe(1);
    expect(await row("held")).toMatchObject({
      status: "pending",
      attempts: 0,
      lockedUntil: null,
      lastError: "ratelimited",
      nextAttemptAt: new Date(Date.parse(T0) + 30 * SECOND),
    });
    const [hold] = await db.db.select().from(channelHolds).where(eq(channelHolds.channel, "C1"));
    expect(hold?.until).toEqual(new Date(Date.parse(T0) + 30 * SECOND));
    await queue("C2", "elsewhere");
    expect(await w.runOnce()).toBe(1);
    expect(shown("C2")).toEqual(["elsewhere"]);
    clock.advance(30 * SECOND - 1);
    expect(await w.runOnce()).toBe(0);
    expect(shown("C1")).toEqual([]);
    clock.advance(1);
    expect(await w.runOnce()).toBe(1);
    // Slack refused C1 lately, so the worker now paces it: the next post a second later.
    expect(await w.runOnce()).toBe(0);
    expect(shown("C1")).toEqual(["held"]);
    clock.advance(SECOND);
    expect(await w.runOnce()).toBe(1);
    expect(shown("C1")).toEqual(["held", "behind it"]);
    expect(await row("held")).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("retries a Slack outage with a doubling, jittered backoff up to its cap", async () => {
    await queue("C1", "during the outage");
    double.setOutage(503);
    const w = worker({ baseBackoffMs: 10 * SECOND, maxBackoffMs: 15 * SECOND });
    // attempt 1: 10 s; attempt 2: 20 s, capped at 15 s; each between half and all of it.
    for (const [attempt, delay] of [
      [1, 10 * SECOND],
      [2, 15 * SECOND],
    ] as const) {
      const before = clock.now().getTime();
      expect(await w.runOnce()).toBe(1);
      const r = await row("during the outage");
      expect(r).toMatchObject({ status: "pending", attempts: attempt, lastError: "http_503" });
      const wait = (r?.nextAttemptAt.getTime() ?? 0) - before;
      expect(wait).toBeGreaterThanOrEqual(delay / 2);
      expect(wait).toBeLessThanOrEqual(delay);
      clock.advance(delay / 2 - 1);
      expect(await w.runOnce()).toBe(0);
      clock.advance(delay / 2 + 1);
    }
    double.setOutage(null);
    expect(await w.runOnce()).toBe(1);
    expect(shown("C1")).toEqual(["during the outage"]);
  });

  it("gives up on an item that has failed for exactly 24 hours, not a millisecond before", async () => {
    await queue("C1", "never");
    double.setOutage(503);
    const w = worker({ baseBackoffMs: 1, maxBackoffMs: 1 });
    expect(await w.runOnce()).toBe(1);
    clock.advance(24 * HOUR - 1);
    expect(await w.runOnce()).toBe(1);
    expect(await row("never")).toMatchObject({ status: "pending", attempts: 2 });
    clock.advance(1);
    expect(await w.runOnce()).toBe(1);
    expect(await row("never")).toMatchObject({
      status: "failed",
      attempts: 3,
      lockedUntil: null,
      lastError: "gave up after 3 attempts: http_503",
    });
    double.setOutage(null);
    clock.advance(HOUR);
    expect(await w.runOnce()).toBe(0);
    expect(double.messages()).toHaveLength(0);
  });

  it("fails at once what Slack will never accept, and an item nobody can deliver", async () => {
    await queue("C1", "refused");
    await queue("C2", "no handler", { kind: "test.unknown" });
    double.failNext("chat.postMessage", { error: "channel_not_found" });
    const w = worker();
    expect(await w.runOnce()).toBe(2);
    expect(await row("refused")).toMatchObject({
      status: "failed",
      attempts: 1,
      lockedUntil: null,
      lastError: "channel_not_found",
    });
    expect(await row("no handler")).toMatchObject({
      status: "failed",
      lastError: "no delivery handler for kind test.unknown",
    });
    clock.advance(HOUR);
    expect(await w.runOnce()).toBe(0);
    expect(double.messages()).toHaveLength(0);
  });

  it("tells onFailedForGood of a failure once, in its transaction, and a hook that throws changes nothing", async () => {
    await queue("C1", "refused");
    await queue("C2", "also refused");
    double.failNext("chat.postMessage", { error: "channel_not_found" }, 2);
    const told: string[] = [];
    const w = worker({
      onFailedForGood: async (tx, item) => {
        // What the hook writes commits with the failure...
        await tx.execute(sql`INSERT INTO recorded_ts VALUES (${item.id}, 'told')`);
        told.push(String(item.payload.text));
        // ...unless it throws: then only its own writes are undone, never the failure.
        if (item.payload.text === "also refused") throw new Error("the Homes are unreachable");
      },
    });
    expect(await w.runOnce()).toBe(2);
    expect(told.sort()).toEqual(["also refused", "refused"]);
    expect((await rows()).map((r) => [r.payload.text, r.status, r.attempts])).toEqual([
      ["refused", "failed", 1],
      ["also refused", "failed", 1],
    ]);
    expect((await recorded()).map((r) => r.ts)).toEqual(["told"]);
    clock.advance(HOUR);
    expect(await w.runOnce()).toBe(0);
    expect(told).toHaveLength(2);
    expect(double.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("keeps retrying a record that fails, holding the lease, then marks it delivered without it", async () => {
    await queue("C1", "sent once");
    const seen: Array<{ lockedUntil: Date | null; lastError: string | null }> = [];
    let tries = 0;
    const flaky: DeliveryHandler = async (item) => {
      await post(item);
      return async (tx) => {
        tries += 1;
        // What other workers see meanwhile (this transaction has not committed).
        const [now] = await db.db.select().from(outbox).where(eq(outbox.id, item.id));
        seen.push({ lockedUntil: now?.lockedUntil ?? null, lastError: now?.lastError ?? null });
        await tx.execute(sql`SELECT 1`);
        throw new Error("violates a constraint");
      };
    };
    const w = worker(
      { leaseMs: 60 * SECOND, recordAttempts: 2, baseRecordBackoffMs: 1, maxRecordBackoffMs: 1 },
      { "test.post": flaky },
    );
    expect(await w.runOnce()).toBe(1);
    expect(shown("C1")).toEqual(["sent once"]);
    // Two refusals, then the third try records the delivery alone.
    expect(tries).toBe(2);
    expect(seen[1]).toEqual({
      lockedUntil: new Date(Date.parse(T0) + 60 * SECOND),
      lastError: "sent; recording it: violates a constraint",
    });
    expect(await row("sent once")).toMatchObject({
      status: "delivered",
      lockedUntil: null,
      lastError: "delivered; recording its Slack ts failed",
    });
    expect(await recorded()).toEqual([]);
    clock.advance(HOUR);
    expect(await w.runOnce()).toBe(0);
    expect(shown("C1")).toEqual(["sent once"]);
  });

  it("records nothing when another worker took the item over while Slack was called", async () => {
    await queue("C1", "taken over");
    const slow: DeliveryHandler = async (item) => {
      const record = await post(item);
      // Meanwhile this worker's lease ran out and another took the item.
      await db.db.update(outbox).set({ lockedBy: "worker-other" }).where(eq(outbox.id, item.id));
      return record;
    };
    const w = worker({}, { "test.post": slow });
    expect(await w.runOnce()).toBe(1);
    expect(await row("taken over")).toMatchObject({ status: "pending", lockedBy: "worker-other" });
    expect(await recorded()).toEqual([]);
  });

  it("takes over an expired lease only once the database has answered it for the grace period", async () => {
    await queue("C1", "orphan");
    const dead = worker({ leaseMs: 60 * SECOND });
    // A worker claims the item and dies before calling Slack: its handler never returns.
    const claimedBy = await db.db
      .update(outbox)
      .set({ lockedBy: dead.id, lockedUntil: new Date(Date.parse(T0) + 60 * SECOND), attempts: 1 })
      .returning();
    expect(claimedBy).toHaveLength(1);
    clock.advance(MINUTE);
    const w = worker({ recoveryGraceMs: 10 * SECOND });
    expect(await w.runOnce()).toBe(0); // first answer from the database: the grace starts now
    clock.advance(10 * SECOND - 1);
    expect(await w.runOnce()).toBe(0);
    clock.advance(1);
    expect(await w.runOnce()).toBe(1);
    expect(shown("C1")).toEqual(["orphan"]);
    expect(await row("orphan")).toMatchObject({ status: "delivered", attempts: 2, lockedBy: w.id });
  });

  it("delivers at once when kicked, without waiting for the next poll", async () => {
    const w = worker({ pollMs: 10 * MINUTE });
    w.start();
    // Nothing is queued yet: the loop looks once and goes to sleep for ten minutes.
    expect(await w.runOnce()).toBe(0);
    await queue("C1", "kicked");
    // Kicked until it shows: a kick that lands while the loop is busy has nothing to wake.
    await eventually(() => {
      w.kick();
      return shown("C1").length > 0;
    }, "the kicked item in Slack");
    expect(shown("C1")).toEqual(["kicked"]);
    await w.stop();
    expect(await row("kicked")).toMatchObject({ status: "delivered", attempts: 1 });
  });
});

describe("the outbox worker, further", () => {
  /** A logger that keeps what was logged, for the outcomes only logs tell apart. */
  const capture = () => {
    const events: Array<[string, string]> = [];
    const keep = (level: string) => (event: string) => {
      events.push([level, event]);
    };
    const logger: Logger = {
      debug: keep("debug"),
      info: keep("info"),
      warn: keep("warn"),
      error: keep("error"),
    };
    return { logger, errors: () => events.filter(([l]) => l === "error").map(([, e]) => e) };
  };
  const failingRecord =
    (failures: number, error: () => Error, calls: { n: number } = { n: 0 }): DeliveryHandler =>
    async (item) => {
      const record = await post(item);
      return async (tx) => {
        calls.n += 1;
        if (calls.n <= failures) throw error();
        await record?.(tx);
      };
    };

  it("names each worker distinctly, since the lease is keyed by it", () => {
    const a = worker();
    const b = worker();
    expect(a.id).toMatch(/^worker-[0-9a-f]{8}$/);
    expect(b.id).toMatch(/^worker-[0-9a-f]{8}$/);
    expect(a.id).not.toBe(b.id);
  });

  it("marks delivered an item whose handler has nothing to record", async () => {
    await queue("C1", "nothing to record");
    const w = worker(
      { baseRecordBackoffMs: 1, maxRecordBackoffMs: 1 },
      {
        "test.post": async (item) => {
          await post(item);
          return undefined;
        },
      },
    );
    expect(await w.runOnce()).toBe(1);
    expect(await row("nothing to record")).toMatchObject({ status: "delivered", lastError: null });
  });

  it("logs an error when it records a delivery without its details, and none otherwise", async () => {
    const { logger, errors } = capture();
    await queue("C1", "recorded");
    await queue("C2", "not recorded");
    const ok = worker({ logger });
    expect(await ok.runOnce()).toBe(2);
    expect(errors()).toEqual([]);
    await db.db.delete(outbox);
    await queue("C1", "fails");
    const flaky = worker(
      { logger, recordAttempts: 1, baseRecordBackoffMs: 1, maxRecordBackoffMs: 1 },
      { "test.post": failingRecord(5, () => new Error("constraint")) },
    );
    expect(await flaky.runOnce()).toBe(1);
    expect(errors()).toEqual(["outbox.recorded_without_details"]);
  });

  it("takes a delivery an earlier try of its own recorded as recorded, not as a lost lease", async () => {
    const { logger, errors } = capture();
    await queue("C1", "answer lost");
    let recordCalls = 0;
    const w = worker(
      { logger },
      {
        "test.post": async (item) => {
          await post(item);
          // As if an earlier try had committed and its answer was lost with the connection.
          await db.db.update(outbox).set({ status: "delivered" }).where(eq(outbox.id, item.id));
          return async () => {
            recordCalls += 1;
          };
        },
      },
    );
    expect(await w.runOnce()).toBe(1);
    expect(errors()).toEqual([]);
    expect(recordCalls).toBe(0);
    expect(shown("C1")).toEqual(["answer lost"]);
    // Someone else's delivery is a lost lease, and says so.
    await queue("C2", "someone else's");
    const other = worker(
      { logger },
      {
        "test.post": async (item) => {
          await post(item);
          await db.db
            .update(outbox)
            .set({ status: "delivered", lockedBy: "worker-other" })
            .where(eq(outbox.id, item.id));
          return undefined;
        },
      },
    );
    expect(await other.runOnce()).toBe(1);
    expect(errors()).toEqual(["outbox.lease_lost"]);
  });

  it("lets go of an item that was deleted while Slack was called", async () => {
    const { logger, errors } = capture();
    await queue("C1", "deleted meanwhile");
    const w = worker(
      { logger },
      {
        "test.post": async (item) => {
          await post(item);
          await db.db.delete(outbox).where(eq(outbox.id, item.id));
          return undefined;
        },
      },
    );
    expect(await w.runOnce()).toBe(1);
    expect(errors()).toEqual(["outbox.lease_lost"]);
    expect(await rows()).toEqual([]);
    expect(shown("C1")).toEqual(["deleted meanwhile"]);
  });

  it("never gives up recording while the database is unavailable, only on refusals", async () => {
    await queue("C1", "database away");
    const unavailable = () =>
      Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
    const calls = { n: 0 };
    const w = worker(
      { recordAttempts: 2, baseRecordBackoffMs: 1, maxRecordBackoffMs: 1 },
      { "test.post": failingRecord(4, unavailable, calls) },
    );
    expect(await w.runOnce()).toBe(1);
    expect(calls.n).toBe(5);
    expect(await row("database away")).toMatchObject({ status: "delivered", lastError: null });
    expect((await recorded()).map((r) => r.ts)).toEqual([double.messages("C1")[0]?.ts]);
  });

  it("keeps the first 500 characters of why recording failed", async () => {
    await queue("C1", "long reason");
    const seen: Array<string | null> = [];
    const w = worker(
      { recordAttempts: 3, baseRecordBackoffMs: 1, maxRecordBackoffMs: 1 },
      {
        "test.post": async (item) => {
          await post(item);
          return async () => {
            const [now] = await db.db.select().from(outbox).where(eq(outbox.id, item.id));
            seen.push(now?.lastError ?? null);
            throw new Error("x".repeat(600));
          };
        },
      },
    );
    await w.runOnce();
    expect(seen[1]).toBe(`sent; recording it: ${"x".repeat(480)}`);
  });

  it("reschedules a rate-limited item that has no channel without holding any channel", async () => {
    await enqueueOutbox(
      db.db,
      { kind: "test.dm", channel: null, payload: { text: "no channel", to: "C1" } },
      clock.now(),
    );
    double.failNext("chat.postMessage", { status: 429, retryAfter: 5 });
    const w = worker(
      {},
      {
        "test.dm": async (item) => {
          await slack.chat.postMessage({ channel: String(item.payload.to), text: "no channel" });
          return undefined;
        },
      },
    );
    expect(await w.runOnce()).toBe(1);
    expect(await row("no channel")).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: new Date(Date.parse(T0) + 5 * SECOND),
    });
    expect(await db.db.select().from(channelHolds)).toEqual([]);
  });

  it("fails the round when it cannot settle an item, so the loop logs it and tries again", async () => {
    await queue("C1", "cannot hold");
    double.failNext("chat.postMessage", { status: 429, retryAfter: 5 });
    // The database refuses the hold (a trigger stands in for, say, a full disk).
    await db.db.execute(sql`CREATE FUNCTION refuse_hold() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'hold refused'; END $$`);
    await db.db.execute(sql`CREATE TRIGGER refuse_hold BEFORE INSERT ON channel_holds
      FOR EACH ROW EXECUTE FUNCTION refuse_hold()`);
    try {
      await expect(worker().runOnce()).rejects.toThrow(/insert into "channel_holds"/);
    } finally {
      await db.db.execute(sql`DROP TRIGGER refuse_hold ON channel_holds`);
      await db.db.execute(sql`DROP FUNCTION refuse_hold()`);
    }
    // Nothing was settled: the item is still leased to the worker, and waits for its lease.
    expect(await row("cannot hold")).toMatchObject({ status: "pending", attempts: 1 });
  });

  it("backs off 1×, 2×, 4× the base delay, capped, times a jitter between a half and one", async () => {
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5); // jitter: three quarters
    try {
      await queue("C1", "backoff");
      double.setOutage(503);
      const w = worker({ baseBackoffMs: 10 * SECOND, maxBackoffMs: 30 * SECOND });
      for (const delay of [10 * SECOND, 20 * SECOND, 30 * SECOND]) {
        const before = clock.now().getTime();
        expect(await w.runOnce()).toBe(1);
        const r = await row("backoff");
        expect((r?.nextAttemptAt.getTime() ?? 0) - before).toBe(0.75 * delay);
        clock.advance(0.75 * delay);
      }
    } finally {
      random.mockRestore();
    }
  });

  it("when stopped while a record keeps failing, tries it once more and leaves the item leased", async () => {
    await queue("C1", "stopping");
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const firstTry = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let calls = 0;
    const w = worker(
      { recordAttempts: 3, baseRecordBackoffMs: 1, maxRecordBackoffMs: 1, pollMs: 10 * MINUTE },
      {
        "test.post": async (item) => {
          await post(item);
          return async () => {
            calls += 1;
            if (calls === 1) {
              entered();
              await gate;
            }
            throw new Error("constraint");
          };
        },
      },
    );
    w.start();
    await firstTry;
    const stopped = w.stop();
    release();
    await stopped;
    expect(calls).toBe(2);
    expect(await row("stopping")).toMatchObject({
      status: "pending",
      lockedBy: w.id,
      lastError: "sent; recording it: constraint",
    });
    expect(shown("C1")).toEqual(["stopping"]);
  });

  it("after stop(), runOnce still retries a failing record until it lands", async () => {
    const w = worker(
      { recordAttempts: 5, baseRecordBackoffMs: 1, maxRecordBackoffMs: 1 },
      { "test.post": failingRecord(2, () => new Error("constraint")) },
    );
    w.start();
    await w.stop();
    await queue("C1", "after stop");
    expect(await w.runOnce()).toBe(1);
    expect(await row("after stop")).toMatchObject({ status: "delivered", lastError: null });
    expect(await recorded()).toHaveLength(1);
  });

  it("drains a burst larger than a batch without waiting for the next poll", async () => {
    await queue("C1", "one");
    await queue("C2", "two");
    await queue("C3", "three");
    const w = worker({ batchSize: 1, pollMs: 10 * MINUTE });
    w.start();
    await eventually(() => double.messages().length === 3, "all three delivered");
    await w.stop();
  });

  it("serves items whose hold has passed in the order they were queued", async () => {
    await queue("C1", "queued first");
    await enqueueOutbox(
      db.db,
      {
        kind: "test.post",
        channel: "C2",
        payload: { text: "held until an hour ago" },
        notBefore: new Date(Date.parse(T0) - HOUR),
      },
      clock.now(),
    );
    const w = worker({ batchSize: 1 });
    expect(await w.runOnce()).toBe(1);
    expect(shown("C1")).toEqual(["queued first"]);
    expect(await row("held until an hour ago")).toMatchObject({ nextAttemptAt: new Date(T0) });
  });

  it("gives back, after a failed round, what it holds but is not delivering, and nothing else", async () => {
    // The worker reaches PostgreSQL through a proxy the test cuts; its claim then fails, and
    // may have committed all the same (the answer lost on the way back).
    const proxy = await startTcpProxy(db.url);
    const viaProxy = await openDatabase({
      url: proxy.via(db.url),
      dataDir: "unused",
      maxConnections: 2,
    });
    try {
      await queue("C1", "lost in the claim");
      await queue("C2", "another worker's");
      const w = worker({ db: viaProxy, leaseMs: 60 * SECOND });
      proxy.cut();
      await expect(w.runOnce()).rejects.toThrow();
      proxy.restore();
      // What a claim whose answer was lost leaves behind: leased to this worker, one attempt counted.
      const leaseEnds = new Date(Date.parse(T0) + 60 * SECOND);
      await db.db
        .update(outbox)
        .set({ lockedBy: w.id, lockedUntil: leaseEnds, attempts: 1 })
        .where(eq(outbox.channel, "C1"));
      await db.db
        .update(outbox)
        .set({ lockedBy: "worker-other", lockedUntil: leaseEnds, attempts: 1 })
        .where(eq(outbox.channel, "C2"));
      // Within the lease, with no clock moved: only the release lets the item go out now.
      expect(await w.runOnce()).toBe(1);
      expect(shown("C1")).toEqual(["lost in the claim"]);
      expect(await row("lost in the claim")).toMatchObject({ status: "delivered", attempts: 1 });
      expect(await row("another worker's")).toMatchObject({
        status: "pending",
        lockedBy: "worker-other",
      });
      expect(shown("C2")).toEqual([]);
    } finally {
      await viaProxy.close(0);
      await proxy.close();
    }
  });
});
