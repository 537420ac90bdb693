import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { decodeClocks } from "../../src/db/clock-codec.ts";
import { complaints, homeTabs, outbox, threadEvents, threads } from "../../src/db/schema.ts";
import { ValidationError } from "../../src/domain/errors.ts";
import { silentLogger } from "../../src/logger.ts";
import { type ServiceContext, systemClock } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import {
  CHANNELS,
  complaintBody,
  PEOPLE,
  TEST_WORKSPACE_YAML,
  testWorkspace,
} from "../helpers/workspace-fixture.ts";

let db: TestDatabase;
let ctx: ServiceContext;
const policy = testWorkspace();

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = {
    db,
    clock: systemClock,
    logger: silentLogger,
    actor: { type: "intake", token: "token#1" },
  };
});
afterAll(() => db.destroy());

describe("ingestComplaint", () => {
  it("routes, prioritises, records the opening and queues the card in one go", async () => {
    const body = complaintBody({
      text: "You lost bag number two and I was injured by the carousel",
    });
    const result = await ingestComplaint(ctx, policy, body);
    expect(result).toMatchObject({ department: "baggage", priority: "P1", duplicate: false });
    const [thread] = await db.db.select().from(threads).where(eq(threads.id, result.threadId));
    expect(thread?.routingRule).toBe("bags");
    expect(thread?.routingReason).toContain("lost bag");
    expect(thread?.priorityReasons.join(" ")).toContain("injured");
    const events = await db.db
      .select()
      .from(threadEvents)
      .where(eq(threadEvents.threadId, result.threadId));
    expect(events.map((e) => [e.kind, e.actor])).toEqual([["thread.opened", "intake:token#1"]]);
    const queued = await db.db.select().from(outbox).where(eq(outbox.threadId, result.threadId));
    expect(queued.map((q) => q.kind)).toEqual(["thread.post_card"]);
  });

  it("answers 20 simultaneous copies of one post with the same ids, filing it once", async () => {
    const body = complaintBody({ externalId: "same-post", conversationId: "conv-dup" });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => ingestComplaint(ctx, policy, body)),
    );
    const ids = new Set(results.map((r) => `${r.complaintId}/${r.threadId}`));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const rows = await db.db
      .select()
      .from(complaints)
      .where(eq(complaints.externalId, "same-post"));
    expect(rows).toHaveLength(1);
    const queued = await db.db
      .select()
      .from(outbox)
      .where(eq(outbox.threadId, results[0]?.threadId ?? ""));
    expect(queued).toHaveLength(1);
  });

  it("files follow-ups of one conversation in its thread and queues them as replies", async () => {
    const first = await ingestComplaint(ctx, policy, complaintBody({ conversationId: "conv-7" }));
    const replies = await Promise.all(
      [1, 2, 3].map((n) =>
        ingestComplaint(
          ctx,
          policy,
          complaintBody({ conversationId: "conv-7", text: `update ${n}` }),
        ),
      ),
    );
    expect(new Set(replies.map((r) => r.threadId))).toEqual(new Set([first.threadId]));
    const queued = await db.db
      .select()
      .from(outbox)
      .where(eq(outbox.threadId, first.threadId))
      .orderBy(outbox.id);
    expect(queued.map((q) => q.kind).filter((k) => k.startsWith("thread.post"))).toEqual([
      "thread.post_card",
      "thread.post_reply",
      "thread.post_reply",
      "thread.post_reply",
    ]);
  });

  it("answers a resent follow-up with its first ids and leaves the thread as it was", async () => {
    const first = await ingestComplaint(ctx, policy, complaintBody({ conversationId: "conv-8" }));
    const followUp = complaintBody({ conversationId: "conv-8", text: "the seat is unsafe" });
    const filed = await ingestComplaint(ctx, policy, followUp);
    const threadBefore = await db.db.select().from(threads).where(eq(threads.id, first.threadId));
    const eventsBefore = await db.db
      .select()
      .from(threadEvents)
      .where(eq(threadEvents.threadId, first.threadId));

    const again = await ingestComplaint(ctx, policy, followUp);

    expect(again).toEqual({ ...filed, duplicate: true });
    expect(await db.db.select().from(threads).where(eq(threads.id, first.threadId))).toEqual(
      threadBefore,
    );
    expect(
      await db.db.select().from(threadEvents).where(eq(threadEvents.threadId, first.threadId)),
    ).toEqual(eventsBefore);
    const replies = await db.db.select().from(outbox).where(eq(outbox.threadId, first.threadId));
    expect(replies.filter((q) => q.kind === "thread.post_reply")).toHaveLength(1);
  });

  it("names each priority reason once when a follow-up by the same author raises it", async () => {
    // "refund" sets P3 and reach raises one step: P2, then P1 once the customer says "lawyer".
    const raising = parseWorkspaceConfig(
      TEST_WORKSPACE_YAML.replace(
        "    - name: reach\n",
        "    - name: money\n      set: P3\n      match: { phrases: [refund] }\n    - name: lawyers\n      set: P2\n      match: { phrases: [lawyer] }\n    - name: reach\n",
      ),
      "raising.yaml",
    );
    const author = { handle: "bigvoice", name: "Big Voice", followers: 250_000, verified: false };
    const body = (text: string) => complaintBody({ conversationId: "conv-reach", author, text });
    const first = await ingestComplaint(ctx, raising, body("where is my refund"));
    expect(first.priority).toBe("P2");
    const worse = await ingestComplaint(ctx, raising, body("my lawyer will hear about the refund"));
    expect(worse.priority).toBe("P1");
    const [thread] = await db.db.select().from(threads).where(eq(threads.id, first.threadId));
    const reasons = thread?.priorityReasons ?? [];
    expect(reasons.filter((r) => r.includes('rule "reach"'))).toHaveLength(1);
    expect(reasons.some((r) => r.includes('rule "lawyers"'))).toBe(true);
  });

  it("raises a thread's priority when a follow-up warrants it, never lowers it", async () => {
    const first = await ingestComplaint(ctx, policy, complaintBody({ conversationId: "conv-9" }));
    expect(first.priority).toBe("P3");
    const worse = await ingestComplaint(
      ctx,
      policy,
      complaintBody({ conversationId: "conv-9", text: "the seat is unsafe" }),
    );
    expect(worse.priority).toBe("P1");
    const calmer = await ingestComplaint(
      ctx,
      policy,
      complaintBody({ conversationId: "conv-9", text: "ok thanks" }),
    );
    expect(calmer.priority).toBe("P1");
    const kinds = (
      await db.db.select().from(outbox).where(eq(outbox.threadId, first.threadId))
    ).map((q) => q.kind);
    expect(kinds).toContain("thread.update_card");
    // The log and the thread say why, once for the raise; each follow-up names its complaint.
    const events = await db.db
      .select()
      .from(threadEvents)
      .where(eq(threadEvents.threadId, first.threadId))
      .orderBy(threadEvents.id);
    expect(
      events.filter((e) => e.kind !== "thread.customer_replied").map((e) => [e.kind, e.details]),
    ).toEqual([
      ["thread.opened", expect.objectContaining({ priority: "P3" })],
      ["thread.follow_up", { complaintId: worse.complaintId }],
      [
        "thread.priority_raised",
        {
          from: "P3",
          to: "P1",
          reasons: [expect.stringContaining("unsafe")],
          complaintId: worse.complaintId,
        },
      ],
      ["thread.follow_up", { complaintId: calmer.complaintId }],
    ]);
    const [thread] = await db.db.select().from(threads).where(eq(threads.id, first.threadId));
    expect(thread?.priorityReasons).toEqual([expect.stringContaining("unsafe")]);
    // P1's windows now: claim 5 minutes (it was P3's hour).
    const claim = decodeClocks(thread?.clocks ?? []).find((c) => c.kind === "claim");
    expect(claim?.budgetMs).toBe(5 * 60_000);
    const replies = await db.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.threadId, first.threadId), eq(outbox.kind, "thread.post_reply")));
    expect(replies.map((r) => r.payload)).toEqual([
      { complaintId: worse.complaintId },
      { complaintId: calmer.complaintId },
    ]);
  });

  it("rejects bad input naming every bad field, and writes nothing", async () => {
    const before = (await db.db.select().from(complaints)).length;
    const bad = complaintBody({
      source: "",
      text: "",
      author: { handle: "x", followers: -5 },
      postedAt: "yesterday",
    });
    const error = await ingestComplaint(ctx, policy, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["source", "text", "author.followers", "postedAt"]),
    );
    expect((await db.db.select().from(complaints)).length).toBe(before);
  });
});

