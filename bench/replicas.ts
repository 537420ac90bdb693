/**
 * Replicas: `npm run bench -- replicas`.
 *
 * One, two and four bot processes on one PostgreSQL (each with its timer job and outbox
 * worker), the Slack double's limits lifted, a fresh database each time:
 *  - intake spread over them by autocannon (another process), 16 connections for RUN_S s:
 *    complaints per second;
 *  - then 40 P1 complaints with windows of seconds (claim 6 s, first response 12 s,
 *    resolution 18 s) filed one every ~400 ms round-robin: 360 timers fall due while the
 *    replicas' sweeps compete for them. How late each was marked fired and each nudge reached
 *    the double, and whether any nudge or card was sent twice;
 *  - what PostgreSQL itself counted meanwhile (transactions, rows written, WAL), and what
 *    idle replicas cost it (statements a second from polling), for the arithmetic of where a
 *    larger deployment saturates (README "Performance").
 */
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { loadWorkspaceConfig } from "../src/config/load-workspace.ts";
import type { DatabaseHandle } from "../src/db/client.ts";
import { OUTBOX_KINDS } from "../src/services/outbox-kinds.ts";
import type { SlackDouble } from "../src/slack-double/index.ts";
import { startWorkspaceDouble, UNLIMITED_RATE } from "./support/bot.ts";
import { type BotProcess, startBotProcess } from "./support/bot-process.ts";
import { isEntryPoint, runAsScript, Scope } from "./support/lifecycle.ts";
import { runLoad } from "./support/load.ts";
import { CpuWindow } from "./support/machine.ts";
import { createBenchDatabase, describeServer, startBenchPostgres } from "./support/postgres.ts";
import { writeResults } from "./support/results.ts";
import { count, ms, percentile, table } from "./support/stats.ts";
import { writeStormWorkspace } from "./support/storm-workspace.ts";
import { WireCounter } from "./support/wire-counter.ts";

const REPLICAS = [1, 2, 4];
const RUN_S = 15;
const LATE_COMPLAINTS = 40;
const LATE_INTERVAL_MS = 400;
const IDLE_S = 10;
const TIMEOUT_MS = 10 * 60_000;

export async function main(): Promise<void> {
  const scope = new Scope();
  const temp = scope.tempDir("replicas");
  try {
    const pg = await startBenchPostgres(scope);
    const server = await describeServer(pg.url);
    const workspaceFile = writeStormWorkspace(temp, {
      departments: 3,
      p1: { claim: "6s", firstResponse: "12s", resolution: "18s" },
    });
    const workspace = loadWorkspaceConfig(workspaceFile);
    console.log(
      `Replicas on one PostgreSQL (${server.version}): intake spread over them (autocannon, 16 ` +
        `connections, ${RUN_S} s), then ${LATE_COMPLAINTS} P1 complaints whose 360 timers fall due ` +
        "while the replicas sweep.\n",
    );
    const rows = [];
    for (const n of REPLICAS) {
      const inner = new Scope();
      try {
        const double = await startWorkspaceDouble(inner, workspace, UNLIMITED_RATE);
        const db = await createBenchDatabase(inner, pg.url, `replicas${n}`, 2);
        const { counter, url } = await WireCounter.start(db.url);
        inner.defer(counter, "wire counter", (c) => c.stop());
        const bots: BotProcess[] = [];
        for (let i = 0; i < n; i++) {
          bots.push(
            await startBotProcess(inner, {
              databaseUrl: url,
              slackApiUrl: double.apiUrl,
              slackBotToken: double.config.botToken,
              workspaceFile,
              logFile: join(temp, `bot-${n}-${i}.log`),
            }),
          );
        }
        rows.push({ replicas: n, ...(await measure(db, double, bots, counter)) });
        const r = rows[rows.length - 1];
        console.log(
          `${n} replica(s): ${count(r?.perSecond ?? 0)} complaints/s; fired p99 ${ms(r?.firedP99Ms ?? Number.NaN)}, ` +
            `nudge in Slack p99 ${ms(r?.deliveredP99Ms ?? Number.NaN)}; duplicates ${r?.duplicateNudges}/${r?.duplicateCards}`,
        );
      } finally {
        await inner.close();
      }
    }
    console.log();
    console.log(
      table([
        [
          "replicas",
          "complaints/s",
          "p99 request",
          "cards queued, drained",
          "fired late p50/p99",
          "nudge in Slack p50/p99",
          "nudges",
          "sent twice",
          "cards twice",
          "PG xact/complaint",
          "WAL/complaint",
          "idle statements/s",
        ],
        ...rows.map((r) => [
          String(r.replicas),
          count(r.perSecond),
          ms(r.requestP99Ms),
          `${count(r.backlog)} at ${count(r.drainPerSecond)}/s`,
          `${ms(r.firedP50Ms)} / ${ms(r.firedP99Ms)}`,
          `${ms(r.deliveredP50Ms)} / ${ms(r.deliveredP99Ms)}`,
          count(r.nudges),
          String(r.duplicateNudges),
          String(r.duplicateCards),
          r.xactPerComplaint.toFixed(1),
          `${(r.walBytesPerComplaint / 1024).toFixed(1)} kB`,
          r.idleStatementsPerSecond.toFixed(1),
        ]),
      ]),
    );
    writeResults("replicas", rows, server.version);
  } finally {
    await scope.close();
  }
}

