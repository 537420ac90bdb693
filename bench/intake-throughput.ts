/**
 * Intake against a bare baseline: `npm run bench -- intake` (add `--profile` for a CPU
 * profile of the bot under 16 connections; `--wire-only` counts statements and round trips
 * and measures nothing else).
 *
 * The real bot runs as a process of its own (support/bot-main.ts: `npm start`'s code, JSON
 * logs at info to a file, outbox worker paused so the figures are intake alone) on a real
 * PostgreSQL; beside it, in the same run and on the same server, a bare `node:http` +
 * postgres.js server doing the same inserts in one transaction (support/baseline-main.ts).
 * autocannon 9, in a third process, posts unique complaints to each in turn: 1, 16 and 64
 * connections, and the batch endpoint. The two take turns round by round, so whatever else
 * the machine does falls on both. Then a proxy on the wire counts the statements and round
 * trips per complaint of each. Texts are real tweets when ../shared/data has them.
 */

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadWorkspaceConfig } from "../src/config/load-workspace.ts";
import { startWorkspaceDouble, UNLIMITED_RATE } from "./support/bot.ts";
import { type BotProcess, startBotProcess } from "./support/bot-process.ts";
import { isEntryPoint, runAsScript, Scope } from "./support/lifecycle.ts";
import { type LoadJob, type LoadResult, runLoad } from "./support/load.ts";
import { CpuWindow, cpuMsOfTree, processCpuMs } from "./support/machine.ts";
import { createBenchDatabase, describeServer, startBenchPostgres } from "./support/postgres.ts";
import { writeResults } from "./support/results.ts";
import { count, median, ms, ratio, table } from "./support/stats.ts";
import { WireCounter, type WireCounts } from "./support/wire-counter.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const EXAMPLE_CONFIG = join(BENCH_DIR, "../switchboard.example.yaml");

/** Seconds per measured run, runs per server and level (they alternate), warm-up seconds. */
const RUN_S = 8;
const ROUNDS = 3;
const WARMUP_S = 4;
const BATCH_SIZE = 100;
/** Complaints filed one at a time through the wire counter. */
const COUNTED = 200;
const TARGET_AT_16 = 0.8;

interface Level {
  name: string;
  path: LoadJob["path"];
  connections: number;
  batchSize?: number;
}

const LEVELS: Level[] = [
  { name: "single, 1 connection", path: "/api/v1/complaints", connections: 1 },
  { name: "single, 16 connections", path: "/api/v1/complaints", connections: 16 },
  { name: "single, 64 connections", path: "/api/v1/complaints", connections: 64 },
  {
    name: `batch of ${BATCH_SIZE}, 1 connection`,
    path: "/api/v1/complaints/batch",
    connections: 1,
    batchSize: BATCH_SIZE,
  },
  {
    name: `batch of ${BATCH_SIZE}, 4 connections`,
    path: "/api/v1/complaints/batch",
    connections: 4,
    batchSize: BATCH_SIZE,
  },
];

/** A server under test: the bot or the baseline. */
interface Target {
  name: "bot" | "baseline";
  url: string;
  token: string;
  cpuMs(): number;
}

interface Sample {
  perSecond: number;
  p50: number;
  p99: number;
  serverCpuMsPer: number;
  postgresCpuMsPer: number;
  machineBusy: number;
  failed: number;
}