describe("conversations", () => {
  it("joins a reply to the thread of the post its conversationId names", async () => {
    const root = await ingestComplaint(ctx, policy, complaintBody({ externalId: "root-post" }));
    const reply = await ingestComplaint(
      ctx,
      policy,
      complaintBody({ conversationId: "root-post" }),
    );
    expect(reply.threadId).toBe(root.threadId);
  });

  it("keeps conversations of different sources apart", async () => {
    const a = await ingestComplaint(
      ctx,
      policy,
      complaintBody({ source: "twitter", conversationId: "same-id" }),
    );
    const b = await ingestComplaint(
      ctx,
      policy,
      complaintBody({ source: "facebook", conversationId: "same-id" }),
    );
    expect(a.threadId).not.toBe(b.threadId);
  });
});

describe("the opening complaint", () => {
  it("stays the card's complaint even when a follow-up carries an earlier time", async () => {
    const { loadThreadView } = await import("../../src/db/thread-queries.ts");
    const at = (iso: string) => ({ ...ctx, clock: { now: () => new Date(iso) } });
    // The follow-up waited on the opener's lock, so its clock reading came first.
    const opener = await ingestComplaint(
      at("2026-11-24T10:00:05Z"),
      policy,
      complaintBody({ conversationId: "order", text: "opener" }),
    );
    await ingestComplaint(
      at("2026-11-24T10:00:00Z"),
      policy,
      complaintBody({ conversationId: "order", text: "follow-up" }),
    );
    const view = await loadThreadView(db.db, opener.threadId);
    expect(view?.first.text).toBe("opener");
    expect(view?.followUps).toBe(1);
  });
});