async function measure(
  db: DatabaseHandle,
  double: SlackDouble,
  bots: BotProcess[],
  counter: WireCounter,
) {
  await sleep(2_000);
  counter.reset();
  await sleep(IDLE_S * 1000);
  const idleStatementsPerSecond = counter.counts.statements / IDLE_S;
  const before = await pgStats(db);
  const cpu = new CpuWindow(bots.map((b) => b.cpuMs));
  counter.reset();
  const load = await runLoadPerBot(bots, RUN_S);
  const intakeCounts = counter.counts;
  const after = await pgStats(db);
  cpu.end();
  // The cards still queued go out first (each channel in order): the lateness below is the
  // sweeps', not a backlog's. How fast the replicas drain it is a figure too.
  const drainStarted = Date.now();
  const backlog = await pendingItems(db);
  await waitForNudges(db);
  const drainS = (Date.now() - drainStarted) / 1000;
  // Lateness: P1 complaints round-robin over the replicas, timers falling due under their sweeps.
  const prefix = "late-";
  for (let i = 0; i < LATE_COMPLAINTS; i++) {
    const bot = bots[i % bots.length] as BotProcess;
    const tick = sleep(LATE_INTERVAL_MS * (0.5 + Math.random()));
    const res = await fetch(`${bot.url}/api/v1/complaints`, {
      method: "POST",
      headers: { authorization: `Bearer ${bot.intakeToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        source: "twitter",
        externalId: `${prefix}${i}`,
        text: `injured dept${i % 3}: the seat collapsed (${i})`,
      }),
    });
    if (res.status !== 202) throw new Error(`intake answered ${res.status}`);
    await tick;
  }
  await waitForNudges(db);
  const late = await readLateness(db);
  const duplicates = checkOnce(double, await deliveredPosts(db));
  const complaints = load.complaints;
  return {
    perSecond: complaints / load.seconds,
    requestP99Ms: load.p99,
    complaintsFiled: complaints,
    statementsPerComplaint: intakeCounts.statements / Math.max(1, complaints),
    xactPerComplaint: (after.xact - before.xact) / Math.max(1, complaints),
    rowsWrittenPerComplaint: (after.written - before.written) / Math.max(1, complaints),
    walBytesPerComplaint: (after.wal - before.wal) / Math.max(1, complaints),
    idleStatementsPerSecond,
    backlog,
    drainPerSecond: backlog / Math.max(0.001, drainS),
    ...late,
    ...duplicates,
  };
}

/** Each replica gets its own autocannon (its own token), 16 connections in all. */
async function runLoadPerBot(bots: BotProcess[], seconds: number) {
  const results = await Promise.all(
    bots.map((bot, i) =>
      runLoad({
        targets: [bot.url],
        token: bot.intakeToken,
        path: "/api/v1/complaints",
        connections: Math.max(1, Math.floor(16 / bots.length)),
        durationS: seconds,
        prefix: `load-${i}-`,
      }),
    ),
  );
  return {
    complaints: results.reduce((a, r) => a + r.complaints, 0),
    seconds: Math.max(...results.map((r) => r.seconds)),
    p99: Math.max(...results.map((r) => r.p99)),
  };
}

async function pendingItems(db: DatabaseHandle): Promise<number> {
  const [row] = await db.query<{ n: string }>(
    sql`SELECT count(*) AS n FROM outbox WHERE status = 'pending'`,
  );
  return Number(row?.n ?? 0);
}

async function pgStats(db: DatabaseHandle) {
  const [row] = await db.query<{ xact: string; written: string; wal: string }>(sql`
    SELECT xact_commit + xact_rollback AS xact, tup_inserted + tup_updated + tup_deleted AS written,
           pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal
    FROM pg_stat_database WHERE datname = current_database()`);
  return { xact: Number(row?.xact), written: Number(row?.written), wal: Number(row?.wal) };
}

const lateTimers = sql`SELECT t.* FROM timers t JOIN threads th ON th.id::text = t.subject_id
  WHERE th.conversation_key LIKE 'late-%' AND t.step <> 'escalation'`;

async function waitForNudges(db: DatabaseHandle) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const [row] = await db.query<{ timers: string; pending: string }>(sql`
      SELECT (SELECT count(*) FROM (${lateTimers}) t WHERE t.status = 'pending') AS timers,
             (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending`);
    if (Number(row?.timers) === 0 && Number(row?.pending) === 0) return;
    if (Date.now() > deadline) throw new Error(`nudges not done: ${JSON.stringify(row)}`);
    await sleep(250);
  }
}

async function readLateness(db: DatabaseHandle) {
  const timers = await db.query<{ late: string }>(sql`
    SELECT extract(epoch FROM fired_at - fire_at) * 1000 AS late FROM (${lateTimers}) t`);
  const nudges = await db.query<{ late: string }>(sql`
    SELECT extract(epoch FROM o.delivered_at - t.fire_at) * 1000 AS late
    FROM (${lateTimers}) t JOIN outbox o ON o.kind = ${OUTBOX_KINDS.nudge}
      AND split_part(o.dedupe_key, ':', 2) = t.id::text`);
  const fired = timers.map((t) => Number(t.late));
  const delivered = nudges.map((n) => Number(n.late));
  return {
    timers: timers.length,
    nudges: nudges.length,
    firedP50Ms: percentile(fired, 50),
    firedP99Ms: percentile(fired, 99),
    deliveredP50Ms: percentile(delivered, 50),
    deliveredP99Ms: percentile(delivered, 99),
  };
}

async function deliveredPosts(db: DatabaseHandle) {
  const [row] = await db.query<{ cards: string; nudges: string }>(sql`
    SELECT count(*) FILTER (WHERE kind = ${OUTBOX_KINDS.postCard}) AS cards,
           count(*) FILTER (WHERE kind = ${OUTBOX_KINDS.nudge}) AS nudges
    FROM outbox WHERE status = 'delivered'`);
  return { cards: Number(row?.cards), nudges: Number(row?.nudges) };
}

/**
 * Sent twice: Slack accepted more card posts, or more other posts (nudges), than the outbox
 * delivered rows of those kinds: one row, one call, whichever replica sent it.
 */
function checkOnce(double: SlackDouble, rows: { cards: number; nudges: number }) {
  const posts = double
    .callsTo("chat.postMessage")
    .filter((c) => c.status === 200 && c.response?.ok === true);
  const cards = posts.filter(
    (c) =>
      !c.args.thread_ts &&
      String(c.args.channel).startsWith("C0STORM") &&
      !String(c.args.channel).includes("EXEC"),
  );
  return {
    duplicateCards: cards.length - rows.cards,
    duplicateNudges: posts.length - cards.length - rows.nudges,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (isEntryPoint(import.meta.url)) await runAsScript(main);
