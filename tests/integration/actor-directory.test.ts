import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { ActorDirectory } from "../../src/slack/actor-directory.ts";
import { SlackBusyError } from "../../src/slack/slack-errors.ts";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { capturedLogs } from "../helpers/e2e-harness.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

let double: SlackDouble;
let db: TestDatabase;
let client: WebClient;

beforeAll(async () => {
  double = await startSlackDouble({
    channels: [
      { id: "C0SERVICE", name: "sb-service", members: ["U0ALICE"] },
      { id: "C0BAGNAMED", name: "sb-baggage", members: ["U0BOB"] },
      // More members than one page of conversations.members, to prove pagination.
      {
        id: "C0PR",
        name: "sb-pr",
        members: Array.from({ length: 450 }, (_, i) => `U0PR${String(i).padStart(3, "0")}`),
      },
    ],
    users: [
      { id: "U0ALICE", name: "alice" },
      { id: "U0BOB", name: "bob" },
      { id: "U0CAROL", name: "carol" },
    ],
    usergroups: [{ id: "S0DUTY", handle: "service-duty", users: ["U0CAROL"] }],
  });
  db = await createTestDatabase();
  client = new WebClient(double.config.botToken, {
    slackApiUrl: double.apiUrl,
    // As the bot configures its client (src/slack/app.ts): 429s come back, never waited out.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(async () => {
  await db.destroy();
  await double.stop();
});

describe("ActorDirectory", () => {
  it("finds members by channel, by a #name channel once cards went there, and by user group", async () => {
    const config = testWorkspace((c) => {
      c.departments = c.departments.map((d) => {
        if (d.key === "baggage") return { ...d, channel: "#sb-baggage" };
        if (d.key === "pr") return { ...d, usergroup: undefined };
        return d;
      });
      c.departments.push({
        key: "duty",
        name: "Duty",
        channel: "C0SERVICE",
        leads: [],
        usergroup: "S0DUTY",
      });
      c.admins = ["U0ADMIN"];
    });
    const now = new Date();
    await db.db.insert(threads).values({
      source: "twitter",
      conversationKey: "x",
      department: "baggage",
      priority: "P3",
      routingReason: "test",
      priorityReasons: [],
      slackChannel: "C0BAGNAMED",
      slackTs: "1.1",
      openedAt: now,
      updatedAt: now,
    });
    const directory = new ActorDirectory(client, config, db);
    expect((await directory.factsFor("U0ALICE")).memberOf).toEqual(["service"]);
    expect((await directory.factsFor("U0BOB")).memberOf).toEqual(["baggage"]);
    expect((await directory.factsFor("U0CAROL")).memberOf).toEqual(["duty"]);
    expect((await directory.factsFor("U0PR449")).memberOf).toEqual(["pr"]);
    expect(await directory.factsFor("U0ADMIN")).toMatchObject({ isAdmin: true, memberOf: [] });
    expect((await directory.factsFor("U0LEAD")).leads).toEqual(["service", "baggage", "pr"]);
  });

  it("asks Slack once per channel while its cache is fresh", async () => {
    const config = testWorkspace();
    let now = 0;
    const directory = new ActorDirectory(client, config, db, 60_000, () => now);
    const calls = () => double.callsTo("conversations.members").length;
    await directory.factsFor("U0ALICE");
    const first = calls();
    await directory.factsFor("U0BOB");
    expect(calls()).toBe(first);
    now = 61_000;
    await directory.factsFor("U0BOB");
    expect(calls()).toBeGreaterThan(first);
  });
});

describe("ActorDirectory, for one department", () => {
  it("asks Slack only about the departments named", async () => {
    const directory = new ActorDirectory(client, testWorkspace(), db);
    const before = double.callsTo("conversations.members").length;
    const facts = await directory.factsFor("U0ALICE", ["service"]);
    expect(facts.memberOf).toEqual(["service"]);
    const asked = double
      .callsTo("conversations.members")
      .slice(before)
      .map((c) => c.args.channel);
    expect(asked).toEqual(["C0SERVICE"]);
  });
});

describe("ActorDirectory, when Slack is busy", () => {
  it("throws SlackBusyError on a 429 instead of answering 'not a member', and waits out Retry-After", async () => {
    const config = testWorkspace((c) => {
      c.departments.push({
        key: "duty",
        name: "Duty",
        channel: "C0SERVICE",
        leads: [],
        usergroup: "S0DUTY",
      });
    });
    let now = 0;
    const directory = new ActorDirectory(client, config, db, 60_000, () => now);
    const calls = () => double.callsTo("usergroups.users.list").length;
    double.setRateLimit("usergroups.users.list", 0);
    try {
      const before = calls();
      const err = await directory.factsFor("U0CAROL", ["duty"]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SlackBusyError);
      expect((err as SlackBusyError).retryAfterMs).toBe(60_000);
      // Within Retry-After nobody asks Slack again.
      now = 30_000;
      await expect(directory.factsFor("U0CAROL", ["duty"])).rejects.toBeInstanceOf(SlackBusyError);
      expect(calls()).toBe(before + 1);
    } finally {
      double.setRateLimit("usergroups.users.list", undefined);
    }
    now = 60_000;
    expect((await directory.factsFor("U0CAROL", ["duty"])).memberOf).toEqual(["duty"]);
  });

  it("still counts a channel Slack will not show as empty, and remembers that", async () => {
    const config = testWorkspace((c) => {
      c.departments = c.departments.map((d) => (d.key === "pr" ? { ...d, channel: "C0GONE" } : d));
    });
    const directory = new ActorDirectory(client, config, db);
    expect((await directory.factsFor("U0PR001", ["pr"])).memberOf).toEqual([]);
    const asked = double.callsTo("conversations.members").length;
    await directory.factsFor("U0PR002", ["pr"]);
    expect(double.callsTo("conversations.members")).toHaveLength(asked);
  });

  it("falls back from a deleted user group to the channel's members, and logs it once a process", async () => {
    double.addUsergroup({ id: "S0GONE", handle: "gone-duty", users: ["U0CAROL"] });
    double.disableUsergroup("S0GONE");
    const config = testWorkspace((c) => {
      c.departments = c.departments.map((d) =>
        d.key === "service" ? { ...d, usergroup: "S0GONE" } : d,
      );
    });
    const { logger, lines } = capturedLogs();
    // Two directories (listeners and deliveries have one each), asking Slack every time.
    const directories = [0, 1].map(
      () => new ActorDirectory(client, config, db, 0, Date.now, logger),
    );
    for (const directory of [...directories, ...directories]) {
      expect((await directory.factsFor("U0ALICE", ["service"])).memberOf).toEqual(["service"]);
    }
    const index = config.departments.findIndex((d) => d.key === "service");
    expect(lines).toEqual([
      expect.objectContaining({
        level: "warn",
        event: "slack.usergroup_gone",
        department: "service",
        usergroup: "S0GONE",
        fix: `Slack says user group S0GONE is deleted (no_such_subteam): until departments[${index}].usergroup in the workspace file names a live group (or is removed), the members of the department's channel work its threads`,
      }),
    ]);
  });
});
