import { WebClient } from "@slack/web-api";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { claimDueOutbox } from "../../src/db/outbox-store.ts";
import { complaints, outbox, threads } from "../../src/db/schema.ts";
import { buildDismissModal } from "../../src/slack/views/dismiss-modal.ts";
import { DISMISS_INPUTS } from "../../src/slack/views/ids.ts";
import { type E2E, eventually, INTAKE_TOKEN, startE2E } from "../helpers/e2e-harness.ts";
import type { TcpProxy } from "../helpers/tcp-proxy.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

/**
 * A request that must complete within a generous bound: the assertion is that an answer
 * (503, Retry-After) comes at all instead of a hang, not how fast the machine is.
 */
async function within(ms: number, path: string, body?: unknown) {
  const res = await fetch(`${e2e.bot.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${INTAKE_TOKEN}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(ms),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever JSON shape the endpoint answers
  const json: any = await res.json();
  return { status: res.status, retryAfter: res.headers.get("retry-after"), json };
}

async function startBehindProxy(): Promise<TcpProxy> {
  e2e = await startE2E({
    proxyDatabase: true,
    timers: false,
    databaseTimeouts: { connectMs: 1_000, statementMs: 2_000, responseMs: 3_000 },
  });
  if (!e2e.proxy) throw new Error("the harness gave no proxy");
  return e2e.proxy;
}

const storedWith = async (externalId: string) =>
  e2e.db.db.select().from(complaints).where(eq(complaints.externalId, externalId));

describe.each([
  ["stopped", (p: TcpProxy) => p.cut()],
  ["frozen", (p: TcpProxy) => p.freeze()],
])("PostgreSQL %s", (_state, fail) => {
  it("intake answers 503 with Retry-After, /healthz says down, and both recover", async () => {
    const proxy = await startBehindProxy();
    expect((await within(10_000, "/healthz")).json.status).toBe("ok");
    fail(proxy);
    const health = await within(4_000, "/healthz");
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ status: "down", database: { ok: false } });
    const body = complaintBody({ text: "filed during a database fault" });
    const refused = await within(15_000, "/api/v1/complaints", body);
    expect(refused.status).toBe(503);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.json.error.code).toBe("database_unavailable");
    const batch = await within(15_000, "/api/v1/complaints/batch", {
      complaints: [complaintBody(), complaintBody()],
    });
    expect(batch.status).toBe(503);
    expect(batch.retryAfter).not.toBeNull();
    proxy.restore();
    await eventually(
      async () => (await within(4_000, "/healthz")).status === 200,
      "/healthz to say the database is back",
    );
    // The sender retries as told: the complaint is filed once, whatever the first try did.
    const retried = await eventually(async () => {
      const res = await within(10_000, "/api/v1/complaints", body);
      return res.status === 202 ? res : null;
    }, "the retry to be accepted");
    expect(retried.json.complaintId).toEqual(expect.any(String));
    expect(await storedWith(body.externalId)).toHaveLength(1);
  });
});

describe("a claim whose answer the database lost", () => {
  it("is given back by the worker once the database answers again, not left leased for a minute", async () => {
    const proxy = await startBehindProxy();
    await e2e.bot.worker.stop(); // the test says when the worker runs
    await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "claimed in the dark" }),
    });
    // The worker's claim committed, but the database failed before it heard so: the item is
    // leased to it for the full lease while it knows nothing of it.
    const [lost] = await claimDueOutbox(e2e.db, {
      now: new Date(),
      workerId: e2e.bot.worker.id,
      leaseMs: 60_000,
      limit: 1,
      reclaimExpired: false,
    });
    expect(lost?.kind).toBe("thread.post_card");
    proxy.cut();
    await expect(e2e.bot.worker.runOnce()).rejects.toThrow();
    proxy.restore();
    await eventually(async () => {
      await e2e.bot.worker.runOnce().catch(() => 0);
      return e2e.double.messages(CHANNELS.service).length === 1;
    }, "the card, long before the lease ends");
    const [row] = await e2e.db.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, lost?.id ?? 0));
    expect(row).toMatchObject({ status: "delivered", attempts: 1 });
  });
});

describe("a form submitted while PostgreSQL is down", () => {
  it("says in the form that nothing was changed, and nothing was", async () => {
    const proxy = await startBehindProxy();
    const filed = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "my bag is lost" }),
    });
    const threadId = String(filed.json.threadId);
    const slack = new WebClient(e2e.double.config.botToken, { slackApiUrl: e2e.double.apiUrl });
    const opened = await slack.views.open({
      trigger_id: e2e.double.issueTriggerId(PEOPLE.lead),
      view: buildDismissModal({ metadata: { threadId }, excerpt: "my bag is lost" }),
    });
    proxy.cut();
    const submitted = await e2e.driver.submitView({
      viewId: String(opened.view?.id),
      userId: PEOPLE.lead,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    });
    proxy.restore();
    // Slack's own "We had some trouble connecting" would leave the person guessing.
    expect(submitted.outcome.action).toBe("errors");
    expect(submitted.outcome.errors?.[DISMISS_INPUTS.reason.blockId]).toContain(
      "nothing was changed",
    );
    expect(e2e.double.view(String(opened.view?.id))?.isOpen).toBe(true);
    const [thread] = await e2e.db.db.select().from(threads).where(eq(threads.id, threadId));
    expect(thread?.state).not.toBe("dismissed");
  });
});
