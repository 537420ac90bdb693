import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeClocks } from "../../src/db/clock-codec.ts";
import { loadRollup } from "../../src/db/rollup-store.ts";
import { outbox, threadEvents, threads, timers as threadTimers } from "../../src/db/schema.ts";
import type { ActorFacts } from "../../src/domain/permissions.ts";
import { silentLogger } from "../../src/logger.ts";
import { changeKind } from "../../src/services/change-kind.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { rollupGroups } from "../../src/services/kind-profiles.ts";
import { listMyThreads } from "../../src/services/list-my-threads.ts";
import { readFigures } from "../../src/services/read-figures.ts";
import { sendKindRollup } from "../../src/services/send-kind-rollup.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import { trainRouter } from "../../src/services/train-router.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { KIND_CHANNELS, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { SERVICE_MEMBER } from "../helpers/rollup-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let db: TestDatabase;
let ctx: ServiceContext;
let clock: FakeClock;
const config = kindsWorkspace();

const MEMBER = SERVICE_MEMBER;
const OUTSIDER: ActorFacts = {
  userId: PEOPLE.outsider,
  isAdmin: false,
  leads: [],
  memberOf: ["pr"],
};

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new FakeClock("2026-11-24T10:00:00Z");
  ctx = { db, clock, logger: silentLogger, actor: { type: "intake", token: "t" } };
});
afterAll(() => db.destroy());

const thread = async (id: string) =>
  (await db.db.select().from(threads).where(eq(threads.id, id)))[0];
const clockKinds = async (id: string) =>
  decodeClocks((await thread(id))?.clocks ?? []).map((c) => c.kind);
const pendingTimerClocks = async (id: string) =>
  [
    ...new Set(
      (
        await db.db
          .select()
          .from(threadTimers)
          .where(and(eq(threadTimers.subjectId, id), eq(threadTimers.status, "pending")))
      ).map((t) => t.clockKind),
    ),
  ].sort();
const queued = async (id: string) =>
  (await db.db.select().from(outbox).where(eq(outbox.threadId, id)).orderBy(asc(outbox.id))).map(
    (o) => [o.kind, o.channel],
  );
const file = (text: string, extra: Record<string, unknown> = {}) =>
  ingestComplaint(ctx, config, complaintBody({ text, ...extra }));

