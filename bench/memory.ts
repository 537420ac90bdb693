/**
 * Memory: `npm run bench -- memory` (add `--soak` for the 10-minute soak; without it the
 * soak lasts 90 s).
 *
 * Resident memory (VmRSS) of the real bot, a process of its own (timer job, outbox worker,
 * Slack double's limits lifted), on a real PostgreSQL with 1,000 and with 100,000 open
 * threads (1.2 million pending timers): idle after start, and under intake load from
 * autocannon in another process. Then a soak at a steady rate on the 100,000-thread
 * database, sampled every 5 s: does it stay flat? Target: under 250 MB at 100,000.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { TEST_WORKSPACE_YAML, testWorkspace } from "../tests/helpers/workspace-fixture.ts";
import { startWorkspaceDouble, UNLIMITED_RATE } from "./support/bot.ts";
import { type BotProcess, startBotProcess } from "./support/bot-process.ts";
import { isEntryPoint, runAsScript, Scope } from "./support/lifecycle.ts";
import { runLoad } from "./support/load.ts";
import { createBenchDatabase, describeServer, startBenchPostgres } from "./support/postgres.ts";
import { writeResults } from "./support/results.ts";
import { ThreadSeeder } from "./support/seed-threads.ts";
import { count, table } from "./support/stats.ts";

const SIZES = [1_000, 100_000];
const TARGET_MB = 250;
const IDLE_S = 10;
const LOAD_S = 20;
const SOAK_S = process.argv.includes("--soak") ? 600 : 90;
const SOAK_RATE = 40;
const MB = 1024 * 1024;

export async function main(): Promise<void> {
  const scope = new Scope();
  const temp = scope.tempDir("memory");
  try {
    const pg = await startBenchPostgres(scope);
    const server = await describeServer(pg.url);
    const workspaceFile = join(temp, "workspace.yaml");
    writeFileSync(workspaceFile, TEST_WORKSPACE_YAML);
    const workspace = testWorkspace();
    const double = await startWorkspaceDouble(scope, workspace, UNLIMITED_RATE);
    console.log("Memory of the bot process (VmRSS), idle and under intake load; then a soak.\n");
    const rows = [];
    let soak: Awaited<ReturnType<typeof runSoak>> | undefined;
    for (const size of SIZES) {
      const db = await createBenchDatabase(scope, pg.url, `memory${size}`, 2);
      const seeder = new ThreadSeeder(db.url, workspace);
      try {
        await seeder.addOpenThreads({
          count: size,
          openedAt: () => new Date(Date.now() - Math.random() * 10 * 60_000),
          priority: (i) => (i % 5 < 3 ? "P3" : "P4"),
        });
      } finally {
        await seeder.close();
      }
      await db.query(sql`VACUUM ANALYZE`);
      const bot = await startBotProcess(scope, {
        databaseUrl: db.url,
        slackApiUrl: double.apiUrl,
        slackBotToken: double.config.botToken,
        workspaceFile,
        logFile: join(temp, `bot-${size}.log`),
      });
      await sleep(IDLE_S * 1000);
      const idle = bot.rss();
      const sampler = sample(bot, 250);
      const load = await runLoad({
        targets: [bot.url],
        token: bot.intakeToken,
        path: "/api/v1/complaints",
        connections: 16,
        durationS: LOAD_S,
        prefix: `memory-${size}-`,
      });
      const underLoad = sampler.stop();
      rows.push({
        openThreads: size,
        idleMb: idle / MB,
        loadPeakMb: Math.max(...underLoad) / MB,
        loadEndMb: (underLoad[underLoad.length - 1] ?? 0) / MB,
        complaintsFiled: load.complaints,
      });
      if (size === SIZES[SIZES.length - 1]) soak = await runSoak(bot);
      await bot.stop();
    }
    console.log(
      table([
        ["open threads", "idle", "peak under load", "after load", "complaints filed"],
        ...rows.map((r) => [
          count(r.openThreads),
          mb(r.idleMb),
          mb(r.loadPeakMb),
          mb(r.loadEndMb),
          count(r.complaintsFiled),
        ]),
      ]),
    );
    const largest = rows[rows.length - 1];
    const met = (largest?.loadPeakMb ?? Number.POSITIVE_INFINITY) < TARGET_MB;
    console.log(
      `\nTarget < ${TARGET_MB} MB at 100,000 open threads: ${met ? "met" : "NOT met"} (peak ${mb(largest?.loadPeakMb ?? Number.NaN)}).`,
    );
    if (soak) {
      console.log(
        `\nSoak: ${SOAK_RATE} complaints/s for ${SOAK_S} s on 100,000 open threads (${count(soak.complaints)} filed): ` +
          `RSS ${mb(soak.firstMinuteMb)} in the first minute's samples, ${mb(soak.lastMinuteMb)} in the last; ` +
          `trend over the second half ${soak.slopeMbPerMin.toFixed(2)} MB/min.`,
      );
    }
    writeResults(
      "memory",
      {
        targetMb: TARGET_MB,
        rows,
        soak: soak ? { seconds: SOAK_S, rate: SOAK_RATE, ...soak } : null,
        met,
      },
      server.version,
    );
  } finally {
    await scope.close();
  }
}

/** A steady SOAK_RATE of complaints for SOAK_S seconds; RSS every 5 s. */
async function runSoak(bot: BotProcess) {
  const sampler = sample(bot, 5_000);
  const load = await runLoad({
    targets: [bot.url],
    token: bot.intakeToken,
    path: "/api/v1/complaints",
    connections: 4,
    durationS: SOAK_S,
    overallRate: SOAK_RATE,
    prefix: "soak-",
  });
  const samples = sampler.stop().map((b) => b / MB);
  const perMinute = 12;
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const half = samples.slice(Math.floor(samples.length / 2));
  return {
    complaints: load.complaints,
    samplesMb: samples.map((s) => Number(s.toFixed(1))),
    firstMinuteMb: avg(samples.slice(0, perMinute)),
    lastMinuteMb: avg(samples.slice(-perMinute)),
    slopeMbPerMin: slope(half) * perMinute,
  };
}

/** Least-squares slope per sample. */
function slope(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of ys.entries()) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

function sample(bot: BotProcess, everyMs: number) {
  const values: number[] = [bot.rss()];
  const timer = setInterval(() => values.push(bot.rss()), everyMs);
  return {
    stop() {
      clearInterval(timer);
      values.push(bot.rss());
      return values;
    },
  };
}

const mb = (value: number) => `${value.toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (isEntryPoint(import.meta.url)) await runAsScript(main);