export async function main(): Promise<void> {
  const profile = process.argv.includes("--profile");
  const scope = new Scope();
  const temp = scope.tempDir("intake");
  try {
    const pg = await startBenchPostgres(scope);
    const server = await describeServer(pg.url);
    const postgresCpu = () => (server.pid ? cpuMsOfTree(server.pid) : 0);
    const workspace = loadWorkspaceConfig(EXAMPLE_CONFIG);
    const double = await startWorkspaceDouble(scope, workspace, UNLIMITED_RATE);
    const botDb = await createBenchDatabase(scope, pg.url, "intake", 2);
    const baseDb = await createBenchDatabase(scope, pg.url, "baseline", 2);
    const bot = await startBotProcess(scope, {
      databaseUrl: botDb.url,
      slackApiUrl: double.apiUrl,
      slackBotToken: double.config.botToken,
      workspaceFile: EXAMPLE_CONFIG,
      logFile: join(temp, "bot.log"),
      worker: false,
      timers: false,
    });
    const baseline = await startBaseline(scope, baseDb.url);
    const targets: Target[] = [
      { name: "baseline", url: baseline.url, token: "-", cpuMs: () => processCpuMs(baseline.pid) },
      { name: "bot", url: bot.url, token: bot.intakeToken, cpuMs: bot.cpuMs },
    ];
    console.log(
      `Intake: the bot (its own process, worker paused, logs at info) against a bare node:http + ` +
        `postgres.js baseline doing the same inserts in one transaction; ${server.version}; ` +
        `autocannon in a third process; ${RUN_S} s runs, ${ROUNDS} per server and level, taking turns.\n`,
    );
    let runs = 0;
    const load = (target: Target, level: Level, durationS: number) =>
      runLoad({
        targets: [target.url],
        token: target.token,
        path: level.path,
        connections: level.connections,
        durationS,
        ...(level.batchSize ? { batchSize: level.batchSize } : {}),
        prefix: `${target.name}-${runs++}-`,
      });
    const wireOnly = process.argv.includes("--wire-only");
    // --quick: one round at 16 connections, for profiling between changes; results.json untouched.
    const quick = process.argv.includes("--quick");
    const levels = wireOnly ? [] : quick ? [LEVELS[1] as Level] : LEVELS;
    if (!wireOnly) for (const target of targets) await load(target, LEVELS[1] as Level, WARMUP_S);
    const samples = new Map<string, Sample[]>();
    for (const level of levels) {
      for (let round = 0; round < (quick ? 1 : ROUNDS); round++) {
        for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
          const window = new CpuWindow([target.cpuMs, postgresCpu]);
          const result = await load(target, level, RUN_S);
          const key = `${level.name}|${target.name}`;
          samples.set(key, [...(samples.get(key) ?? []), sampleOf(result, window.end())]);
        }
      }
      printLevel(level, samples);
    }
    const counts = await countWire(pg.url, temp, double);
    const summary = summarise(samples, counts);
    printSummary(summary, counts);
    const profiled = profile ? await profileBot(bot) : undefined;
    // A partial run (--quick, --wire-only) leaves the full run's figures in results.json.
    if (!quick && !wireOnly)
      writeResults(
        "intake",
        { ...summary, ...(profiled ? { profile: profiled } : {}) },
        server.version,
      );
  } finally {
    await scope.close();
  }
}

function sampleOf(result: LoadResult, cpu: ReturnType<CpuWindow["end"]>): Sample {
  const n = Math.max(1, result.complaints);
  return {
    perSecond: result.complaints / result.seconds,
    p50: result.p50,
    p99: result.p99,
    serverCpuMsPer: (cpu.cpuMs[0] ?? 0) / n,
    postgresCpuMsPer: (cpu.cpuMs[1] ?? 0) / n,
    machineBusy: cpu.machineBusy,
    failed: result.non2xx + result.errors,
  };
}

async function startBaseline(scope: Scope, databaseUrl: string) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(BENCH_DIR, "support/baseline-main.ts")],
    {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: databaseUrl, POOL_SIZE: "10" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    },
  );
  scope.defer(child, "baseline server", async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.send({ type: "stop" });
    await exited;
  });
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.once("message", (m: { url: string; pid: number }) => resolve(m));
    child.once("exit", (code) => reject(new Error(`baseline exited ${code}`)));
  });
  return ready;
}

function medianOf(samples: Sample[] | undefined, pick: (s: Sample) => number): number {
  return samples?.length ? median(samples.map(pick)) : Number.NaN;
}

function printLevel(level: Level, samples: Map<string, Sample[]>): void {
  const rows = (["baseline", "bot"] as const).map((name) => {
    const s = samples.get(`${level.name}|${name}`);
    return [
      name,
      (s ?? []).map((x) => count(x.perSecond)).join(" / "),
      ms(medianOf(s, (x) => x.p50)),
      ms(medianOf(s, (x) => x.p99)),
      ms(medianOf(s, (x) => x.serverCpuMsPer)),
      ms(medianOf(s, (x) => x.postgresCpuMsPer)),
      `${(100 * medianOf(s, (x) => x.machineBusy)).toFixed(0)}%`,
      count((s ?? []).reduce((a, x) => a + x.failed, 0)),
    ];
  });
  console.log(`${level.name}:`);
  console.log(
    table([
      [
        "",
        "complaints/s (each run)",
        "p50",
        "p99",
        "server CPU/complaint",
        "PG CPU/complaint",
        "machine busy",
        "failed",
      ],
      ...rows,
    ]),
  );
  const ratioNow =
    medianOf(samples.get(`${level.name}|bot`), (x) => x.perSecond) /
    medianOf(samples.get(`${level.name}|baseline`), (x) => x.perSecond);
  console.log(`  bot / baseline: ${ratioNow.toFixed(2)}×\n`);
}