describe("what a new complaint and its follow-ups queue", () => {
  it("posts a follow-up as a reply in its department's channel, not the first department's", async () => {
    const bag = complaintBody({ conversationId: "bag-conv", text: "lost bag at the carousel" });
    const first = await ingestComplaint(ctx, policy, bag);
    expect(first.department).toBe("baggage"); // the second department in the file
    await ingestComplaint(
      ctx,
      policy,
      complaintBody({ conversationId: "bag-conv", text: "still nothing" }),
    );
    const queued = await db.db
      .select({ kind: outbox.kind, channel: outbox.channel })
      .from(outbox)
      .where(eq(outbox.threadId, first.threadId))
      .orderBy(outbox.id);
    expect(queued.filter((q) => q.kind.startsWith("thread.post"))).toEqual([
      { kind: "thread.post_card", channel: CHANNELS.baggage },
      { kind: "thread.post_reply", channel: CHANNELS.baggage },
    ]);
  });

  it("refreshes the App Home of people in the complaint's department only", async () => {
    await db.db.delete(homeTabs);
    const openedAt = new Date();
    await db.db.insert(homeTabs).values([
      { userId: PEOPLE.alice, departments: ["baggage"], openedAt },
      { userId: PEOPLE.outsider, departments: ["pr"], openedAt },
    ]);
    await ingestComplaint(ctx, policy, complaintBody({ text: "damaged luggage, again" }));
    const publishes = await db.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.kind, "home.publish"), eq(outbox.status, "pending")));
    expect(publishes.map((p) => p.payload)).toEqual([{ user: PEOPLE.alice }]);
    await db.db.delete(outbox).where(eq(outbox.kind, "home.publish"));
  });

  it("passes on a database error as it is, never taking it for a resend", async () => {
    await db.db.execute(sql`ALTER TABLE thread_events RENAME TO thread_events_away`);
    try {
      const failed = ingestComplaint(ctx, policy, complaintBody({ text: "no event log today" }));
      await expect(failed).rejects.toThrow(/thread_events/);
    } finally {
      await db.db.execute(sql`ALTER TABLE thread_events_away RENAME TO thread_events`);
    }
  });
});
