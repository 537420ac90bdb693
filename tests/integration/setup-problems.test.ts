import { ErrorCode } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxRow } from "../../src/db/schema.ts";
import { integrationProblems } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import { readStatus } from "../../src/services/read-status.ts";
import { clearWhatWorked, recordFailureProblem } from "../../src/slack/setup-problem-hooks.ts";
import { SetupProblems } from "../../src/slack/setup-problems.ts";
import { describeSlackSetup } from "../../src/slack/views/setup-problems.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

/**
 * Slack setup problems recorded from what Slack refused and cleared by what it accepted:
 * a missing scope, which the Slack double cannot grant while it runs, so the hooks are fed
 * Slack's answers here as @slack/web-api shapes them, against a real database.
 */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

const clock = new FakeClock("2026-11-24T10:00:00Z");
const config = testWorkspace();
const ctx = () => ({ db, clock, logger: silentLogger, actor: { type: "system" as const } });
const missingScope = {
  code: ErrorCode.PlatformError,
  data: { ok: false, error: "missing_scope", needed: "im:write", provided: "chat:write" },
};
const item = { id: 1, kind: "thread.nudge", channel: "C0SERVICE" } as OutboxRow;
const setupText = async () => describeSlackSetup((await readStatus(ctx(), config)).slackSetup);

describe("a missing scope", () => {
  it("is recorded once however often it is met, and clears when Slack says the token has it", async () => {
    const setup = new SetupProblems(db, config.admins, () => clock.now());
    const recordFailure = recordFailureProblem(setup, config);
    await db.db.transaction((tx) => recordFailure(tx, item, missingScope));
    clock.advance(MINUTE);
    await db.db.transaction((tx) => recordFailure(tx, item, missingScope));
    expect(await db.db.select().from(integrationProblems)).toHaveLength(1);
    expect(await setupText()).toBe(
      "*Slack setup:* 1 problem\n• *the app lacks the scope `im:write`* (affects thread.nudge deliveries), since <!date^1795514400^{date_short_pretty} {time}|2026-11-24T10:00:00Z>, 2 times. Fix: add scope `im:write` to the app (manifests/) and reinstall it.",
    );
    // A call that works without it clears nothing; once Slack lists the scope, it is cleared.
    const accepted = (scopes: string[]) => ({ ok: true, response_metadata: { scopes } });
    await clearWhatWorked(
      setup,
      "chat.postMessage",
      { channel: "C0SERVICE" },
      accepted(["chat:write"]),
    );
    expect(await setupText()).toContain("1 problem");
    await clearWhatWorked(setup, "auth.test", {}, accepted(["chat:write", "im:write"]));
    expect(await setupText()).toBe("*Slack setup:* no problems seen.");
  });

  it("recorded by another replica is cleared here only once this process has loaded it", async () => {
    const other = new SetupProblems(db, config.admins, () => clock.now());
    await db.db.transaction((tx) => recordFailureProblem(other, config)(tx, item, missingScope));
    const here = new SetupProblems(db, config.admins, () => clock.now());
    const granted = { ok: true, response_metadata: { scopes: ["im:write"] } };
    await clearWhatWorked(here, "auth.test", {}, granted);
    expect(await setupText()).toContain("1 problem");
    await here.load();
    await clearWhatWorked(here, "auth.test", {}, granted);
    expect(await setupText()).toBe("*Slack setup:* no problems seen.");
  });
});
