import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { freePort, startBot } from "../helpers/bot-process.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { switchboardApp } from "../helpers/switchboard-app.ts";

const dir = mkdtempSync(join(tmpdir(), "switchboard-process-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start", () => {
  it("exits 2 without Slack credentials, naming the variables and the manifest", async () => {
    const bot = startBot({
      SWITCHBOARD_CONFIG: "switchboard.example.yaml",
      DATA_DIR: join(dir, "none"),
    });
    expect(await bot.exited).toBe(2);
    expect(bot.output()).toContain("SLACK_BOT_TOKEN");
    expect(bot.output()).toContain("SLACK_SIGNING_SECRET");
    expect(bot.output()).toContain("INTAKE_TOKENS");
    expect(bot.output()).toContain("manifests/switchboard.http.yaml");
    expect(bot.output()).not.toContain(".env");
  });

  it("says a .env file in its folder is not read, and how to load it, when a variable is unset", async () => {
    const folder = join(dir, "with-dotenv");
    mkdirSync(folder);
    writeFileSync(join(folder, ".env"), "SLACK_BOT_TOKEN=xoxb-1-2-3\n");
    const bot = startBot(
      { SWITCHBOARD_CONFIG: resolve("switchboard.example.yaml"), DATA_DIR: join(dir, "none") },
      folder,
    );
    expect(await bot.exited).toBe(2);
    expect(bot.output()).toContain("SLACK_BOT_TOKEN is not set.");
    expect(bot.output()).toContain(
      "There is a .env file here, but Switchboard reads its environment, not that file: run npm run build && node --env-file=.env dist/main.js, or export its variables first (set -a; . ./.env; set +a; npm start).",
    );
    expect(existsSync(join(dir, "none"))).toBe(false);
  });

  it("exits 2 on a bad workspace file, naming the file, key and line", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(
      file,
      "departments:\n  - key: service\n    name: Service\n    channel: '#svc'\n    leads: []\nrouting:\n  default: nowhere\n  rules: []\nsla:\n  P1: { firstResponse: 15m }\n  P2: { firstResponse: 1h }\n  P3: { firstResponse: 4h }\n  P4: { firstResponse: 1d }\n",
    );
    const bot = startBot({
      SWITCHBOARD_CONFIG: file,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: "secret",
      INTAKE_TOKENS: "0123456789abcdef0123",
    });
    expect(await bot.exited).toBe(2);
    expect(bot.output()).toContain(file);
    expect(bot.output()).toContain("routing.default");
    expect(bot.output()).toContain(`${file}:7:`); // file:line:column
  });

  it("writes only JSON lines while Slack is unreachable, the outbox's retries included", async () => {
    // Nothing listens on port 9: every Slack call fails, auth.test's and the card's alike.
    const port = await freePort();
    const token = "process-test-token-0123456789";
    const bot = startBot({
      SWITCHBOARD_CONFIG: "switchboard.example.yaml",
      SLACK_BOT_TOKEN: "xoxb-unreachable",
      SLACK_SIGNING_SECRET: "process-test-secret",
      SLACK_API_URL: "http://127.0.0.1:9/api/",
      INTAKE_TOKENS: token,
      DATA_DIR: join(dir, "unreachable"),
      LOG_LEVEL: "warn",
      PORT: String(port),
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await eventually(async () => (await fetch(`${url}/healthz`)).ok, "the bot to start", 60_000);
      const res = await fetch(`${url}/api/v1/complaints`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ source: "twitter", externalId: "u-1", text: "lost my bag" }),
      });
      expect(res.status).toBe(202);
      await eventually(() => bot.output().includes('"outbox.retry"'), "the card's first retry");
      const lines = bot
        .output()
        .split("\n")
        .filter((line) => line.trim() !== "");
      const notJson = lines.filter((line) => {
        try {
          JSON.parse(line);
          return false;
        } catch {
          return true;
        }
      });
      expect(notJson).toEqual([]);
    } finally {
      bot.child.kill("SIGKILL");
      await bot.exited;
    }
  }, 90_000);

  describe("with the example config and the embedded database", () => {
    let double: SlackDouble;
    let first: ReturnType<typeof startBot>;
    let url: string;
    const token = "process-test-token-0123456789";
    const env = () => ({
      SWITCHBOARD_CONFIG: "switchboard.example.yaml",
      SLACK_BOT_TOKEN: double.config.botToken,
      SLACK_SIGNING_SECRET: "process-test-secret",
      SLACK_API_URL: double.apiUrl,
      INTAKE_TOKENS: token,
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "warn",
    });

    beforeAll(async () => {
      const names = ["service", "bookings", "operations", "baggage", "product", "pr"];
      double = await startSlackDouble({
        ...switchboardApp(),
        channels: names.map((n, i) => ({ id: `C0P${i}`, name: `sb-${n}` })),
      });
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      first = startBot({ ...env(), PORT: String(port) });
      await eventually(async () => (await fetch(`${url}/healthz`)).ok, "the bot to start", 60_000);
    }, 90_000);
    afterAll(async () => {
      first.child.kill("SIGKILL");
      await double.stop();
    });

    it("takes a complaint and posts its card in the channel named in the config", async () => {
      const res = await fetch(`${url}/api/v1/complaints`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          source: "twitter",
          externalId: "p-1",
          text: "My suitcase arrived damaged",
        }),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ department: "baggage" });
      await eventually(() => double.messages("C0P3").length === 1, "the card in #sb-baggage");
      expect(double.problems).toEqual([]);
    });

    it("refuses a second process on the same embedded database with a clear error", async () => {
      const second = startBot({ ...env(), PORT: String(await freePort()) });
      expect(await second.exited).toBe(2);
      expect(second.output()).toMatch(/already in use by process \d+/);
    }, 60_000);

    it("stops cleanly on SIGTERM", async () => {
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
    });
  });
});
