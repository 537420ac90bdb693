import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli-process.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import {
  addressesOf,
  pageSnapshot,
  spawnSandbox,
  stopSandbox,
} from "../helpers/sandbox-process.ts";
import { createTestDatabase } from "../helpers/test-database.ts";

/** `npm run sandbox` as a person runs it: what it prints, what it refuses, what it keeps. */

const dir = mkdtempSync(join(tmpdir(), "switchboard-sandbox-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BEN = "U0SBBAG001";
const BAGGAGE = "C0SBBAGGAGE";
const TOKEN = "sandbox-intake-token-0000";

/** stderr as lines, without empty ones. */
function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "");
}

async function postComplaint(bot: string, body: Record<string, unknown>) {
  const res = await fetch(`${bot}/api/v1/complaints`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  return res.json();
}

describe("npm run sandbox --help", () => {
  it("gives the page's default port, clear of npm start's 3000, and the intake API's", async () => {
    const p = spawnSandbox({ DATA_DIR: join(dir, "help") }, ["--help"]);
    expect(await p.exited).toBe(0);
    expect(p.stdout()).toContain(
      "PORT                the page's port (default 3030, at most 65534); the bot's intake API uses the next one (default 3031)",
    );
  });
});

describe("npm run sandbox refuses to start, with exit code 2,", () => {
  it("listing every mistake in its config, each with its file, line, key and fix", async () => {
    // The sandbox's own file, with a roll-up time that is neither "HH:MM" nor cron fields,
    // and a P1 claim window with its unit in words.
    const bad = join(dir, "bad.yaml");
    const text = readFileSync("sandbox/switchboard.yaml", "utf8");
    const lineOf = (s: string) => text.split("\n").findIndex((l) => l.includes(s)) + 1;
    writeFileSync(
      bad,
      text
        .replace('at: "*/5 * * * *"', 'at: "5pm"')
        .replace("P1: { claim: 1m,", "P1: { claim: 1 minute,"),
    );
    const p = spawnSandbox({ SWITCHBOARD_CONFIG: bad, DATA_DIR: join(dir, "bad") });
    expect(await p.exited).toBe(2);
    const said = p.stderr();
    expect(said).toContain("Cannot start the sandbox: its configuration needs fixing.");
    expect(said).toContain(`Invalid configuration in ${bad} (2 problems):`);
    expect(said).toMatch(
      new RegExp(
        `${bad}:${lineOf("P1: { claim")}:\\d+  sla\\.P1\\.claim\\n.*"1 minute" is not a duration \\(did you mean "1m"\\?\\)`,
      ),
    );
    expect(said).toMatch(
      new RegExp(`${bad}:${lineOf('at: "*/5')}:\\d+  kinds\\.profiles\\.other\\.at\\n.*"5pm"`),
    );
    expect(said).toContain("Example:");
    expect(said).not.toContain("more problem");
  });

  it("listing the first ten of many mistakes, and all of them with --all-problems", async () => {
    const bad = join(dir, "many.yaml");
    const text = readFileSync("sandbox/switchboard.yaml", "utf8");
    const unknown = Array.from({ length: 12 }, (_, i) => `mistake${i + 1}: true`);
    writeFileSync(bad, `${text}\n${unknown.join("\n")}\n`);
    const env = { SWITCHBOARD_CONFIG: bad, DATA_DIR: join(dir, "many") };
    const shown = (said: string) => said.match(/Unknown key "mistake\d+"/g) ?? [];
    const first = spawnSandbox(env);
    expect(await first.exited).toBe(2);
    expect(first.stderr()).toContain(`Invalid configuration in ${bad} (12 problems):`);
    expect(shown(first.stderr())).toHaveLength(10);
    expect(first.stderr()).toContain(
      "…and 2 more problems: run npm run sandbox -- --all-problems to list them all.",
    );
    const all = spawnSandbox(env, ["--all-problems"]);
    expect(await all.exited).toBe(2);
    expect(shown(all.stderr())).toHaveLength(12);
    expect(all.stderr()).not.toContain("more problem");
  });

  it("when PORT leaves no port for the bot's intake API", async () => {
    const p = spawnSandbox({ PORT: "65535", DATA_DIR: join(dir, "last-port") });
    expect(await p.exited).toBe(2);
    expect(lines(p.stderr())).toEqual([
      "Cannot start the sandbox: PORT 65535 leaves no port for the bot's intake API, which takes the next one (65536 does not exist); use 65534 or lower, such as 3030 (0 picks free ports)",
    ]);
  });

  it("when DATABASE_URL is not PostgreSQL, or its server cannot be reached", async () => {
    const wrong = spawnSandbox({
      DATABASE_URL: "mysql://db.example/x",
      DATA_DIR: join(dir, "db1"),
    });
    expect(await wrong.exited).toBe(2);
    expect(lines(wrong.stderr())).toEqual([
      expect.stringMatching(
        /^Cannot start the sandbox: DATABASE_URL uses the scheme "mysql:".*or unset to use the embedded database in DATA_DIR\.$/,
      ),
    ]);
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const down = spawnSandbox({
      DATABASE_URL: `postgres://sandbox:secret-pw@127.0.0.1:${closed}/sandbox`,
      DATA_DIR: join(dir, "db2"),
    });
    expect(await down.exited).toBe(2);
    expect(lines(down.stderr())).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Cannot start the sandbox: Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${closed} \\(DATABASE_URL\\)`,
        ),
      ),
    ]);
    expect(down.stderr()).not.toContain("secret-pw");
  }, 60_000);

  it("when its config names a person the pretend workspace does not have, creating nothing", async () => {
    const config = join(dir, "lead-typo.yaml");
    const layer = readFileSync("sandbox/switchboard.yaml", "utf8");
    writeFileSync(config, layer.replaceAll("U0SBLEAD01", "U0SBLEAD02"));
    const dataDir = join(dir, "lead-typo");
    const p = spawnSandbox({ SWITCHBOARD_CONFIG: config, DATA_DIR: dataDir });
    expect(await p.exited).toBe(2);
    expect(lines(p.stderr())).toEqual([
      `Cannot start the sandbox: ${config} (with the rules of switchboard.example.yaml) names person U0SBLEAD02 (department service's leads, department bookings's leads, department operations's leads, department baggage's leads, department cabin's leads, department pr's leads), who is not among the people of sandbox/slack-workspace.yaml; add them there, or correct the ID`,
    ]);
    expect(existsSync(dataDir)).toBe(false);
  });

  // DATA_DIR still set for npm start: the sandbox would deliver the bot's queued messages to
  // its stand-in for Slack, and --reset would delete the bot's database.
  it.each([[[]], [["--reset"]]])(
    "when DATA_DIR holds a database it did not make, touching nothing (args %j)",
    async (args) => {
      const dataDir = join(dir, `bots-data-${args.length}`);
      // What PGlite looks for to tell a database from an empty folder.
      mkdirSync(join(dataDir, "pglite"), { recursive: true });
      writeFileSync(join(dataDir, "pglite/PG_VERSION"), "17\n");
      const p = spawnSandbox({ DATA_DIR: dataDir }, args);
      expect(await p.exited).toBe(2);
      expect(lines(p.stderr())).toEqual([
        `Cannot start the sandbox: DATA_DIR ${dataDir} holds a database the sandbox did not make (no slack-workspace.json beside it), such as your bot's if DATA_DIR is set for npm start; the sandbox would deliver its queued Slack messages to its stand-in for Slack. Unset DATA_DIR (the sandbox's default is ./data/sandbox) or set it to a folder of its own; if it is an old sandbox's whose slack-workspace.json was deleted, delete ${dataDir}/pglite to start afresh`,
      ]);
      expect(readdirSync(dataDir)).toEqual(["pglite"]);
      expect(readdirSync(join(dataDir, "pglite"))).toEqual(["PG_VERSION"]);
    },
  );

  // DATABASE_URL still exported for npm start: the sandbox would run as one more bot on it.
  it("when DATABASE_URL's database holds threads and DATA_DIR no sandbox workspace", async () => {
    const db = await createTestDatabase();
    try {
      await db.db.execute(
        sql`insert into threads (source, conversation_key, department, priority, routing_reason, priority_reasons, opened_at, updated_at)
            values ('twitter', 'bots-own', 'baggage', 'P3', 'rule bags', '[]'::jsonb, now(), now())`,
      );
      const dataDir = join(dir, "bots-postgres");
      const p = spawnSandbox({ DATABASE_URL: db.url, DATA_DIR: dataDir });
      expect(await p.exited).toBe(2);
      expect(lines(p.stderr())).toEqual([
        `Cannot start the sandbox: the database in DATABASE_URL already holds 1 thread and ${dataDir}/slack-workspace.json has no sandbox workspace for them: it may be your bot's, if DATABASE_URL is set for npm start; the sandbox would deliver its queued Slack messages to its stand-in for Slack. Unset DATABASE_URL (the sandbox then keeps an embedded database in DATA_DIR) or give the sandbox an empty database of its own`,
      ]);
      expect(existsSync(join(dataDir, "slack-workspace.json"))).toBe(false);
    } finally {
      await db.destroy();
    }
  }, 60_000);

  it("when its port is in use, suggesting a PORT whose next port is free too", async () => {
    // Another sandbox: its page on one port, its intake API on the next.
    const listen = async (port: number) => {
      const server = createServer().listen(port, "127.0.0.1");
      await new Promise((resolve, reject) => {
        server.once("listening", resolve);
        server.once("error", reject);
      });
      return server;
    };
    const page = await listen(0);
    const port = (page.address() as { port: number }).port;
    const intake = await listen(port + 1);
    try {
      const p = spawnSandbox({ PORT: String(port), DATA_DIR: join(dir, "port") });
      expect(await p.exited).toBe(2);
      expect(lines(p.stderr())).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Cannot start the sandbox: port ${port} is in use \\(another sandbox, or another program\\)\\. Stop it, or choose another port: PORT=\\d+ npm run sandbox$`,
          ),
        ),
      ]);
      // The suggestion works: both of its ports are free.
      const suggested = Number(/PORT=(\d+)/.exec(p.stderr())?.[1]);
      expect(suggested).toBeGreaterThan(port + 1);
      for (const free of [suggested, suggested + 1]) (await listen(free)).close();
    } finally {
      page.close();
      intake.close();
    }
  });
});

describe("npm run sandbox", () => {
  const dataDir = join(dir, "data");

  it("prints where to open it, keeps its workspace across a restart, refuses a second run on the same data, and --reset starts afresh", async () => {
    const first = spawnSandbox({ DATA_DIR: dataDir });
    try {
      const { page, bot } = await addressesOf(first);
      expect(first.stdout()).toContain("A new, empty workspace");
      expect(first.stdout()).toContain(
        `curl -sS ${bot}/api/v1/complaints -H "Authorization: Bearer ${TOKEN}"`,
      );
      expect(await (await fetch(page)).text()).toContain("<title>Switchboard sandbox</title>");

      // A second sandbox on the same data folder would corrupt it.
      const second = spawnSandbox({ DATA_DIR: dataDir });
      expect(await second.exited).toBe(2);
      expect(lines(second.stderr())).toHaveLength(1);
      expect(second.stderr()).toMatch(
        /its data folder .* is in use by process \d+ \(another npm run sandbox\?\)/,
      );

      await postComplaint(bot, {
        source: "twitter",
        externalId: "p-1",
        conversationId: "conv-1",
        text: "My suitcase arrived damaged",
        author: { handle: "jane" },
      });
      const card = await eventually(async () => {
        const s = await pageSnapshot(page, BEN);
        return s.messages.find(
          (m) => m.channel === BAGGAGE && m.text.includes("My suitcase arrived damaged"),
        );
      }, "the card on the page");
      const claim = await fetch(`${page}/api/act/button`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ as: BEN, channel: BAGGAGE, ts: card.ts, actionId: "thread.claim" }),
      });
      expect(await claim.json()).toMatchObject({ ok: true, status: 200 });
      await eventually(async () => {
        const s = await pageSnapshot(page, BEN);
        return s.messages.find((m) => m.ts === card.ts)?.html.includes("Claimed");
      }, "the claimed card");
      expect(await stopSandbox(first)).toBe(0);

      const again = spawnSandbox({ DATA_DIR: dataDir });
      try {
        const restarted = await addressesOf(again);
        expect(again.stdout()).toContain("The workspace of your last run is back");
        const before = await pageSnapshot(restarted.page, BEN);
        expect(before.messages.find((m) => m.ts === card.ts)?.html).toContain("Claimed");
        await postComplaint(restarted.bot, {
          source: "twitter",
          externalId: "p-2",
          conversationId: "conv-1",
          text: "Still waiting for the repair form",
          author: { handle: "jane" },
        });
        const reply = await eventually(async () => {
          const s = await pageSnapshot(restarted.page, BEN);
          return s.messages.find((m) => m.text.includes("Still waiting for the repair form"));
        }, "the follow-up on the page");
        expect(reply).toMatchObject({ channel: BAGGAGE, threadTs: card.ts });
        const health = await (await fetch(`${restarted.bot}/healthz`)).json();
        expect(health).toMatchObject({ status: "ok", slackDelivery: { failed: 0 } });
      } finally {
        expect(await stopSandbox(again)).toBe(0);
      }

      const reset = spawnSandbox({ DATA_DIR: dataDir }, ["--reset"]);
      try {
        const fresh = await addressesOf(reset);
        expect(reset.stdout()).toContain("A new, empty workspace");
        expect((await pageSnapshot(fresh.page, BEN)).messages).toEqual([]);
      } finally {
        expect(await stopSandbox(reset)).toBe(0);
      }
    } finally {
      await stopSandbox(first);
    }
  }, 240_000);
});

describe("npm run report on the sandbox's data", () => {
  it("prints the sandbox's SLA figures with the command the sandbox printed", async () => {
    const dataDir = join(dir, "report");
    const sandbox = spawnSandbox({ DATA_DIR: dataDir });
    let command: string | undefined;
    try {
      const { bot } = await addressesOf(sandbox);
      command = /^ {2}(DATA_DIR=.* npm run report -- --sandbox .*)$/m.exec(sandbox.stdout())?.[1];
      await postComplaint(bot, {
        source: "twitter",
        externalId: "r-1",
        text: "You lost my suitcase in Lisbon",
        author: { handle: "jane" },
      });
    } finally {
      expect(await stopSandbox(sandbox)).toBe(0);
    }
    // Run as printed: its settings as the environment, the rest as npm run report's arguments.
    const [, printedDataDir, args] =
      /^DATA_DIR=(\S+) npm run report -- (.*)$/.exec(command ?? "") ?? [];
    expect(printedDataDir).toBe(dataDir);
    const result = await runCli("src/report-cli.ts", (args ?? "").split(" "), {
      DATA_DIR: printedDataDir ?? "",
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const figures = JSON.parse(result.stdout);
    expect(figures.complaints).toBe(1);
    expect(result.stdout).toContain('"baggage"');
  }, 180_000);
});