function summarise(
  samples: Map<string, Sample[]>,
  counts: Record<string, WireCounts & { complaints: number }>,
) {
  const levels = LEVELS.map((level) => {
    const of = (name: string) => samples.get(`${level.name}|${name}`);
    const figures = (name: string) => ({
      perSecond: medianOf(of(name), (x) => x.perSecond),
      runs: (of(name) ?? []).map((x) => Math.round(x.perSecond)),
      p50Ms: medianOf(of(name), (x) => x.p50),
      p99Ms: medianOf(of(name), (x) => x.p99),
      serverCpuMsPerComplaint: medianOf(of(name), (x) => x.serverCpuMsPer),
      postgresCpuMsPerComplaint: medianOf(of(name), (x) => x.postgresCpuMsPer),
      machineBusy: medianOf(of(name), (x) => x.machineBusy),
      failed: (of(name) ?? []).reduce((a, x) => a + x.failed, 0),
    });
    const bot = figures("bot");
    const baseline = figures("baseline");
    return {
      level: level.name,
      connections: level.connections,
      batchSize: level.batchSize ?? 1,
      bot,
      baseline,
      ratio: bot.perSecond / baseline.perSecond,
    };
  });
  const at16 = levels.find((l) => l.level === "single, 16 connections");
  const perComplaint = Object.fromEntries(
    Object.entries(counts).map(([name, c]) => [
      name,
      {
        statements: c.statements / c.complaints,
        roundTrips: c.roundTrips / c.complaints,
        statementsInTransaction: c.statementsInTransaction / c.complaints,
        roundTripsInTransaction: c.roundTripsInTransaction / c.complaints,
        transactions: c.transactions / c.complaints,
      },
    ]),
  );
  return {
    runSeconds: RUN_S,
    rounds: ROUNDS,
    levels,
    ratioAt16: at16?.ratio ?? Number.NaN,
    target: TARGET_AT_16,
    met: (at16?.ratio ?? 0) >= TARGET_AT_16,
    wirePerComplaint: perComplaint,
  };
}

function printSummary(
  summary: ReturnType<typeof summarise>,
  counts: Record<string, WireCounts & { complaints: number }>,
): void {
  console.log("Summary (medians of the runs):");
  console.log(
    table([
      [
        "",
        "baseline/s",
        "bot/s",
        "bot / baseline",
        "bot p50",
        "bot p99",
        "baseline p50",
        "baseline p99",
      ],
      ...summary.levels.map((l) => [
        l.level,
        count(l.baseline.perSecond),
        count(l.bot.perSecond),
        ratio(l.bot.perSecond, l.baseline.perSecond),
        ms(l.bot.p50Ms),
        ms(l.bot.p99Ms),
        ms(l.baseline.p50Ms),
        ms(l.baseline.p99Ms),
      ]),
    ]),
  );
  console.log(
    `\nTarget: bot ≥ ${TARGET_AT_16} of the baseline at 16 connections: ` +
      `${summary.met ? "met" : "NOT met"} (${summary.ratioAt16.toFixed(2)}×).\n`,
  );
  console.log(
    `On the wire, per new complaint (${COUNTED} filed one at a time through a counting proxy):`,
  );
  console.log(
    table([
      [
        "",
        "statements",
        "round trips",
        "in the transaction: statements",
        "round trips",
        "transactions",
      ],
      ...Object.entries(counts).map(([name, c]) => [
        name,
        (c.statements / c.complaints).toFixed(1),
        (c.roundTrips / c.complaints).toFixed(1),
        (c.statementsInTransaction / c.complaints).toFixed(1),
        (c.roundTripsInTransaction / c.complaints).toFixed(1),
        (c.transactions / c.complaints).toFixed(2),
      ]),
    ]),
  );
  console.log(
    "(BEGIN and COMMIT count as statements; a round trip is a wait for the server: statements sent together share one.)",
  );
}

