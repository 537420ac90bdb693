import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import { routingModels, threadEvents, threads } from "../../src/db/schema.ts";
import { POST_KINDS } from "../../src/domain/post-kinds.ts";
import { startWorkspaceJobs } from "../../src/jobs/workspace-jobs.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import {
  currentRouterModels,
  forgetRouterModels,
  learnedFallback,
  MODEL_REFRESH_MS,
} from "../../src/services/learned-models.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import { trainRouter } from "../../src/services/train-router.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

const ADMIN = { userId: PEOPLE.admin, isAdmin: true, leads: [], memberOf: [] };

/** The test workspace plus an operations desk, learning from 10 confirmed threads. */
function workspace(adjust?: (config: WorkspaceConfig) => void): WorkspaceConfig {
  return testWorkspace((config) => {
    config.departments.push({ key: "operations", name: "Operations", channel: "C0OPS", leads: [] });
    config.learning = {
      ...config.learning,
      routing: { enabled: true, minConfidence: 0.7 },
      minExamples: 10,
    };
    adjust?.(config);
  });
}

// Written for the test. No rule matches them, so they all land in service at first.
const DISRUPTIONS = [
  "stuck on the tarmac for two hours now",
  "another hour on the tarmac, nobody tells us anything",
  "the plane has not moved from the tarmac since 9",
  "tarmac again, the engines are off and it is freezing",
  "still on the tarmac, the crew has no idea when we go",
  "ninety minutes on the tarmac with a crying baby",
];
const RUDENESS = [
  "the agent at the desk was rude to my mother",
  "rude agent, would not even look at us",
  "the woman at the desk laughed at me",
  "the agent at check-in was so rude",
  "a rude agent shouted at my son",
  "nobody at the desk was polite",
];

let db: TestDatabase;
afterEach(async () => {
  await db?.destroy();
});

function context(logger: Logger = createLogger("error", () => {})): ServiceContext {
  return { db, clock: new FakeClock("2026-11-24T10:00:00Z"), logger, actor: { type: "system" } };
}

/** Files each text, then hands the disruptions to operations and resolves the rest in service. */
async function seedHistory(ctx: ServiceContext, config: WorkspaceConfig) {
  for (const text of DISRUPTIONS) {
    const { threadId } = await ingestComplaint(ctx, config, complaintBody({ text }));
    const action = { type: "hand_over_department", to: "operations", by: PEOPLE.admin } as const;
    const moved = await transitionThread(ctx, config, { threadId, action, actor: ADMIN });
    expect(moved.ok).toBe(true);
  }
  for (const text of RUDENESS) {
    const { threadId } = await ingestComplaint(ctx, config, complaintBody({ text }));
    const action = { type: "resolve", by: PEOPLE.admin } as const;
    expect((await transitionThread(ctx, config, { threadId, action, actor: ADMIN })).ok).toBe(true);
  }
}

/** What the thread's log recorded when it opened. */
const openingDetails = async (threadId: string) =>
  (
    await db.db
      .select({ details: threadEvents.details })
      .from(threadEvents)
      .where(and(eq(threadEvents.threadId, threadId), eq(threadEvents.kind, "thread.opened")))
  )[0]?.details;

const threadOf = async (id: string) =>
  (await db.db.select().from(threads).where(eq(threads.id, id)))[0];

function capturingLogger() {
  const lines: Array<{ level: string; event: string } & Record<string, unknown>> = [];
  const logger = createLogger("warn", (line) => lines.push(JSON.parse(line)));
  return { logger, lines };
}

