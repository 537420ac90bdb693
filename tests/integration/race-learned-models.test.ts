import { afterAll, describe, expect, it } from "vitest";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { currentRouterModels } from "../../src/services/learned-models.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import { trainRouter } from "../../src/services/train-router.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

/*
 * An intake reads the learned model while this process stores a new version: the read began
 * before the new version was committed and answers after it. The process must use the new
 * version from then on, not keep the old answer for MODEL_REFRESH_MS.
 */

const ADMIN = { userId: PEOPLE.admin, isAdmin: true, leads: [], memberOf: [] };
let db: TestDatabase;
afterAll(() => db?.destroy());

function workspace(): WorkspaceConfig {
  return testWorkspace((config) => {
    config.departments.push({ key: "operations", name: "Operations", channel: "C0OPS", leads: [] });
    config.learning = {
      ...config.learning,
      routing: { enabled: true, minConfidence: 0.7 },
      minExamples: 10,
    };
  });
}

describe("the learned model read while a new version is stored", () => {
  it("uses the new version at once, even when an older read answers last", async () => {
    db = await createTestDatabase();
    const config = workspace();
    // One handle, as in the bot; its selects can be held on their way back, one at a time.
    let hold: { reached: () => void; release: Promise<void> } | null = null;
    const gated = new Proxy(db.db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== "select" || typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const builder = value.apply(target, args);
          const gate = hold;
          if (!gate) return builder;
          hold = null;
          const from = builder.from.bind(builder);
          builder.from = (...fromArgs: unknown[]) => {
            const query = from(...fromArgs);
            const then = query.then.bind(query);
            // biome-ignore lint/suspicious/noThenProperty: holds the query's answer on its way back
            query.then = (ok: (v: unknown) => unknown, fail: (e: unknown) => unknown) =>
              then(async (rows: unknown) => {
                gate.reached();
                await gate.release;
                return rows;
              }).then(ok, fail);
            return query;
          };
          return builder;
        };
      },
    });
    const handle: DatabaseHandle = { ...db, db: gated };
    const ctx: ServiceContext = {
      db: handle,
      clock: new FakeClock("2026-11-24T10:00:00Z"),
      logger: silentLogger,
      actor: { type: "system" },
    };
    for (let i = 0; i < 6; i++) {
      const { threadId } = await ingestComplaint(
        ctx,
        config,
        complaintBody({ text: `stuck on the tarmac for ${i + 2} hours now` }),
      );
      const action = { type: "hand_over_department", to: "operations", by: PEOPLE.admin } as const;
      expect((await transitionThread(ctx, config, { threadId, action, actor: ADMIN })).ok).toBe(
        true,
      );
    }
    for (let i = 0; i < 6; i++) {
      const { threadId } = await ingestComplaint(
        ctx,
        config,
        complaintBody({ text: `the agent at the desk number ${i} was rude` }),
      );
      const action = { type: "resolve", by: PEOPLE.admin } as const;
      expect((await transitionThread(ctx, config, { threadId, action, actor: ADMIN })).ok).toBe(
        true,
      );
    }
    (ctx.clock as FakeClock).advance(60 * 60_000); // whatever intake cached has gone stale

    let reached = false;
    let release = () => {};
    hold = {
      reached: () => {
        reached = true;
      },
      release: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    const reading = currentRouterModels(ctx);
    await eventually(() => reached, "the read's answer, held");
    const trained = await trainRouter(ctx, config);
    expect(trained.status).toBe("trained");
    release();
    expect(await reading).toBeNull(); // it read before the version was stored

    expect((await currentRouterModels(ctx))?.version).toBe(trained.version);
  });
});