describe("kinds and their SLA profiles", () => {
  it("files praise with no clocks and no nudges, and queues a note for #kudos instead of a card", async () => {
    const result = await file("thank you Priya at Gatwick, you made our day");
    expect(result.kind).toBe("praise");
    expect(await clockKinds(result.threadId)).toEqual([]);
    expect(await pendingTimerClocks(result.threadId)).toEqual([]);
    expect(await queued(result.threadId)).toEqual([["thread.post_card", KIND_CHANNELS.kudos]]);
    expect((await thread(result.threadId))?.kindReason).toBe('rule "thanks": phrase "thank you"');
  });

  it("gives a question claim and first-response clocks, and no resolution clock even when reopened", async () => {
    const result = await file("what time does check-in open at Gatwick?");
    expect(result.kind).toBe("question");
    expect(await clockKinds(result.threadId)).toEqual(["claim", "firstResponse"]);
    expect(await pendingTimerClocks(result.threadId)).toEqual(["claim", "firstResponse"]);
    expect(await queued(result.threadId)).toEqual([["thread.post_card", CHANNELS.service]]);
    const admin: ActorFacts = { userId: PEOPLE.admin, isAdmin: true, leads: [], memberOf: [] };
    for (const action of [{ type: "resolve" }, { type: "reopen" }] as const) {
      expect(
        (await transitionThread(ctx, config, { threadId: result.threadId, action, actor: admin }))
          .ok,
      ).toBe(true);
    }
    const after = decodeClocks((await thread(result.threadId))?.clocks ?? []);
    expect(after.filter((c) => c.runningSince !== null).map((c) => c.kind)).toEqual(["claim"]);
    expect(after.map((c) => c.kind)).not.toContain("resolution");
  });

  it("stores chatter and posts nothing until the roll-up", async () => {
    const result = await file("RT @SkylineAir: new route to Madeira");
    expect(result.kind).toBe("other");
    expect(await clockKinds(result.threadId)).toEqual([]);
    expect(await queued(result.threadId)).toEqual([]);
  });

  it("replans the clocks when someone changes the kind, and records it in the timeline", async () => {
    const { threadId } = await file("thanks, lovely crew");
    clock.advance(HOUR);
    const up = await changeKind(ctx, config, { threadId, kind: "complaint", actor: MEMBER });
    expect(up).toMatchObject({ ok: true, from: "praise" });
    expect(await clockKinds(threadId)).toEqual(["claim", "firstResponse", "resolution"]);
    expect(await pendingTimerClocks(threadId)).toEqual(["claim", "firstResponse", "resolution"]);
    // Clocks start when it reaches the desk, not when the customer wrote.
    const started = decodeClocks((await thread(threadId))?.clocks ?? []).map((c) =>
      c.startedAt.toISOString(),
    );
    expect(new Set(started)).toEqual(new Set(["2026-11-24T11:00:00.000Z"]));
    expect((await queued(threadId)).at(-1)).toEqual(["thread.post_card", CHANNELS.service]);

    const down = await changeKind(ctx, config, { threadId, kind: "question", actor: MEMBER });
    expect(down.ok).toBe(true);
    expect(await pendingTimerClocks(threadId)).toEqual(["claim", "firstResponse"]);
    const cancelled = await db.db
      .select()
      .from(threadTimers)
      .where(and(eq(threadTimers.subjectId, threadId), eq(threadTimers.clockKind, "resolution")));
    expect(cancelled.every((t) => t.status === "cancelled")).toBe(true);

    const events = await db.db
      .select()
      .from(threadEvents)
      .where(and(eq(threadEvents.threadId, threadId), eq(threadEvents.kind, "thread.kind_changed")))
      .orderBy(asc(threadEvents.id));
    expect(events.map((e) => [e.actor, e.details.from, e.details.to])).toEqual([
      ["intake:t", "praise", "complaint"],
      ["intake:t", "complaint", "question"],
    ]);
    expect((await thread(threadId))?.kindReason).toBe(`changed by <@${PEOPLE.alice}>`);
  });

  it("lets anyone put a post on the desk, but only its department take one off", async () => {
    const praise = await file("thank you so much");
    expect(
      (
        await changeKind(ctx, config, {
          threadId: praise.threadId,
          kind: "complaint",
          actor: OUTSIDER,
        })
      ).ok,
    ).toBe(true);
    const refused = await changeKind(ctx, config, {
      threadId: praise.threadId,
      kind: "praise",
      actor: OUTSIDER,
    });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? "" : refused.reason).toContain("Only members of Customer Service");
    expect((await thread(praise.threadId))?.kind).toBe("complaint");
    const same = await changeKind(ctx, config, {
      threadId: praise.threadId,
      kind: "complaint",
      actor: MEMBER,
    });
    expect(same).toMatchObject({ ok: false, reason: "This is already marked as complaint." });
  });

  it("lets a follow-up make its thread more pressing, never less, and only by a rule", async () => {
    const conversationId = `kinds-${Date.now()}`;
    const opener = await file("thanks for the upgrade", { conversationId });
    expect(opener.kind).toBe("praise");
    const noRule = await file("see you next week", { conversationId });
    expect(noRule.kind).toBe("praise");
    const asked = await file("and can I bring my dog next time?", { conversationId });
    expect(asked).toMatchObject({ threadId: opener.threadId, kind: "question" });
    expect(await clockKinds(opener.threadId)).toEqual(["claim", "firstResponse"]);
    const thanked = await file("thank you!", { conversationId });
    expect(thanked.kind).toBe("question");
  });
});