describe("the learned router", () => {
  it("learns from hand-overs where a similar complaint goes next, and says why on the thread", async () => {
    db = await createTestDatabase();
    const ctx = context();
    const config = workspace();
    const text = "two hours on the tarmac and not a word from the crew";
    const before = await ingestComplaint(ctx, config, complaintBody({ text }));
    expect(before.department).toBe("service");

    await seedHistory(ctx, config);
    const outcome = await trainRouter(ctx, config);
    expect(outcome).toMatchObject({
      status: "trained",
      version: 1,
      departments: { operations: 6, service: 6 },
    });

    const after = await ingestComplaint(ctx, config, complaintBody({ text }));
    expect(after.department).toBe("operations");
    const thread = await threadOf(after.threadId);
    expect(thread?.routingModelVersion).toBe(1);
    expect(thread?.routingRule).toBeNull();
    expect(thread?.routingReason).toMatch(
      /^learned: operations 0\.\d\d — .*'tarmac'.* \(model v1\)$/,
    );
    expect(await openingDetails(after.threadId)).toMatchObject({ modelVersion: 1, rule: null });
    expect(await openingDetails(before.threadId)).not.toHaveProperty("modelVersion");
  });

  it("keeps routing by a model stored in an older format, says once to train again, and training stores a new version from the same history", async () => {
    db = await createTestDatabase();
    const ctx = context();
    const config = workspace();
    await seedHistory(ctx, config);
    await trainRouter(ctx, config);
    // As the release before word segmentation stored it: format 2, which reads a Japanese
    // sentence as one word (and English exactly as format 3 does).
    const [stored] = await db.db.select().from(routingModels);
    const asBefore = (part: unknown) => part && { ...(part as object), format: "naive-bayes/2" };
    const model = stored?.model as { departments: unknown; kinds: unknown };
    await db.db.update(routingModels).set({
      fingerprint: "trained before word segmentation",
      model: { departments: asBefore(model.departments), kinds: asBefore(model.kinds) },
    });
    forgetRouterModels(db);

    const { logger, lines } = capturingLogger();
    const text = "two hours on the tarmac and not a word from the crew";
    const first = await ingestComplaint(context(logger), config, complaintBody({ text }));
    expect(first.department).toBe("operations");
    forgetRouterModels(db);
    await ingestComplaint(context(logger), config, complaintBody({ text: `${text} again` }));
    expect(lines.filter((l) => l.event === "router.model_outdated")).toEqual([
      expect.objectContaining({
        level: "warn",
        version: 1,
        current: "naive-bayes/3",
        fix: expect.stringContaining("npm run routing:train"),
      }),
    ]);

    const retrained = await trainRouter(ctx, config);
    expect(retrained).toMatchObject({ status: "trained", version: 2 });
    const latest = await currentRouterModels(context(logger));
    expect(latest?.models.departments?.format).toBe("naive-bayes/3");
    expect(lines.filter((l) => l.event === "router.model_outdated")).toHaveLength(1);
  });

  it("never overrides a rule, and keeps the default below the configured confidence", async () => {
    db = await createTestDatabase();
    const ctx = context();
    await seedHistory(ctx, workspace());
    await trainRouter(ctx, workspace());

    const bag = await ingestComplaint(
      ctx,
      workspace(),
      complaintBody({ text: "my suitcase sat on the tarmac for two hours in the rain" }),
    );
    expect(bag.department).toBe("baggage");
    expect((await threadOf(bag.threadId))?.routingModelVersion).toBeNull();

    const strict = workspace((c) => {
      c.learning.routing.minConfidence = 1;
    });
    const unsure = await ingestComplaint(
      ctx,
      strict,
      complaintBody({ text: "an hour on the tarmac so far" }),
    );
    expect(unsure.department).toBe("service");
    const thread = await threadOf(unsure.threadId);
    expect(thread?.routingModelVersion).toBeNull();
    expect(thread?.routingReason).toMatch(
      /default department \(model v1 guessed operations 0\.\d\d < 1\.00\)/,
    );

    const off = workspace((c) => {
      c.learning.routing.enabled = false;
    });
    const ignored = await ingestComplaint(
      ctx,
      off,
      complaintBody({ text: "tarmac, tarmac, tarmac" }),
    );
    expect(ignored.department).toBe("service");
  });

  it("trains the same model from the same history, and adds no version when nothing changed", async () => {
    db = await createTestDatabase();
    const first = context();
    await seedHistory(first, workspace());
    expect((await trainRouter(first, workspace())).status).toBe("trained");
    expect(await trainRouter(first, workspace())).toMatchObject({
      status: "unchanged",
      version: 1,
    });
    const [one] = await db.db.select().from(routingModels);
    await db.destroy();

    db = await createTestDatabase();
    const second = context();
    await seedHistory(second, workspace());
    await trainRouter(second, workspace());
    const [two] = await db.db.select().from(routingModels);
    expect(two?.fingerprint).toBe(one?.fingerprint);
    expect(JSON.stringify(two?.model)).toBe(JSON.stringify(one?.model));
  });

  it("stores nothing while the history is too small or names one department", async () => {
    db = await createTestDatabase();
    const ctx = context();
    await seedHistory(ctx, workspace());
    const tooFew = await trainRouter(
      ctx,
      workspace((c) => {
        c.learning.minExamples = 13;
      }),
    );
    expect(tooFew.status).toBe("skipped");
    expect(tooFew.reason).toContain(
      "12 confirmed threads so far, and routing.learned.minExamples is 13",
    );
    expect(await db.db.select().from(routingModels)).toEqual([]);
  });

  it("falls back to rules with a warning when the stored model is corrupt, never failing intake", async () => {
    db = await createTestDatabase();
    await db.db.insert(routingModels).values({
      trainedAt: new Date("2026-11-20T00:00:00Z"),
      examples: 40,
      fingerprint: "x",
      model: { departments: { format: "naive-bayes/1", labels: ["a"] }, kinds: null },
    });
    const { logger, lines } = capturingLogger();
    const result = await ingestComplaint(
      context(logger),
      workspace(),
      complaintBody({ text: "two hours on the tarmac" }),
    );
    expect(result).toMatchObject({ department: "service", duplicate: false });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "warn", event: "router.model_unusable", version: 1 }),
    );
  });

  it("falls back to rules with a warning when no model was ever trained", async () => {
    db = await createTestDatabase();
    const { logger, lines } = capturingLogger();
    // A rule matched: the model is not even looked for (the kinds' fallback, which would, is off).
    const rulesOnlyForKinds = workspace((c) => {
      c.learning.kinds.enabled = false;
    });
    const bag = await ingestComplaint(
      context(logger),
      rulesOnlyForKinds,
      complaintBody({ text: "lost bag" }),
    );
    expect(bag.department).toBe("baggage");
    expect(lines).toEqual([]);
    // Likewise a kinds rule: the kinds' fallback (on) is not looked for when one matched.
    const kinded = kindsWorkspace((c) => {
      c.learning.routing.enabled = false;
    });
    const lost = await ingestComplaint(
      context(logger),
      kinded,
      complaintBody({ text: "lost bag" }),
    );
    expect(lost.kind).toBe("complaint");
    expect(lines).toEqual([]);
    const result = await ingestComplaint(
      context(logger),
      workspace(),
      complaintBody({ text: "tarmac" }),
    );
    expect(result.department).toBe("service");
    expect(lines.map((l) => l.event)).toEqual(["router.model_missing"]);
  });

  it("files a follow-up in its thread's department, whatever its text says", async () => {
    db = await createTestDatabase();
    const ctx = context();
    await seedHistory(ctx, workspace());
    await trainRouter(ctx, workspace());
    const conversationId = "conv-follow-up";
    const opener = await ingestComplaint(
      ctx,
      workspace(),
      complaintBody({ conversationId, text: "the agent at the desk was rude" }),
    );
    expect(opener.department).toBe("service");
    for (const text of ["and now you lost my bag", "and we are stuck on the tarmac"]) {
      const later = await ingestComplaint(
        ctx,
        workspace(),
        complaintBody({ conversationId, text }),
      );
      expect(later).toMatchObject({ threadId: opener.threadId, department: "service" });
    }
    expect((await threadOf(opener.threadId))?.department).toBe("service");
  });

  it("retrains on its schedule inside the bot (routing.learned.retrain), even while routing ignores the model", async () => {
    db = await createTestDatabase();
    const ctx = context();
    const config = workspace((c) => {
      c.learning.retrain = "* * * * * *"; // every second, for the test
      // "Training still works, for later" (docs): switching routing off keeps the schedule.
      c.learning.routing.enabled = false;
    });
    await seedHistory(ctx, config);
    const jobs = startWorkspaceJobs({ ...ctx, workspace: config, onQueued: () => {} });
    try {
      const [model] = await eventually(async () => {
        const rows = await db.db.select().from(routingModels);
        return rows.length > 0 ? rows : null;
      }, "a model trained by the schedule");
      expect(model?.examples).toBe(12);
    } finally {
      await jobs.stop();
    }
  });

  it("stores nothing while every confirmed thread is of one department", async () => {
    db = await createTestDatabase();
    const ctx = context();
    const config = workspace((c) => {
      c.learning.minExamples = 5;
    });
    for (const text of RUDENESS) {
      const { threadId } = await ingestComplaint(ctx, config, complaintBody({ text }));
      const action = { type: "resolve", by: PEOPLE.admin } as const;
      await transitionThread(ctx, config, { threadId, action, actor: ADMIN });
    }
    const outcome = await trainRouter(ctx, config);
    expect(outcome).toMatchObject({ status: "skipped", departments: { service: 6 } });
    expect(outcome.reason).toContain("every confirmed thread is of one department");
    expect(await db.db.select().from(routingModels)).toEqual([]);
  });

  it("skips training while another process trains, storing nothing", async () => {
    db = await createTestDatabase();
    const ctx = context();
    await seedHistory(ctx, workspace());
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked = () => {};
    const taken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // Another trainer, on a connection of its own, holding the training lock.
    const other = db.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('switchboard.train-router'))`);
      locked();
      await held;
    });
    await taken;
    const outcome = await trainRouter(ctx, workspace());
    release();
    await other;
    expect(outcome).toMatchObject({
      status: "skipped",
      reason: "another process is training right now",
    });
    expect(await db.db.select().from(routingModels)).toEqual([]);
    expect((await trainRouter(ctx, workspace())).status).toBe("trained");
  });

  it("does not put its model on top of one another process stored meanwhile from as much history", async () => {
    db = await createTestDatabase();
    const clock = new FakeClock("2026-11-24T10:00:00Z");
    const ctx: ServiceContext = { ...context(), clock };
    await seedHistory(ctx, workspace());
    // What another replica, which read the same 12 threads and finished first, would have stored.
    const theirs = await trainRouter(
      { ...ctx, clock: new FakeClock("2026-11-24T10:00:01Z") },
      workspace(),
    );
    expect(theirs).toMatchObject({ status: "trained", version: 1 });
    // Theirs differs from what this one will train (a thread they read was relabelled since).
    await db.db.update(routingModels).set({ fingerprint: "theirs" });
    // This one started before that was stored, and learned from no more: it stores nothing.
    const mine = await trainRouter(ctx, workspace());
    expect(mine).toMatchObject({
      status: "skipped",
      version: 1,
      reason: "another process stored a model from at least this history while this one trained",
    });
    expect(await db.db.select().from(routingModels)).toHaveLength(1);
    // Later, with more history, it stores a new version as usual.
    clock.set("2026-11-24T11:00:00Z");
    const filed = await ingestComplaint(
      ctx,
      workspace(),
      complaintBody({ text: "the lounge shut early" }),
    );
    const to = filed.department === "operations" ? "service" : "operations";
    const action = { type: "hand_over_department", to, by: PEOPLE.admin } as const;
    const moved = await transitionThread(ctx, workspace(), {
      threadId: filed.threadId,
      action,
      actor: ADMIN,
    });
    expect(moved.ok).toBe(true);
    expect(await trainRouter(ctx, workspace())).toMatchObject({ status: "trained", version: 2 });
  });

  it("uses a model another process trained once what it read is 30 seconds old", async () => {
    db = await createTestDatabase();
    const clock = new FakeClock("2026-11-24T10:00:00Z");
    const ctx = { ...context(), clock };
    await seedHistory(ctx, workspace());
    await trainRouter(ctx, workspace());
    expect((await currentRouterModels(ctx))?.version).toBe(1);
    const storeAnother = async (fingerprint: string) => {
      const [row] = await db.db.select().from(routingModels);
      if (!row) throw new Error("no model stored");
      await db.db.insert(routingModels).values({ ...row, id: undefined, fingerprint });
    };

    await storeAnother("from routing:train"); // version 2, written by another process
    expect((await currentRouterModels(ctx))?.version).toBe(1); // the same instant: cached
    clock.advance(MODEL_REFRESH_MS - 1);
    expect((await currentRouterModels(ctx))?.version).toBe(1);
    clock.advance(1);
    expect((await currentRouterModels(ctx))?.version).toBe(2);

    // A clock set back (a test, or a host's clock corrected) reads again rather than trust it.
    await storeAnother("after the clock moved back");
    clock.advance(-1);
    expect((await currentRouterModels(ctx))?.version).toBe(3);
  });

  it("offers each part's model with that part's settings and labels", async () => {
    db = await createTestDatabase();
    const ctx = context();
    await seedHistory(ctx, workspace());
    await trainRouter(ctx, workspace());
    // The department classifier stored as the kinds one too: the service does not look inside.
    const [row] = await db.db.select().from(routingModels);
    const model = row?.model as { departments: unknown };
    await db.db
      .update(routingModels)
      .set({ model: { departments: model.departments, kinds: model.departments } });
    forgetRouterModels(db);

    const routingOnly = workspace((c) => {
      c.learning.kinds = { enabled: false, minConfidence: 0.5 };
    });
    expect(await learnedFallback(ctx, routingOnly, "kinds")).toBeUndefined();
    expect(await learnedFallback(ctx, routingOnly, "departments")).toMatchObject({
      model: { version: 1 },
      minConfidence: 0.7,
      allowed: ["service", "baggage", "pr", "operations"],
    });

    const kindsOnly = workspace((c) => {
      c.learning.routing = { enabled: false, minConfidence: 0.7 };
      c.learning.kinds = { enabled: true, minConfidence: 0.9 };
    });
    expect(await learnedFallback(ctx, kindsOnly, "departments")).toBeUndefined();
    expect(await learnedFallback(ctx, kindsOnly, "kinds")).toMatchObject({
      model: { version: 1 },
      minConfidence: 0.9,
      allowed: POST_KINDS,
    });
  });

  it("routes by rules with a warning when the models cannot be read at all", async () => {
    db = await createTestDatabase();
    const { logger, lines } = capturingLogger();
    const ctx = context(logger);
    await db.db.execute(sql`ALTER TABLE routing_models RENAME TO routing_models_away`);
    try {
      const result = await ingestComplaint(ctx, workspace(), complaintBody({ text: "tarmac" }));
      expect(result).toMatchObject({ department: "service", duplicate: false });
    } finally {
      await db.db.execute(sql`ALTER TABLE routing_models_away RENAME TO routing_models`);
    }
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        event: "router.model_unreadable",
        fallback: "rules only",
      }),
    );
  });
});
