/**
 * Bursts of timers: `npm run bench -- burst`.
 *
 * 1,000 and then 10,000 open threads whose claim-clock warning falls due in the same second
 * (every overnight complaint's warning when a calendar opens at 09:00). The real bot, a
 * process of its own with its every-second timer job and its outbox worker, on a real
 * PostgreSQL, the Slack double's limits lifted so the figure is the bot's: how long from that
 * second until the last timer is marked fired, the last nudge is queued, and the last nudge
 * and card update are in Slack. Measured from the database's and the double's own records.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { OUTBOX_KINDS } from "../src/services/outbox-kinds.ts";
import type { SlackDouble } from "../src/slack-double/index.ts";
import { HOUR } from "../tests/helpers/fake-clock.ts";
import { TEST_WORKSPACE_YAML, testWorkspace } from "../tests/helpers/workspace-fixture.ts";
import { startWorkspaceDouble, UNLIMITED_RATE } from "./support/bot.ts";
import { startBotProcess } from "./support/bot-process.ts";
import { isEntryPoint, runAsScript, Scope } from "./support/lifecycle.ts";
import {
  type BenchDatabase,
  createBenchDatabase,
  describeServer,
  startBenchPostgres,
} from "./support/postgres.ts";
import { writeResults } from "./support/results.ts";
import { SEED_TEXTS, ThreadSeeder } from "./support/seed-threads.ts";
import { count, table } from "./support/stats.ts";
import { WireCounter } from "./support/wire-counter.ts";

const SIZES = (process.env.BENCH_BURST_SIZES ?? "1000,10000").split(",").map(Number);
/** The burst falls this long after the bot is up, so it starts idle. */
const LEAD_MS = 8_000;
const TIMEOUT_MS = 15 * 60_000;

interface BurstFigures {
  statementsPerTimer: number;
  roundTripsPerTimer: number;
  transactionsPerTimer: number;
  countedSeconds: number;
  timers: number;
  fired: number;
  nudges: number;
  lastFiredS: number;
  lastQueuedS: number;
  lastNudgeDeliveredS: number;
  lastDeliveredS: number;
  items: number;
  failed: number;
}

export async function main(): Promise<void> {
  const scope = new Scope();
  const temp = scope.tempDir("burst");
  try {
    const pg = await startBenchPostgres(scope);
    const server = await describeServer(pg.url);
    const workspaceFile = join(temp, "workspace.yaml");
    writeFileSync(workspaceFile, TEST_WORKSPACE_YAML);
    const results: Array<BurstFigures & { size: number }> = [];
    console.log(
      "Timer bursts: open threads whose claim warning falls due in the same second; the real bot " +
        "(own process, timer job every second, outbox worker), Slack's limits lifted.\n",
    );
    for (const size of SIZES)
      results.push({ size, ...(await burst(pg.url, workspaceFile, temp, size)) });
    console.log(
      table([
        [
          "due in the same second",
          "fired",
          "nudges",
          "all fired (seen)",
          "all nudges queued (seen)",
          "last nudge in Slack",
          "everything in Slack",
          "items",
          "failed",
          "statements/timer",
        ],
        ...results.map((r) => [
          count(r.size),
          count(r.fired),
          count(r.nudges),
          `${r.lastFiredS.toFixed(1)} s`,
          `${r.lastQueuedS.toFixed(1)} s`,
          `${r.lastNudgeDeliveredS.toFixed(1)} s`,
          `${r.lastDeliveredS.toFixed(1)} s`,
          count(r.items),
          count(r.failed),
          r.statementsPerTimer.toFixed(1),
        ]),
      ]),
    );
    console.log(
      "(seconds after the due second; 'items' counts nudges and card updates delivered. Under Slack's real " +
        "limits the same nudges need at least (nudges per channel − 4) seconds per channel.)",
    );
    writeResults("timerBurst", results, server.version);
  } finally {
    await scope.close();
  }
}