describe("/switchboard mine", () => {
  it("leaves out a thread someone owns once it is taken off the desk", async () => {
    const { threadId } = await file("my refund got lost somewhere");
    const claimed = await transitionThread(ctx, config, {
      threadId,
      action: { type: "claim", by: PEOPLE.alice },
      actor: MEMBER,
    });
    expect(claimed.ok).toBe(true);
    const listed = async () =>
      (await listMyThreads(ctx, config, PEOPLE.alice)).map((t) => t.threadId);
    expect(await listed()).toContain(threadId);
    const off = await changeKind(ctx, config, { threadId, kind: "praise", actor: MEMBER });
    expect(off.ok).toBe(true);
    expect(await listed()).not.toContain(threadId);
  });
});

describe("the figures", () => {
  it("count only the clocks each post's kind runs: none for praise, no resolution for a question", async () => {
    const own = await createTestDatabase();
    try {
      const ownCtx = { ...ctx, db: own };
      const at = clock.now();
      await ingestComplaint(ownCtx, config, complaintBody({ text: "thank you, what a crew" }));
      const question = await ingestComplaint(
        ownCtx,
        config,
        complaintBody({ text: "what time does check-in open?" }),
      );
      expect(question.kind).toBe("question");
      const figures = await readFigures(own, config, {
        from: new Date(at.getTime() - HOUR),
        to: new Date(at.getTime() + HOUR),
        now: at,
        timezone: "UTC",
      });
      // What a digest shows as running: the question's claim and first response, nothing else.
      expect(
        Object.entries(figures.compliance.byClock)
          .filter(([, c]) => c.running > 0)
          .map(([clock, c]) => [clock, c.running]),
      ).toEqual([
        ["claim", 1],
        ["firstResponse", 1],
      ]);
    } finally {
      await own.destroy();
    }
  });
});

describe("the roll-up", () => {
  it("is claimed once per period across replicas, and covers everything since the last one", async () => {
    const [group] = rollupGroups(config);
    if (!group) throw new Error("the kinds workspace has a roll-up");
    expect(group).toEqual({
      channel: KIND_CHANNELS.triage,
      at: "17:00",
      timezone: "Europe/London",
      kinds: ["other"],
    });
    clock.set("2026-11-24T17:00:00.250Z");
    const system: ServiceContext = { ...ctx, actor: { type: "system" } };
    const [a, b] = await Promise.all([
      sendKindRollup(system, group),
      sendKindRollup(system, group),
    ]);
    expect([a.sent, b.sent].sort()).toEqual([false, true]);
    const id = (a.rollupId ?? b.rollupId) as number;
    const content = await loadRollup(db.db, id, { limit: 20 });
    expect(content?.counts).toEqual([{ kind: "other", department: "service", threads: 1 }]);
    expect(content?.items.map((i) => i.first.text)).toEqual([
      "RT @SkylineAir: new route to Madeira",
    ]);

    clock.set("2026-11-26T17:00:00Z"); // the bot was down on the 25th
    const next = await sendKindRollup(system, group);
    const later = await loadRollup(db.db, next.rollupId as number, { limit: 20 });
    expect(later?.periodStart.toISOString()).toBe("2026-11-24T17:00:00.000Z");
    const [item] = await db.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, "kinds.rollup"))
      .orderBy(asc(outbox.id));
    expect(item?.channel).toBe(KIND_CHANNELS.triage);
  });

  it("on a cron schedule, posts only the periods that have posts, each from where the last ended", async () => {
    const group = {
      channel: "#sb-triage-often",
      at: "*/10 * * * *",
      timezone: "Europe/London",
      kinds: ["other" as const],
    };
    const system: ServiceContext = { ...ctx, actor: { type: "system" } };
    clock.set("2026-11-28T12:00:00Z");
    expect(await sendKindRollup(system, group)).toEqual({ sent: false });
    clock.set("2026-11-28T12:05:00Z");
    await file("RT @SkylineAir: new lounge at Gatwick");
    clock.set("2026-11-28T12:10:00Z");
    const sent = await sendKindRollup(system, group);
    expect(sent.sent).toBe(true);
    const content = await loadRollup(db.db, sent.rollupId as number, { limit: 20 });
    // The empty period was claimed: this one starts where it ended, not a day back.
    expect(content?.periodStart.toISOString()).toBe("2026-11-28T12:00:00.000Z");
    expect(content?.items.map((i) => i.first.text)).toEqual([
      "RT @SkylineAir: new lounge at Gatwick",
    ]);
    const items = await db.db.select().from(outbox).where(eq(outbox.channel, group.channel));
    expect(items.map((o) => o.payload)).toEqual([
      { rollupId: sent.rollupId, page: 0, pages: 1, daily: false },
    ]);
  });
});

