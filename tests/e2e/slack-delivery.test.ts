import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outbox, threads } from "../../src/db/schema.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const okPosts = (e: E2E) =>
  e.double.callsTo("chat.postMessage").filter((c) => c.response?.ok === true);
type Block = {
  type: string;
  text?: { text: string };
  elements?: Array<{ action_id?: string; value?: string; text?: { text: string } }>;
};

describe("delivery to Slack", () => {
  it("posts a card in the department's channel and stores where it went", async () => {
    e2e = await startE2E();
    const body = complaintBody({
      text: "Lost bag at LHR, nobody helps",
      url: "https://x.com/a/status/9",
    });
    const { json } = await e2e.request("/api/v1/complaints", { body });
    const [card] = await eventually(() => {
      const m = e2e.double.messages(CHANNELS.baggage);
      return m.length ? m : null;
    }, "the card");
    const blocks = card?.blocks as Block[];
    const shown = JSON.stringify(blocks);
    expect(shown).toContain("Lost bag at LHR, nobody helps");
    expect(shown).toContain("https://x.com/a/status/9");
    expect(shown).toContain("Baggage");
    expect(shown).toContain("lost bag"); // the routing reason
    const buttons = blocks
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.action_id?.startsWith("thread."));
    expect(buttons.map((b) => b.action_id)).toEqual([
      "thread.claim",
      "thread.handover",
      "thread.responded",
      "thread.resolve",
      "thread.dismiss",
      "thread.timeline",
    ]);
    await eventually(async () => {
      const [t] = await e2e.db.db.select().from(threads).where(eq(threads.id, json.threadId));
      return t?.slackTs === card?.ts && t?.slackChannel === CHANNELS.baggage;
    }, "the card's ts on the thread");
  });

  it("posts follow-ups of one conversation as replies in the card's Slack thread", async () => {
    e2e = await startE2E();
    await e2e.request("/api/v1/complaints", {
      body: complaintBody({ conversationId: "c-42", text: "first" }),
    });
    await e2e.request("/api/v1/complaints", {
      body: complaintBody({ conversationId: "c-42", text: "second" }),
    });
    await e2e.request("/api/v1/complaints", {
      body: complaintBody({ conversationId: "c-42", text: "third" }),
    });
    const messages = await eventually(() => {
      const m = e2e.double.messages(CHANNELS.service);
      return m.length === 3 ? m : null;
    }, "a card and two replies");
    const [card, ...replies] = messages;
    expect(card?.threadTs).toBeUndefined();
    expect(replies.map((r) => r.threadTs)).toEqual([card?.ts, card?.ts]);
    expect(replies.map((r) => r.text)).toEqual([
      expect.stringContaining("second"),
      expect.stringContaining("third"),
    ]);
  });

  it("posts one card when 20 copies of a post arrive at once", async () => {
    e2e = await startE2E();
    const body = complaintBody({ conversationId: "burst" });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => e2e.request("/api/v1/complaints", { body })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    expect(new Set(answers.map((a) => a.json.complaintId)).size).toBe(1);
    expect(answers.filter((a) => a.json.duplicate === false)).toHaveLength(1);
    await eventually(() => okPosts(e2e).length >= 1, "the card");
    await e2e.bot.worker.runOnce();
    expect(okPosts(e2e)).toHaveLength(1);
  });

  it("loses nothing in a Slack outage and posts everything once afterwards", async () => {
    e2e = await startE2E();
    e2e.double.setOutage(503);
    const sent = [];
    for (let i = 0; i < 5; i++) {
      sent.push(
        await e2e.request("/api/v1/complaints", { body: complaintBody({ text: `outage ${i}` }) }),
      );
    }
    expect(sent.every((s) => s.status === 202)).toBe(true);
    // A retry first looks for what an earlier try may have posted (conversations.history),
    // so the retries are calls to either method.
    await eventually(
      () => e2e.double.calls.filter((c) => c.status === 503).length >= 10,
      "retries during the outage",
    );
    expect(e2e.double.messages()).toHaveLength(0);
    const health = await e2e.request("/healthz");
    expect(health.json.slackDelivery).toMatchObject({ pending: 5, failed: 0 });
    e2e.double.setOutage(null);
    await eventually(() => e2e.double.messages().length === 5, "all five cards");
    await e2e.bot.worker.runOnce();
    const texts = e2e.double.messages().map((m) => m.text);
    for (let i = 0; i < 5; i++)
      expect(texts.filter((t) => t.includes(`outage ${i}`))).toHaveLength(1);
    expect(okPosts(e2e)).toHaveLength(5);
  });

  it("survives dropped connections the same way", async () => {
    e2e = await startE2E();
    e2e.double.setOutage("network");
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "network trouble" }) });
    await eventually(
      () => e2e.double.calls.filter((c) => c.method !== "auth.test" && c.status === 0).length >= 2,
      "retries",
    );
    e2e.double.setOutage(null);
    await eventually(() => e2e.double.messages().length === 1, "the card");
    expect(okPosts(e2e)).toHaveLength(1);
  });

  it("waits for Retry-After on 429 and then delivers", async () => {
    e2e = await startE2E();
    e2e.double.failNext("chat.postMessage", { retryAfter: 1 });
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "rate limited" }) });
    await eventually(() => e2e.double.messages().length === 1, "the card");
    const [limited, delivered] = e2e.double.callsTo("chat.postMessage");
    expect(limited?.status).toBe(429);
    expect(delivered?.response?.ok).toBe(true);
    // The double records when each call arrived: the retry came no sooner than Retry-After.
    expect((delivered?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    // The rate-limited try is given back: one attempt, delivered.
    const row = await eventually(async () => {
      const [r] = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "thread.post_card"));
      return r?.status === "delivered" ? r : null;
    }, "the item marked delivered");
    expect(row.attempts).toBe(1);
  });

  it("holds to Slack's per-channel rate limit under a burst and still posts each card once", async () => {
    e2e = await startE2E({
      double: { rateLimits: { postMessagePerChannel: { burst: 2, perSecond: 4 } } },
    });
    const bodies = Array.from({ length: 8 }, (_, i) => complaintBody({ text: `burst ${i}` }));
    for (const body of bodies) await e2e.request("/api/v1/complaints", { body });
    await eventually(() => e2e.double.messages().length === 8, "all eight cards", 20_000);
    expect(e2e.double.callsTo("chat.postMessage").some((c) => c.status === 429)).toBe(true);
    // After a 429 the channel's other claimed cards wait instead of each earning a 429.
    const posts = e2e.double.callsTo("chat.postMessage");
    posts.forEach((call, i) => {
      const next = posts[i + 1];
      // Retry-After is whole seconds, at least 1: nothing goes to the channel before it ends.
      if (call.status === 429 && next) expect(next.at - call.at).toBeGreaterThanOrEqual(1000);
    });
    expect(okPosts(e2e)).toHaveLength(8);
  });

  it("records a permanent error once, shows it in /healthz and does not retry", async () => {
    const workspace = testWorkspace();
    workspace.departments = workspace.departments.map((d) =>
      d.key === "pr" ? { ...d, channel: "C0GONE" } : d,
    );
    e2e = await startE2E({ workspace });
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "a journalist asks" }) });
    const [row] = await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return rows.length ? rows : null;
    }, "the failure");
    expect(row?.lastError).toBe("channel_not_found");
    const health = await e2e.request("/healthz");
    expect(health.status).toBe(200);
    expect(health.json.status).toBe("degraded");
    expect(health.json.slackDelivery).toMatchObject({ ok: false, failed: 1 });
    expect(health.json.slackDelivery.recentFailures[0]).toMatchObject({
      kind: "thread.post_card",
      error: "channel_not_found",
    });
    await e2e.bot.worker.runOnce();
    expect(e2e.double.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("sends each card once with two bot replicas on one database", async () => {
    e2e = await startE2E();
    const replica = await e2e.startReplica();
    const urls = [e2e.bot.url, replica.url];
    const bodies = Array.from({ length: 30 }, (_, i) =>
      complaintBody({ text: `replica test #${i}#`, conversationId: `r-${i % 10}` }),
    );
    await Promise.all(
      bodies.map((body, i) =>
        fetch(`${urls[i % 2]}/api/v1/complaints`, {
          method: "POST",
          headers: {
            authorization: "Bearer e2e-intake-token-0123456789abcdef",
            "content-type": "application/json",
          },
          body: JSON.stringify(body),
        }),
      ),
    );
    await eventually(() => e2e.double.messages().length === 30, "30 messages", 20_000);
    await Promise.all([e2e.bot.worker.runOnce(), replica.worker.runOnce()]);
    expect(okPosts(e2e)).toHaveLength(30);
    const cards = e2e.double.messages().filter((m) => !m.threadTs);
    expect(cards).toHaveLength(10);
    for (let i = 0; i < 30; i++) {
      expect(
        e2e.double.messages().filter((m) => m.text.includes(`replica test #${i}#`)),
      ).toHaveLength(1);
    }
  });
});
