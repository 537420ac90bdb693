import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { createLogger, silentLogger } from "../../src/logger.ts";
import { SlackRefusedError } from "../../src/slack/slack-connection.ts";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { type RunningSwitchboard, startSwitchboard } from "../../src/switchboard.ts";
import { freePort, startBot } from "../helpers/bot-process.ts";
import { eventually, INTAKE_TOKEN, testEnv } from "../helpers/e2e-harness.ts";
import { createTestDatabase } from "../helpers/test-database.ts";
import { CHANNELS, complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "switchboard-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function double(): Promise<SlackDouble> {
  const d = await startSlackDouble({
    channels: Object.values(CHANNELS).map((id) => ({ id, name: id.toLowerCase() })),
  });
  cleanups.push(() => d.stop());
  return d;
}

async function database(): Promise<DatabaseHandle> {
  const db = await createTestDatabase();
  cleanups.push(() => db.destroy());
  return db;
}

const health = async (bot: RunningSwitchboard) => {
  const res = await fetch(`${bot.url}/healthz`);
  // biome-ignore lint/suspicious/noExplicitAny: the health body is read field by field
  const json: any = await res.json();
  return { status: res.status, json };
};

describe("checking the configured channels at start", () => {
  it("warns, naming the setting and the fix, about a channel Slack does not have or has archived", async () => {
    const slack = await startSlackDouble({
      channels: [
        { id: CHANNELS.service, name: "sb-service" },
        { id: CHANNELS.baggage, name: "sb-baggage", isArchived: true },
        // PR's channel, by name in the file below, does not exist; the executives' is fine.
        { id: CHANNELS.exec, name: "sb-exec" },
      ],
    });
    cleanups.push(() => slack.stop());
    const lines: Array<Record<string, unknown>> = [];
    const workspace = testWorkspace((c) => {
      const pr = c.departments.find((d) => d.key === "pr");
      if (pr) pr.channel = "#sb-press";
    });
    const bot = await startSwitchboard({
      env: testEnv(slack),
      workspace,
      logger: createLogger("warn", (line) => lines.push(JSON.parse(line))),
      host: "127.0.0.1",
      db: await database(),
      timers: false,
    });
    cleanups.push(() => bot.stop());
    const problems = await eventually(() => {
      const found = lines.filter((l) => l.event === "slack.channel_problem");
      return found.length >= 2 ? found : undefined;
    }, "the channel warnings");
    expect(problems).toEqual([
      expect.objectContaining({
        level: "warn",
        channel: CHANNELS.baggage,
        for: ["department baggage"],
        problem: `${CHANNELS.baggage} is archived, so nothing can be posted there: unarchive it, or name another channel in the workspace file`,
      }),
      expect.objectContaining({
        channel: "#sb-press",
        for: ["department pr"],
        problem: expect.stringContaining(
          "Slack has no channel #sb-press that the bot can see: create it and invite the bot",
        ),
      }),
    ]);
    // Only those: the service and executives' channels exist.
    expect(lines.filter((l) => l.event === "slack.channel_problem")).toHaveLength(2);
  });
});

