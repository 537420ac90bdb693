import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import type { ActorFacts } from "../../src/domain/permissions.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import type { ActorDirectory } from "../../src/slack/actor-directory.ts";
import type { ListenerDeps } from "../../src/slack/listener-deps.ts";
import { actOnThread } from "../../src/slack/thread-actions.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

let db: TestDatabase;
const clock = new FakeClock("2026-11-24T10:00:00Z");
const config = testWorkspace();
const ADMIN: ActorFacts = { userId: PEOPLE.admin, isAdmin: true, leads: [], memberOf: [] };

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

describe("a form submitted for one department", () => {
  it("changes nothing when the thread moves to another while the submission is checked", async () => {
    const ctx: ServiceContext = {
      db,
      clock,
      logger: silentLogger,
      actor: { type: "intake", token: "t" },
    };
    const { threadId } = await ingestComplaint(ctx, config, complaintBody({ text: "lost bag" }));
    const [before] = await db.db.select().from(threads).where(eq(threads.id, threadId));
    const openedIn = before?.department ?? "";
    const elsewhere = openedIn === "service" ? "pr" : "service";
    // The form's plain read sees the thread where the form was opened; someone else's
    // hand-over commits while Slack is asked who the submitter is.
    const directory = {
      factsFor: async () => {
        const moved = await transitionThread(
          { ...ctx, actor: { type: "slack", userId: PEOPLE.lead } },
          config,
          { threadId, action: { type: "hand_over_department", to: elsewhere }, actor: ADMIN },
        );
        expect(moved.ok).toBe(true);
        return ADMIN;
      },
    } as unknown as ActorDirectory;
    const deps: ListenerDeps = {
      db,
      config,
      clock,
      logger: silentLogger,
      directory,
      onQueued: () => {},
    };
    const outcome = await actOnThread(
      deps,
      PEOPLE.admin,
      threadId,
      { type: "dismiss", reason: "spam", by: PEOPLE.admin },
      { openedIn: { department: openedIn } },
    );
    expect(outcome).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^While this form was open, the thread was handed over to /),
    });
    const [after] = await db.db.select().from(threads).where(eq(threads.id, threadId));
    expect(after).toMatchObject({ department: elsewhere, state: before?.state });
  });
});