/**
 * Files COUNTED complaints one at a time into the bot and the baseline, each on a fresh
 * database reached through a proxy that counts what goes over the wire.
 */
async function countWire(
  serverUrl: string,
  temp: string,
  double: Awaited<ReturnType<typeof startWorkspaceDouble>>,
): Promise<Record<string, WireCounts & { complaints: number }>> {
  const result: Record<string, WireCounts & { complaints: number }> = {};
  for (const name of ["baseline", "bot"] as const) {
    const inner = new Scope();
    try {
      const db = await createBenchDatabase(inner, serverUrl, `wire${name}`, 1);
      const { counter, url } = await WireCounter.start(db.url);
      inner.defer(counter, "wire counter", (c) => c.stop());
      const target =
        name === "bot"
          ? await startBotProcess(inner, {
              databaseUrl: url,
              slackApiUrl: double.apiUrl,
              slackBotToken: double.config.botToken,
              workspaceFile: EXAMPLE_CONFIG,
              logFile: join(temp, "bot-wire.log"),
              worker: false,
              timers: false,
            })
          : { ...(await startBaseline(inner, url)), intakeToken: "-" };
      const job = (prefix: string, amount: number): LoadJob => ({
        targets: [target.url],
        token: target.intakeToken,
        path: "/api/v1/complaints",
        connections: 1,
        amount,
        prefix,
      });
      await runLoad(job(`${name}-wire-warm-`, 20));
      if (process.env.BENCH_WIRE_LOG) {
        counter.log = [];
        await runLoad(job(`${name}-wire-log-`, 1));
        console.log(`\n${name}, statements of one new complaint:\n${counter.log.join("\n")}`);
        counter.log = null;
      }
      counter.reset();
      const run = await runLoad(job(`${name}-wire-`, COUNTED));
      result[name] = { ...counter.counts, complaints: run.complaints };
    } finally {
      await inner.close();
    }
  }
  return result;
}

/**
 * 16 connections for RUN_S seconds against the measured bot, under V8's CPU profiler (the
 * one behind `node --cpu-prof`, started after the warm-up so start-up does not count); the
 * .cpuprofile is kept in bench/profiles/ and summarised: where the bot's own time goes.
 */
async function profileBot(bot: BotProcess) {
  const dir = join(BENCH_DIR, "profiles");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `intake-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
  await bot.send({ type: "profile", file: null });
  await runLoad({
    targets: [bot.url],
    token: bot.intakeToken,
    path: "/api/v1/complaints",
    connections: 16,
    durationS: RUN_S,
    prefix: "profile-",
  });
  await bot.send({ type: "profile", file });
  const summary = summariseProfile(JSON.parse(readFileSync(file, "utf8")));
  console.log(
    `\nCPU profile of the bot under 16 connections (${file}), self time by where the code lives:`,
  );
  console.log(
    table([["", "share"], ...summary.byPlace.slice(0, 15).map((p) => [p.place, pct(p.percent)])]),
  );
  console.log("\nHottest functions (self time):");
  console.log(
    table([
      ["", "share"],
      ...summary.byFunction.slice(0, 20).map((p) => [p.place, pct(p.percent)]),
    ]),
  );
  return {
    file,
    byPlace: summary.byPlace.slice(0, 30),
    byFunction: summary.byFunction.slice(0, 40),
  };
}

const pct = (value: number) => `${value.toFixed(1)}%`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time from a .cpuprofile, by package or source file, and by function. */
export function summariseProfile(profile: { nodes: ProfileNode[] }) {
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const place = placeOf(node.callFrame.url, node.callFrame.functionName);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${place}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([place, hits]) => ({ place, percent: (100 * hits) / total }));
  return { byPlace: sorted(byPlace), byFunction: sorted(byFunction) };
}

function placeOf(url: string, fn: string): string {
  if (!url) return fn.startsWith("(") ? fn : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] ?? url;
  if (url.startsWith("node:")) return url;
  const src = /\/((?:src|bench)\/.*)$/.exec(url);
  return src?.[1] ?? url;
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