describe("starting while Slack is down", () => {
  it("starts, takes complaints, shows Slack unreachable, and delivers once Slack answers", async () => {
    const slack = await double();
    slack.setOutage(503);
    const bot = await startSwitchboard({
      env: testEnv(slack),
      workspace: testWorkspace(),
      logger: silentLogger,
      host: "127.0.0.1",
      db: await database(),
      timers: false,
      outbox: { pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 200 },
      slackRetry: { baseRetryMs: 20, maxRetryMs: 200 },
    });
    cleanups.push(() => bot.stop());
    const down = await health(bot);
    expect(down.status).toBe(200);
    expect(down.json).toMatchObject({
      status: "degraded",
      slack: { ok: false, state: "unreachable", error: "http_503" },
    });
    const res = await fetch(`${bot.url}/api/v1/complaints`, {
      method: "POST",
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(complaintBody({ text: "filed while Slack is down" })),
    });
    expect(res.status).toBe(202);
    // It keeps trying.
    await eventually(() => slack.callsTo("auth.test").length >= 3, "auth.test retries");
    slack.setOutage(null);
    await eventually(async () => (await health(bot)).json.slack.ok, "Slack connected");
    await eventually(() => slack.messages(CHANNELS.service).length === 1, "the card");
    expect((await health(bot)).json.status).toBe("ok");
  });

  it("refuses to start when Slack refuses the token", async () => {
    const slack = await double();
    const started = startSwitchboard({
      env: { ...testEnv(slack), slackBotToken: "xoxb-not-the-right-token" },
      workspace: testWorkspace(),
      logger: silentLogger,
      host: "127.0.0.1",
      db: await database(),
      timers: false,
    });
    await expect(started).rejects.toThrow(SlackRefusedError);
    await expect(started).rejects.toMatchObject({ slackError: "invalid_auth" });
  });
});

describe("npm start", () => {
  const token = "startup-test-token-0123456789";
  const env = (slack: SlackDouble, extra: Record<string, string>) => ({
    SWITCHBOARD_CONFIG: "switchboard.example.yaml",
    SLACK_BOT_TOKEN: slack.config.botToken,
    SLACK_SIGNING_SECRET: "startup-test-secret",
    SLACK_API_URL: slack.apiUrl,
    INTAKE_TOKENS: token,
    LOG_LEVEL: "info",
    ...extra,
  });

  it("exits 2 with one clear line, creating nothing, when the port is in use", async () => {
    const slack = await double();
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const port = (taken.address() as { port: number }).port;
    const dataDir = join(dir, "never-created");
    const bot = startBot(env(slack, { PORT: String(port), DATA_DIR: dataDir }));
    expect(await bot.exited).toBe(2);
    const lines = bot.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`port ${port}`);
    expect(lines[0]).toContain("already in use");
    expect(existsSync(dataDir)).toBe(false);
    expect(slack.calls).toHaveLength(0);
  }, 60_000);

  it("exits 1 naming DATABASE_URL's host and port, never its password, when PostgreSQL is unreachable", async () => {
    const slack = await double();
    const dbPort = await freePort(); // nothing listens there
    const password = "not-for-the-log";
    const bot = startBot(
      env(slack, {
        PORT: String(await freePort()),
        DATABASE_URL: `postgres://switchboard:${password}@127.0.0.1:${dbPort}/switchboard`,
      }),
    );
    expect(await bot.exited).toBe(1);
    const lines = bot.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "error",
      event: "switchboard.start_failed",
      error: {
        code: "database_unreachable",
        message: expect.stringContaining(
          `Cannot reach PostgreSQL at 127.0.0.1:${dbPort} (DATABASE_URL): connect ECONNREFUSED`,
        ),
      },
    });
    expect(bot.output()).not.toContain(password);
    expect(slack.calls).toHaveLength(0);
  }, 60_000);

  it("keeps running while Slack answers 503, and exits 2 once Slack answers and refuses the token", async () => {
    const slack = await double();
    slack.setOutage(503);
    const port = await freePort();
    const bot = startBot(
      env(slack, {
        PORT: String(port),
        DATA_DIR: join(dir, "slack-down"),
        SLACK_BOT_TOKEN: "xoxb-revoked-while-slack-was-down",
      }),
    );
    cleanups.push(() => bot.child.kill("SIGKILL"));
    const up = await eventually(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        return res.ok ? res.json() : null;
      },
      "the bot to answer /healthz",
      60_000,
    );
    expect(up).toMatchObject({ status: "degraded", slack: { ok: false, state: "unreachable" } });
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/complaints`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ source: "twitter", externalId: "s-1", text: "lost bag" }),
    });
    expect(res.status).toBe(202);
    slack.setOutage(null);
    expect(await bot.exited).toBe(2);
    expect(bot.output()).toContain("Slack refused SLACK_BOT_TOKEN (invalid_auth)");
  }, 90_000);
});
