import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { claimDueOutbox, markOutboxDelivered } from "../../src/db/outbox-store.ts";
import { complaints, outbox, threads } from "../../src/db/schema.ts";
import { createDeliveryHandlers } from "../../src/slack/deliveries.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const okPosts = (e: E2E) =>
  e.double.callsTo("chat.postMessage").filter((c) => c.response?.ok === true);

async function cardItem(e: E2E) {
  const [row] = await e.db.db.select().from(outbox).where(eq(outbox.kind, "thread.post_card"));
  return row;
}

/**
 * Makes recording a card's Slack ts fail inside PostgreSQL while a row is in test_faults:
 * a real database error after Slack accepted the message, with the database still up.
 */
async function failRecording(e: E2E, sqlState: string) {
  await e.db.db.execute(sql`CREATE TABLE test_faults (on_record boolean)`);
  await e.db.db.execute(sql`INSERT INTO test_faults VALUES (true)`);
  await e.db.db.execute(
    sql.raw(`CREATE FUNCTION refuse_slack_ts() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM test_faults) THEN
        RAISE EXCEPTION 'injected: cannot record the card' USING ERRCODE = '${sqlState}';
      END IF;
      RETURN NEW;
    END $$`),
  );
  await e.db.db.execute(sql`CREATE TRIGGER refuse_slack_ts BEFORE UPDATE OF slack_ts ON threads
    FOR EACH ROW EXECUTE FUNCTION refuse_slack_ts()`);
  return () => e.db.db.execute(sql`DELETE FROM test_faults`);
}

describe("a message Slack accepted is never sent again by a live process", () => {
  it("keeps the card while PostgreSQL is down and records it when it is back, with a replica waiting", async () => {
    let cutAfterFirstPost = true;
    e2e = await startE2E({
      proxyDatabase: true,
      databaseTimeouts: { connectMs: 1_000, statementMs: 1_500, responseMs: 2_000 },
      outbox: { leaseMs: 1_000 },
      onSlackAnswer: (method, answer) => {
        if (method !== "chat.postMessage" || !cutAfterFirstPost) return;
        if ((answer.body as { ok?: boolean }).ok !== true) return;
        // Slack has accepted the card; the bot has not heard so yet. Take the database away.
        cutAfterFirstPost = false;
        e2e.proxy?.cut();
      },
    });
    const proxy = e2e.proxy;
    if (!proxy) throw new Error("the harness gave no proxy");
    const replica = await e2e.startReplica();
    const res = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "posted while the database went away" }),
    });
    expect(res.status).toBe(202);
    await eventually(() => e2e.double.messages(CHANNELS.service).length === 1, "the card");
    const leased = await cardItem(e2e);
    const leaseEnd = leased?.lockedUntil?.getTime() ?? 0;
    // Keep PostgreSQL away until the item's lease has run out and the bots have kept
    // failing against it: the worst case, where another replica could take the item over.
    await eventually(
      () => Date.now() > leaseEnd + 200 && proxy.refused >= 3,
      "the lease to run out during the outage",
    );
    proxy.restore();
    const row = await eventually(async () => {
      const r = await cardItem(e2e);
      return r?.status === "delivered" ? r : null;
    }, "the card recorded as delivered");
    await Promise.all([e2e.bot.worker.runOnce(), replica.worker.runOnce()]);
    expect(okPosts(e2e)).toHaveLength(1);
    expect(e2e.double.messages(CHANNELS.service)).toHaveLength(1);
    const [thread] = await e2e.db.db
      .select()
      .from(threads)
      .where(eq(threads.id, res.json.threadId));
    expect(thread?.slackTs).toBe(e2e.double.messages(CHANNELS.service)[0]?.ts);
    expect(row.lastError).toBeNull();
  });

  it("extends its lease while it retries, so a replica does not take the item over", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    const leaseMs = 60_000;
    e2e = await startE2E({ clock, timers: false, outbox: { leaseMs, recoveryGraceMs: 0 } });
    const replica = await e2e.startReplica({ timers: false });
    await replica.worker.stop(); // it claims only when the test says so
    const clear = await failRecording(e2e, "40001"); // serialization_failure: retry it
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "record me later" }) });
    await eventually(() => e2e.double.messages(CHANNELS.service).length === 1, "the card");
    const first = await eventually(async () => (await cardItem(e2e))?.lockedUntil, "the lease");
    // Two leases later, the bot that sent the card still holds it: it extended the lease.
    const later = clock.advance(2 * leaseMs);
    await eventually(
      async () => ((await cardItem(e2e))?.lockedUntil?.getTime() ?? 0) > later.getTime(),
      "the lease extended past the new time",
    );
    expect(first.getTime()).toBeLessThan(later.getTime());
    expect(await replica.worker.runOnce()).toBe(0);
    await clear();
    await eventually(
      async () => (await cardItem(e2e))?.status === "delivered",
      "the card recorded once the error is gone",
    );
    expect(okPosts(e2e)).toHaveLength(1);
    const [thread] = await e2e.db.db.select().from(threads);
    expect(thread?.slackTs).toBe(e2e.double.messages(CHANNELS.service)[0]?.ts);
  });

  it("marks the item delivered without its ts when recording keeps failing for another reason", async () => {
    e2e = await startE2E({ outbox: { baseRecordBackoffMs: 5, maxRecordBackoffMs: 20 } });
    await failRecording(e2e, "P0001"); // a plain raise: retrying will not help
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "unrecordable" }) });
    const row = await eventually(async () => {
      const r = await cardItem(e2e);
      return r?.status === "delivered" ? r : null;
    }, "the card marked delivered");
    await e2e.bot.worker.runOnce();
    expect(okPosts(e2e)).toHaveLength(1);
    expect(row.lastError).toContain("recording its Slack ts failed");
  });
});

