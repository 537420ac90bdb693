import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GENEROUS_RATE_LIMITS,
  type SlackDouble,
  startSlackDouble,
} from "../../src/slack-double/index.ts";
import { freePort, startBot } from "../helpers/bot-process.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";

/** SLA windows of seconds, so real timers fall due while the test watches. */
const CONFIG = `
departments:
  - { key: service, name: Service, channel: C0SVC, leads: [U0LEAD] }
routing: { default: service, rules: [] }
sla:
  P1: { firstResponse: 1h }
  P2: { firstResponse: 1h }
  P3: { claim: 2s, firstResponse: 4s }
  P4: { firstResponse: 1h }
escalation:
  warnings: [{ at: 50%, notify: thread }]
  breach: { notify: leads }
  escalate: []
`;

const dir = mkdtempSync(join(tmpdir(), "switchboard-two-"));
let double: SlackDouble;
let db: TestDatabase;
let bots: Array<ReturnType<typeof startBot>> = [];

beforeAll(async () => {
  double = await startSlackDouble({
    channels: [{ id: "C0SVC", name: "sb-service" }],
    users: [{ id: "U0LEAD", name: "lead" }],
    rateLimits: GENEROUS_RATE_LIMITS,
  });
  db = await createTestDatabase();
  writeFileSync(join(dir, "switchboard.yaml"), CONFIG);
});
afterAll(async () => {
  for (const bot of bots) bot.child.kill("SIGKILL");
  await db.destroy();
  await double.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("two bot processes on one PostgreSQL", () => {
  it("send every nudge exactly once", async () => {
    const ports = [await freePort(), await freePort()];
    const token = "two-processes-token-0123456789";
    bots = ports.map((port) =>
      startBot({
        SWITCHBOARD_CONFIG: join(dir, "switchboard.yaml"),
        DATABASE_URL: db.url,
        SLACK_BOT_TOKEN: double.config.botToken,
        SLACK_SIGNING_SECRET: "two-processes-secret",
        SLACK_API_URL: double.apiUrl,
        INTAKE_TOKENS: token,
        PORT: String(port),
        LOG_LEVEL: "warn",
      }),
    );
    for (const port of ports) {
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
        "both bots up",
        60_000,
      );
    }
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`http://127.0.0.1:${ports[i % 2]}/api/v1/complaints`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          source: "twitter",
          externalId: `two-${i}`,
          text: `two processes #${i}#`,
        }),
      });
      expect(res.status).toBe(202);
    }
    // Per thread: claim and first response each give a 50% warning and a breach reply in the
    // thread (4 replies) and a DM to the lead at each breach (2 DMs).
    const replies = () => double.messages("C0SVC").filter((m) => m.threadTs);
    const dms = () => double.messages().filter((m) => m.channel.startsWith("D"));
    await eventually(() => replies().length >= 16 && dms().length >= 8, "every nudge", 30_000);
    // Both bots sweep every second: give them a few more sweeps to send anything twice.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(replies()).toHaveLength(16);
    expect(dms()).toHaveLength(8);
    const cards = double.messages("C0SVC").filter((m) => !m.threadTs);
    expect(cards).toHaveLength(4);
    expect(double.problems).toEqual([]);
  }, 90_000);
});
