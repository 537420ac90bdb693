/**
 * `npm run bench`: runs every benchmark in turn, each in its own process, and prints its
 * figures (each also writes them to bench/results.json). `npm run bench -- sweep intake` runs
 * those whose name contains a word given; `npm run bench -- --list` lists them; `--soak`
 * makes the memory soak 10 minutes, `--profile` adds a CPU profile of intake. Each benchmark has a time limit; past it, it is
 * stopped (SIGTERM: it stops its PostgreSQL and removes its temp files) and counted failed.
 * See bench/README.md for what the figures mean.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { EXIT_DATA_MISSING } from "./support/shared-data.ts";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(BENCH_DIR, "..");

interface Benchmark {
  name: string;
  file: string;
  title: string;
  /** Stop it after this long; a run that hangs must not hang `npm run bench`. */
  limitS: number;
}

const BENCHMARKS: readonly Benchmark[] = [
  {
    name: "routing-accuracy",
    file: "routing-accuracy.ts",
    title: "Routing accuracy on real tweets, rules and learned model (needs shared/data)",
    limitS: 120,
  },
  {
    name: "kinds-triage",
    file: "kinds-triage.ts",
    title:
      "Complaints, questions, praise, chatter: clocks kept and noise taken off the desk (needs shared/data)",
    limitS: 120,
  },
  {
    name: "timer-sweep",
    file: "timer-sweep.ts",
    title: "SLA timer sweep: cost at 1,000 and 100,000 open threads, nudge lateness",
    limitS: 360,
  },
  {
    name: "intake-throughput",
    file: "intake-throughput.ts",
    title:
      "Intake against a bare node:http + postgres.js baseline at 1/16/64 connections and batch",
    limitS: 600,
  },
  {
    name: "slack-delivery",
    file: "slack-delivery.ts",
    title: "2,000 complaints to 10 channels under Slack's limits, against the limits' ceiling",
    limitS: 1800,
  },
  {
    name: "timer-burst",
    file: "timer-burst.ts",
    title: "1,000 and 10,000 timers due in the same second: until queued and delivered",
    limitS: 1200,
  },
  {
    name: "memory",
    file: "memory.ts",
    title: "Resident memory idle and under load at 1,000 and 100,000 open threads; soak",
    limitS: 1500,
  },
  {
    name: "replicas",
    file: "replicas.ts",
    title: "1, 2 and 4 bot processes on one PostgreSQL: throughput, sweep lateness, sent once",
    limitS: 900,
  },
];

let current: ChildProcess | null = null;
let flags: string[] = [];
let stopping = false;

function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes("--list")) {
    for (const b of BENCHMARKS) console.log(`${b.name.padEnd(20)} ${b.title}`);
    return Promise.resolve(0);
  }
  // Names come first; everything from the first flag on (--soak, --profile, --part tune,
  // --folds 5) goes to every benchmark run, values included; each reads the flags it knows.
  const firstFlag = args.findIndex((a) => a.startsWith("-"));
  const words = firstFlag === -1 ? args : args.slice(0, firstFlag);
  flags = firstFlag === -1 ? [] : args.slice(firstFlag);
  const chosen = words.length
    ? BENCHMARKS.filter((b) => words.some((w) => b.name.includes(w.toLowerCase())))
    : BENCHMARKS;
  if (chosen.length === 0) {
    console.error(
      `No benchmark matches ${words.join(", ")}. Try: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
    );
    return Promise.resolve(2);
  }
  return runAll(chosen);
}

async function runAll(chosen: readonly Benchmark[]): Promise<number> {
  const results: Array<{ name: string; seconds: number; code: number | string }> = [];
  for (const benchmark of chosen) {
    if (stopping) break;
    console.log(`\n${"═".repeat(4)} ${benchmark.name}: ${benchmark.title} ${"═".repeat(4)}\n`);
    const started = performance.now();
    const code = await runOne(benchmark);
    results.push({ name: benchmark.name, seconds: (performance.now() - started) / 1000, code });
  }
  console.log(`\n${"═".repeat(4)} done ${"═".repeat(4)}`);
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(20)} ${r.seconds.toFixed(0).padStart(4)} s  ${statusOf(r.code)}`,
    );
  }
  const passed = (code: number | string) => code === 0 || code === EXIT_DATA_MISSING;
  return results.every((r) => passed(r.code)) && !stopping ? 0 : 1;
}

/** "ok", "SKIPPED" (its data is not on this machine: nothing measured), or "FAILED (…)". */
function statusOf(code: number | string): string {
  if (code === 0) return "ok";
  if (code === EXIT_DATA_MISSING) return "SKIPPED: data missing, nothing measured (see above)";
  return `FAILED (${code})`;
}

/** Runs one benchmark as a child process: its exit code, or "timed out". */
function runOne(benchmark: Benchmark): Promise<number | string> {
  return new Promise((resolve) => {
    // The same node flags this process got (`--import tsx`), so the child can load TypeScript.
    const script = join(BENCH_DIR, benchmark.file);
    const child = spawn(process.execPath, [...process.execArgv, script, ...flags], {
      cwd: REPO_ROOT,
      stdio: "inherit",
    });
    current = child;
    let timedOut = false;
    let kill: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => {
      timedOut = true;
      console.error(`\n${benchmark.name}: over its ${benchmark.limitS} s limit, stopping it`);
      child.kill("SIGTERM");
      // It cleans up on SIGTERM; if that hangs too, stop it for good.
      kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
    }, benchmark.limitS * 1000);
    child.on("error", (error) => {
      clearTimeout(limit);
      current = null;
      console.error(`${benchmark.name}: could not start: ${error.message}`);
      resolve("spawn failed");
    });
    child.on("exit", (code, signal) => {
      clearTimeout(limit);
      clearTimeout(kill);
      current = null;
      resolve(timedOut ? "timed out" : (code ?? signal ?? "unknown"));
    });
  });
}

// Ctrl-C reaches the child too (same process group); a SIGTERM sent to this process alone
// is passed on, so the running benchmark still cleans up before we exit.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopping = true;
    current?.kill(signal);
  });
}

process.exitCode = await main();