describe("a worker that dies after Slack accepted its message", () => {
  /**
   * Plays the dead worker: claims the head of the queue with a short lease and makes the
   * Slack call through the real delivery handler, but never records it, as a process
   * SIGKILLed in that instant would.
   */
  const handlersOf = (e: E2E) =>
    createDeliveryHandlers({
      db: e.db,
      client: e.bot.slack.client,
      config: testWorkspace(),
      clock: { now: () => new Date() },
    });
  const claimHead = async (e: E2E, workerId: string, kind: string) => {
    const [item] = await claimDueOutbox(e.db, {
      now: new Date(),
      workerId,
      leaseMs: 300,
      limit: 1,
      reclaimExpired: true,
    });
    if (item?.kind !== kind) throw new Error(`expected the ${kind} at the head, got ${item?.kind}`);
    return item;
  };

  /** Delivers the item at the head of the queue as a worker does, recording it. */
  async function deliverHead(e: E2E, kind: string) {
    const item = await claimHead(e, "worker-before", kind);
    await handlersOf(e)[kind]?.(item);
    await markOutboxDelivered(e.db.db, item.id, "worker-before", new Date());
  }

  async function dieAfterSending(e: E2E, kind: string) {
    const item = await claimHead(e, "worker-that-died", kind);
    await handlersOf(e)[kind]?.(item);
    await eventually(
      () => Date.now() > (item.lockedUntil?.getTime() ?? 0) + 50,
      "the lease to end",
    );
  }

  it("the worker that takes over finds the card in Slack and records it instead of posting again", async () => {
    e2e = await startE2E({ timers: false, outbox: { recoveryGraceMs: 0 } });
    await e2e.bot.worker.stop(); // the test says when the live worker runs
    const res = await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "crash" }) });
    await dieAfterSending(e2e, "thread.post_card");
    expect(e2e.double.messages(CHANNELS.service)).toHaveLength(1);
    await e2e.bot.worker.runOnce();
    const row = await cardItem(e2e);
    expect(row?.status).toBe("delivered");
    expect(okPosts(e2e)).toHaveLength(1);
    const [card] = e2e.double.messages(CHANNELS.service);
    const [thread] = await e2e.db.db
      .select()
      .from(threads)
      .where(eq(threads.id, res.json.threadId));
    expect(thread?.slackTs).toBe(card?.ts);
    expect(e2e.double.callsTo("conversations.history")).toHaveLength(1);
  });

  it("finds a follow-up's reply in the card's thread the same way", async () => {
    e2e = await startE2E({ timers: false, outbox: { recoveryGraceMs: 0 } });
    const first = complaintBody({ conversationId: "crash-thread", text: "first" });
    await e2e.request("/api/v1/complaints", { body: first });
    await eventually(async () => (await cardItem(e2e))?.status === "delivered", "the card");
    await e2e.bot.worker.stop();
    const second = complaintBody({ conversationId: "crash-thread", text: "second" });
    const res = await e2e.request("/api/v1/complaints", { body: second });
    // The card's redraw (the customer wrote again) is queued ahead of the reply.
    await deliverHead(e2e, "thread.update_card");
    await dieAfterSending(e2e, "thread.post_reply");
    await e2e.bot.worker.runOnce();
    const replies = e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs);
    expect(replies).toHaveLength(1);
    const [complaint] = await e2e.db.db
      .select()
      .from(complaints)
      .where(eq(complaints.id, res.json.complaintId));
    expect(complaint?.slackTs).toBe(replies[0]?.ts);
    expect(e2e.double.callsTo("conversations.replies")).toHaveLength(1);
  });
});
