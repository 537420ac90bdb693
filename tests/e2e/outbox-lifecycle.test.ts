import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { claimDueOutbox } from "../../src/db/outbox-store.ts";
import { outbox } from "../../src/db/schema.ts";
import { type E2E, type E2EOptions, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const LEASE_MS = 60_000;

/** The bot on a fake clock, its worker run by hand so each step is exact. */
async function start(clock: FakeClock, options: E2EOptions = {}) {
  e2e = await startE2E({ clock, timers: false, outbox: { leaseMs: LEASE_MS }, ...options });
  await e2e.bot.worker.stop();
  return e2e;
}

async function cardItem() {
  const [row] = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "thread.post_card"));
  return row;
}

const okPosts = () => e2e.double.callsTo("chat.postMessage").filter((c) => c.response?.ok === true);

describe("the outbox over time", () => {
  it("gives up on an item Slack has refused for 24 hours, and shows it in /healthz", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    await start(clock);
    e2e.double.setOutage(503);
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "never arrives" }) });
    expect(await e2e.bot.worker.runOnce()).toBe(1);
    clock.advance(23 * HOUR);
    expect(await e2e.bot.worker.runOnce()).toBe(1); // still retried at 23 hours
    expect((await cardItem())?.status).toBe("pending");
    clock.advance(HOUR + MINUTE);
    expect(await e2e.bot.worker.runOnce()).toBe(1);
    const row = await cardItem();
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    expect(row?.lastError).toBe("gave up after 3 attempts: http_503");
    clock.advance(HOUR);
    e2e.double.setOutage(null);
    expect(await e2e.bot.worker.runOnce()).toBe(0); // never tried again
    const health = await e2e.request("/healthz");
    expect(health.status).toBe(200);
    expect(health.json.status).toBe("degraded");
    expect(health.json.slackDelivery.recentFailures[0]).toMatchObject({
      kind: "thread.post_card",
      error: "gave up after 3 attempts: http_503",
    });
    expect(e2e.double.messages()).toHaveLength(0);
  });

  it("says degraded when the oldest waiting item is more than five minutes old", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    await start(clock);
    e2e.double.setOutage(503);
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "waiting" }) });
    await e2e.bot.worker.runOnce();
    clock.advance(4 * MINUTE);
    expect((await e2e.request("/healthz")).json).toMatchObject({
      status: "ok",
      slackDelivery: { ok: true, pending: 1, oldestPendingAgeSeconds: 240 },
    });
    clock.advance(2 * MINUTE);
    const health = await e2e.request("/healthz");
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({
      status: "degraded",
      slackDelivery: { ok: false, pending: 1, failed: 0, oldestPendingAgeSeconds: 360 },
    });
  });

  it("lets another worker take an item over once the lease of a worker that died runs out", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    await start(clock);
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "orphaned" }) });
    // A worker claims the card, then its process dies before calling Slack.
    const [claimed] = await claimDueOutbox(e2e.db, {
      now: clock.now(),
      workerId: "worker-that-died",
      leaseMs: LEASE_MS,
      limit: 10,
      reclaimExpired: false,
    });
    expect(claimed?.kind).toBe("thread.post_card");
    expect(await e2e.bot.worker.runOnce()).toBe(0); // still leased
    clock.advance(LEASE_MS - 1_000);
    expect(await e2e.bot.worker.runOnce()).toBe(0);
    clock.advance(2_000);
    expect(await e2e.bot.worker.runOnce()).toBe(1);
    expect(e2e.double.messages(CHANNELS.service)).toHaveLength(1);
    expect(await cardItem()).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("after an outage, leaves expired leases alone for a grace period: their worker may be recording them", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    await start(clock, {
      proxyDatabase: true,
      outbox: { leaseMs: LEASE_MS, recoveryGraceMs: 10_000 },
    });
    const proxy = e2e.proxy;
    if (!proxy) throw new Error("the harness gave no proxy");
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "in flight" }) });
    await claimDueOutbox(e2e.db, {
      now: clock.now(),
      workerId: "worker-recording-it",
      leaseMs: LEASE_MS,
      limit: 10,
      reclaimExpired: false,
    });
    clock.advance(LEASE_MS + 1_000);
    proxy.cut();
    await expect(e2e.bot.worker.runOnce()).rejects.toThrow();
    proxy.restore();
    await eventually(async () => {
      try {
        return (await e2e.bot.worker.runOnce()) === 0;
      } catch {
        return false; // the pool is still reconnecting
      }
    }, "a claim that succeeds and takes nothing");
    clock.advance(9_000);
    expect(await e2e.bot.worker.runOnce()).toBe(0);
    clock.advance(2_000);
    expect(await e2e.bot.worker.runOnce()).toBe(1);
    expect(okPosts()).toHaveLength(1);
  });
});