describe("learning kinds", () => {
  it("learns kinds from the ones people changed by hand, beside departments", async () => {
    const learning = kindsWorkspace((c) => {
      c.learning.minExamples = 4;
    });
    const slack = (userId: string): ServiceContext => ({
      ...ctx,
      actor: { type: "slack", userId },
    });
    for (const text of ["see you in May", "see you soon", "see you on the flight home"]) {
      const { threadId } = await file(text);
      await changeKind(slack(PEOPLE.alice), learning, { threadId, kind: "other", actor: MEMBER });
    }
    const outcome = await trainRouter(ctx, learning);
    expect(outcome.status).toBe("trained");
    expect(outcome.kinds.other).toBe(3);
    expect(Object.keys(outcome.kinds).length).toBeGreaterThanOrEqual(2);
  });
});

describe("the message a kind change queues", () => {
  /** As if the thread's first message had reached Slack. */
  const posted = (threadId: string, channel: string, surface: "card" | "note") =>
    db.db
      .update(threads)
      .set({ slackChannel: channel, slackTs: "1700000000.000200", slackSurface: surface })
      .where(eq(threads.id, threadId));
  const queuedWith = async (id: string) =>
    (await db.db.select().from(outbox).where(eq(outbox.threadId, id)).orderBy(asc(outbox.id))).map(
      (o) => [o.kind, o.channel, o.payload],
    );
  const change = async (threadId: string, kind: "complaint" | "question" | "praise") => {
    await db.db.delete(outbox).where(eq(outbox.threadId, threadId));
    const outcome = await changeKind(ctx, config, { threadId, kind, actor: MEMBER });
    expect(outcome.ok).toBe(true);
    return queuedWith(threadId);
  };

  it("moves a #kudos note to the desk: a card there, a link in its place", async () => {
    const { threadId } = await file("thanks for nothing, my refund is late");
    await changeKind(ctx, config, { threadId, kind: "praise", actor: MEMBER });
    await posted(threadId, KIND_CHANNELS.kudos, "note");
    expect(await change(threadId, "complaint")).toEqual([
      ["thread.post_card", CHANNELS.service, { threadId, reason: "kind" }],
      [
        "thread.leave_link",
        KIND_CHANNELS.kudos,
        {
          threadId,
          channel: KIND_CHANNELS.kudos,
          ts: "1700000000.000200",
          from: "service",
          reason: "kind",
        },
      ],
    ]);
  });

  it("re-renders a card that stays one, and a message that stays where it is", async () => {
    const { threadId } = await file("my refund is late");
    await posted(threadId, CHANNELS.service, "card");
    const toQuestion = await change(threadId, "question");
    expect(toQuestion.map(([kind, channel]) => [kind, channel])).toEqual([
      ["thread.update_card", CHANNELS.service],
    ]);
    const toPraise = await change(threadId, "praise");
    expect(toPraise.map(([kind, channel]) => [kind, channel])).toEqual([
      ["thread.update_card", CHANNELS.service],
    ]);
  });

  it("gives chatter that was waiting for the roll-up its first note when it becomes praise", async () => {
    const { threadId } = await file("RT what a view from seat 1A");
    expect(await change(threadId, "praise")).toEqual([
      ["thread.post_card", KIND_CHANNELS.kudos, { threadId, reason: "kind" }],
    ]);
  });
});