async function burst(
  serverUrl: string,
  workspaceFile: string,
  temp: string,
  size: number,
): Promise<BurstFigures> {
  const scope = new Scope();
  try {
    const workspace = testWorkspace();
    const db = await createBenchDatabase(scope, serverUrl, `burst${size}`, 4);
    const double = await startWorkspaceDouble(scope, workspace, UNLIMITED_RATE);
    // P4's claim window is 4 h: its 50% warning falls 2 h after opening, at dueAt for all.
    const dueAt = new Date(Math.ceil((Date.now() + LEAD_MS + 20_000 + 6 * size) / 1000) * 1000);
    const seeder = new ThreadSeeder(db.url, workspace);
    try {
      await seeder.addOpenThreads({
        count: size,
        openedAt: () => new Date(dueAt.getTime() - 2 * HOUR),
        priority: () => "P4",
        text: (i) => (i % 2 === 0 ? SEED_TEXTS.service : SEED_TEXTS.pr),
      });
    } finally {
      await seeder.close();
    }
    await postCards(db, double);
    await db.query(sql`VACUUM ANALYZE`);
    const [due] = await db.query<{ n: string }>(
      sql`SELECT count(*) AS n FROM timers WHERE status = 'pending' AND fire_at = ${dueAt.toISOString()}`,
    );
    const timers = Number(due?.n ?? 0);
    // Everything the bot sends PostgreSQL goes through a counter: statements per fired timer.
    const { counter, url } = await WireCounter.start(db.url);
    scope.defer(counter, "wire counter", (c) => c.stop());
    const bot = await startBotProcess(scope, {
      databaseUrl: url,
      slackApiUrl: double.apiUrl,
      slackBotToken: double.config.botToken,
      workspaceFile,
      logFile: join(temp, `bot-${size}.log`),
    });
    const wait = dueAt.getTime() - Date.now();
    console.log(
      `${count(size)} threads, ${count(timers)} timers due at one second, ${(wait / 1000).toFixed(0)} s from now…`,
    );
    if (wait < 0) throw new Error("seeding took longer than the lead: the burst was already due");
    await new Promise((r) => setTimeout(r, Math.max(0, wait - 500)));
    counter.reset();
    const started = Date.now();
    const seen = await waitFor(db, dueAt, timers);
    const { statements, roundTrips, transactions } = counter.counts;
    const seconds = (Date.now() - started) / 1000;
    const figures = await read(db, dueAt, seen);
    await bot.stop();
    return {
      timers,
      ...figures,
      // Firing, queueing and delivering (the nudge and the card update), idle polling included.
      statementsPerTimer: statements / Math.max(1, timers),
      roundTripsPerTimer: roundTrips / Math.max(1, timers),
      transactionsPerTimer: transactions / Math.max(1, timers),
      countedSeconds: seconds,
    };
  } finally {
    await scope.close();
  }
}

/** Posts each seeded thread's card in the double (as the bot would have), recording its ts. */
async function postCards(db: BenchDatabase, double: SlackDouble): Promise<void> {
  const threads = await db.query<{ id: string; channel: string }>(
    sql`SELECT id, slack_channel AS channel FROM threads`,
  );
  const ids: string[] = [];
  const stamps: string[] = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < threads.length; i = next++) {
      const t = threads[i] as { id: string; channel: string };
      const res = await fetch(`${double.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${double.config.botToken}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ channel: t.channel, text: `card ${t.id}` }),
      });
      const json = (await res.json()) as { ok: boolean; ts?: string; error?: string };
      if (!json.ok || !json.ts) throw new Error(`seeding a card: ${json.error}`);
      ids.push(t.id);
      stamps.push(json.ts);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  await db.query(sql`
    UPDATE threads SET slack_ts = v.ts, slack_surface = 'card'
    FROM unnest(${`{${ids.join(",")}}`}::uuid[], ${`{${stamps.join(",")}}`}::text[]) AS v(id, ts)
    WHERE threads.id = v.id`);
}

/**
 * Polls every 100 ms until every timer fired and everything queued was delivered, noting
 * when the last timer was seen fired and the last nudge seen queued (committed). The rows'
 * own times cannot say: a sweep stamps fired_at and created_at with its start.
 */
async function waitFor(db: BenchDatabase, dueAt: Date, timers: number) {
  const deadline = Date.now() + TIMEOUT_MS;
  let firedSeen = Number.NaN;
  let queuedSeen = Number.NaN;
  for (;;) {
    const [row] = await db.query<{ fired: string; nudges: string; pending: string }>(sql`
      SELECT (SELECT count(*) FROM timers WHERE fire_at = ${dueAt.toISOString()} AND status = 'fired') AS fired,
             (SELECT count(*) FROM outbox WHERE kind = ${OUTBOX_KINDS.nudge}) AS nudges,
             (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending`);
    const now = Date.now();
    if (Number.isNaN(firedSeen) && Number(row?.fired) >= timers) firedSeen = now;
    if (Number.isNaN(queuedSeen) && Number(row?.nudges) >= timers) queuedSeen = now;
    if (!Number.isNaN(firedSeen) && !Number.isNaN(queuedSeen) && Number(row?.pending) === 0) break;
    if (now > deadline)
      throw new Error(`burst not done after ${TIMEOUT_MS} ms: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { firedSeen, queuedSeen };
}

async function read(
  db: BenchDatabase,
  dueAt: Date,
  seen: { firedSeen: number; queuedSeen: number },
) {
  const due = dueAt.getTime();
  const [t] = await db.query<{ n: string }>(sql`
    SELECT count(*) AS n FROM timers WHERE fire_at = ${dueAt.toISOString()} AND status = 'fired'`);
  const [n] = await db.query<{ n: string; delivered: string }>(sql`
    SELECT count(*) AS n, extract(epoch FROM max(delivered_at)) * 1000 AS delivered
    FROM outbox WHERE kind = ${OUTBOX_KINDS.nudge}`);
  const [all] = await db.query<{ n: string; delivered: string; failed: string }>(sql`
    SELECT count(*) FILTER (WHERE status = 'delivered') AS n,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           extract(epoch FROM max(delivered_at)) * 1000 AS delivered FROM outbox`);
  const after = (at: string | number | undefined) => (Number(at) - due) / 1000;
  return {
    fired: Number(t?.n ?? 0),
    nudges: Number(n?.n ?? 0),
    lastFiredS: after(seen.firedSeen),
    lastQueuedS: after(seen.queuedSeen),
    lastNudgeDeliveredS: after(n?.delivered),
    lastDeliveredS: after(all?.delivered),
    items: Number(all?.n ?? 0),
    failed: Number(all?.failed ?? 0),
  };
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
