/**
 * npm run test:mutation [-- <target>…] [--incremental] [--force] [--table]
 *
 * Mutation testing with Stryker's vitest runner, one target after another (each with only the
 * tests that can reach it, so the initial coverage run stays short), then a per-folder table.
 * Reports land in reports/mutation/: <target>.json and <target>.html (Stryker's), the incremental
 * files, survivors.txt (every mutant no test killed) and summary.md (the table).
 *
 *   --incremental  reuse the last run's results for code and tests that did not change
 *   --force        with --incremental: run every mutant again and rewrite the incremental file
 *   --table        print the table from the last reports without running anything
 *   --tests=GLOB   (repeatable) run only these tests instead of the target's, e.g. the services
 *                  without the e2e suite: a lower bound, much quicker
 *   --split=N      mutate the target's files in N groups, one Stryker run each, each writing
 *                  <target>.part-<i>.json as it ends; the parts are then merged into
 *                  <target>.json. A stopped run keeps the groups it finished; --resume skips them.
 *
 * A narrow run while writing tests (one target, its files or lines, the tests that cover them;
 * reports in reports/mutation/narrow.*, incremental per choice of files and tests, the table
 * untouched):
 *
 *   npm run test:mutation -- domain --mutate=src/domain/roles.ts --tests=tests/unit/permissions.test.ts
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { Stryker } from "@stryker-mutator/core";

interface Target {
  name: string;
  /** What the table calls it. */
  folder: string;
  mutate: string[];
  /** The test files whose coverage decides which tests run against each mutant. */
  tests: string[];
  /**
   * Module-level code (run once, at import) is tested by the tests of every file that imports it
   * (tests/helpers/stryker-coverage.ts); otherwise its mutants are static and counted as ignored.
   * Worth it where those tests are quick.
   */
  importCoverage: boolean;
}

/** The outbox and timer code (issue 8): every survivor here is killed or explained. */
const OUTBOX_AND_TIMERS = [
  "src/db/outbox-store.ts",
  "src/slack/outbox-worker.ts",
  "src/slack/post-once.ts",
  "src/slack/held-methods-client.ts",
  "src/db/timer-store.ts",
  "src/services/sweep-timers.ts",
  "src/services/fire-campaign-timers.ts",
  "src/services/fire-thread-timers.ts",
  "src/services/timer-subjects.ts",
];

/** The domain-purity test reads the source, which Stryker's instrumented copy would fail. */
const UNIT = "tests/unit/!(domain-purity).test.ts";
const INTEGRATION = "tests/integration/!(slack-double*).test.ts";
/** tests/e2e minus the tests that start the bot as a process (vitest.mutation.config.ts). */
const E2E = "tests/e2e/**/*.test.ts";
/**
 * The end-to-end tests that drive the outbox worker and the timer sweep by hand, step by step.
 * Every other e2e test starts the bot, whose worker and sweeper then cover every line of the
 * outbox and timer code from the background: with them each mutant there would rerun most of
 * the e2e suite (about 2.5 minutes a mutant on two cores, hours in all). So the outbox and
 * timer score is what these tests and the integration tests detect: a lower bound for the suite.
 */
const E2E_DELIVERY = "tests/e2e/{outbox-lifecycle,delivery-record,slack-rate-limits}.test.ts";

const TARGETS: Target[] = [
  {
    name: "domain",
    folder: "src/domain",
    mutate: ["src/domain/**/*.ts"],
    tests: [UNIT],
    importCoverage: true,
  },
  {
    name: "outbox-timers",
    folder: "outbox and timers",
    mutate: OUTBOX_AND_TIMERS,
    tests: [INTEGRATION, E2E_DELIVERY],
    importCoverage: false,
  },
  {
    name: "services",
    folder: "src/services (the rest)",
    mutate: ["src/services/**/*.ts", ...OUTBOX_AND_TIMERS.map((f) => `!${f}`)],
    tests: [UNIT, INTEGRATION, E2E],
    importCoverage: false,
  },
  {
    name: "listeners",
    folder: "src/slack/listeners",
    mutate: ["src/slack/listeners/**/*.ts"],
    tests: [E2E],
    importCoverage: false,
  },
];

const REPORTS = "reports/mutation";

interface MutantReport {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: string;
  statusReason?: string;
  location: { start: { line: number; column: number } };
}
interface JsonReport {
  files: Record<string, { source: string; mutants: MutantReport[] }>;
}
interface Timing {
  minutes: number;
  finishedAt: string;
  incremental: boolean;
  /** The tests run, when --tests replaced the target's own. */
  tests?: string[];
}

interface Row {
  folder: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  errors: number;
  ignored: number;
  minutes: number | null;
}

/** Stryker's score: detected (killed or timed out) over detected plus undetected. */
const scoreOf = (r: Row) => {
  const detected = r.killed + r.timeout;
  const valid = detected + r.survived + r.noCoverage;
  return valid === 0 ? null : (100 * detected) / valid;
};

function readTimings(): Record<string, Timing> {
  const file = `${REPORTS}/timings.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
}

/** A table row before any mutant is counted. */
const emptyRow = (folder: string, minutes: number | null): Row => ({
  folder,
  killed: 0,
  timeout: 0,
  survived: 0,
  noCoverage: 0,
  errors: 0,
  ignored: 0,
  minutes,
});

function rowFor(target: Target, timings: Record<string, Timing>): Row | null {
  const file = `${REPORTS}/${target.name}.json`;
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, "utf8")) as JsonReport;
  const row = emptyRow(target.folder, timings[target.name]?.minutes ?? null);
  for (const { mutants } of Object.values(report.files)) {
    for (const m of mutants) {
      if (m.status === "Killed") row.killed++;
      else if (m.status === "Timeout") row.timeout++;
      else if (m.status === "Survived") row.survived++;
      else if (m.status === "NoCoverage") row.noCoverage++;
      else if (m.status === "Ignored") row.ignored++;
      else row.errors++;
    }
  }
  return row;
}

function survivorsOf(target: Target): string[] {
  const file = `${REPORTS}/${target.name}.json`;
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, "utf8")) as JsonReport;
  const lines: string[] = [];
  for (const [name, { source, mutants }] of Object.entries(report.files)) {
    const sourceLines = source.split("\n");
    for (const m of mutants) {
      if (m.status !== "Survived" && m.status !== "NoCoverage") continue;
      const { line, column } = m.location.start;
      const code = sourceLines[line - 1]?.trim() ?? "";
      lines.push(
        `${name}:${line}:${column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? "")}\n    ${code}`,
      );
    }
  }
  return lines;
}

function table(rows: Row[]): string {
  const fmt = (n: number | null, digits = 1) => (n === null ? "–" : n.toFixed(digits));
  const total = emptyRow("**all of the above**", 0);
  for (const r of rows) {
    total.killed += r.killed;
    total.timeout += r.timeout;
    total.survived += r.survived;
    total.noCoverage += r.noCoverage;
    total.errors += r.errors;
    total.ignored += r.ignored;
    total.minutes = r.minutes === null || total.minutes === null ? null : total.minutes + r.minutes;
  }
  const lines = [
    "| folder | score % | killed | timed out | survived | no coverage | errors | ignored | minutes |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of [...rows, total]) {
    lines.push(
      `| ${r.folder} | ${fmt(scoreOf(r))} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.errors} | ${r.ignored} | ${fmt(r.minutes, 0)} |`,
    );
  }
  return lines.join("\n");
}

interface RunOptions {
  incremental: boolean;
  force: boolean;
  /** Tests to run instead of the target's own (--tests). */
  tests: string[];
  /** Groups of files to mutate one after another (--split); 1 runs the target at once. */
  split: number;
  /** With --split: skip the groups whose report is already there (--resume). */
  resume: boolean;
}

/**
 * The files a target mutates. Only the two forms TARGETS use, every .ts file under a folder
 * and `!file` (Node 20 has no glob of its own, and Stryker's matcher is not exported).
 */
function filesOf(target: Target): string[] {
  const excluded = new Set(target.mutate.filter((p) => p.startsWith("!")).map((p) => p.slice(1)));
  const files = target.mutate
    .filter((p) => !p.startsWith("!"))
    .flatMap((pattern) => {
      const dir = pattern.replace(/\/\*\*\/\*\.ts$/, "");
      if (dir === pattern) return [pattern];
      return readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => `${dir}/${f}`);
    });
  return files.filter((f) => !excluded.has(f)).sort();
}

/** Deals the files, largest first, into n groups of about the same size. */
function splitFiles(files: string[], n: number): string[][] {
  const groups = Array.from({ length: n }, () => ({ files: [] as string[], bytes: 0 }));
  const bySize = files
    .map((f) => ({ f, bytes: statSync(f).size }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { f, bytes } of bySize) {
    const smallest = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    smallest.files.push(f);
    smallest.bytes += bytes;
  }
  return groups.map((g) => g.files.sort()).filter((g) => g.length > 0);
}

/**
 * One Stryker run over some files of a target, its reports under `name`, its incremental
 * file under `incrementalName` (the same unless a narrow run keeps one per choice).
 */
async function runStryker(
  target: Target,
  name: string,
  mutate: string[],
  options: Pick<RunOptions, "incremental" | "force" | "tests">,
  incrementalName = name,
): Promise<void> {
  // Read by tests/helpers/stryker-coverage.ts in Stryker's test runner processes.
  process.env.SB_MUTATION_IMPORT_COVERAGE = target.importCoverage ? "1" : "0";
  await new Stryker({
    configFile: "stryker.config.json",
    mutate,
    testFiles: options.tests.length > 0 ? options.tests : target.tests,
    incremental: options.incremental,
    force: options.force,
    incrementalFile: `${REPORTS}/${incrementalName}.incremental.json`,
    jsonReporter: { fileName: `${REPORTS}/${name}.json` },
    htmlReporter: { fileName: `${REPORTS}/${name}.html` },
  }).runMutationTest();
}

/** Stryker's JSON reports of the parts, as one report of the target (the table reads `files`). */
function mergeParts(target: Target, parts: number): void {
  const reports = Array.from(
    { length: parts },
    (_, i) => `${REPORTS}/${target.name}.part-${i + 1}.json`,
  )
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, "utf8")) as JsonReport);
  const [first] = reports;
  if (!first) return;
  const files = Object.assign({}, ...reports.map((r) => r.files));
  writeFileSync(`${REPORTS}/${target.name}.json`, JSON.stringify({ ...first, files }));
}

async function runTarget(target: Target, options: RunOptions): Promise<void> {
  const started = Date.now();
  const tests = options.tests.length > 0 ? ` with ${options.tests.join(", ")}` : "";
  console.log(`\n=== mutation: ${target.folder} (${target.mutate.join(", ")})${tests} ===`);
  if (options.split <= 1) {
    await runStryker(target, target.name, target.mutate, options);
  } else {
    const groups = splitFiles(filesOf(target), options.split);
    for (const [i, group] of groups.entries()) {
      const name = `${target.name}.part-${i + 1}`;
      if (options.resume && existsSync(`${REPORTS}/${name}.json`)) continue;
      console.log(`\n--- part ${i + 1} of ${groups.length}: ${group.join(", ")} ---`);
      await runStryker(target, name, group, options);
    }
    mergeParts(target, groups.length);
  }
  const timings = readTimings();
  timings[target.name] = {
    minutes: (Date.now() - started) / 60_000,
    finishedAt: new Date().toISOString(),
    incremental: options.incremental,
    ...(options.tests.length > 0 ? { tests: options.tests } : {}),
  };
  writeFileSync(`${REPORTS}/timings.json`, `${JSON.stringify(timings, null, 2)}\n`);
}

/** One target's run over some of its files, with some of its tests, for quick feedback. */
async function runNarrow(target: Target, mutate: string[], tests: string[]): Promise<void> {
  const testFiles = tests.length > 0 ? tests : target.tests;
  // One incremental file per choice of files and tests: Stryker keeps every file an
  // incremental report names in its new report, so a shared one would mix earlier choices in.
  const choice = createHash("sha1")
    .update(JSON.stringify([mutate, testFiles]))
    .digest("hex");
  const options = { incremental: true, force: false, tests: testFiles };
  await runStryker(target, "narrow", mutate, options, `narrow-${choice.slice(0, 10)}`);
  const narrow = { ...target, name: "narrow", folder: mutate.join(", ") };
  const row = rowFor(narrow, {});
  if (row) console.log(`\n${table([row])}\n`);
  console.log(survivorsOf(narrow).join("\n"));
}

async function main() {
  const args = process.argv.slice(2);
  const valuesOf = (option: string) =>
    args.filter((a) => a.startsWith(`${option}=`)).map((a) => a.slice(option.length + 1));
  const narrowMutate = valuesOf("--mutate");
  if (narrowMutate.length > 0) {
    const target = TARGETS.find((t) => args.includes(t.name));
    if (!target) {
      console.error(`--mutate needs a target: ${TARGETS.map((t) => t.name).join(", ")}`);
      process.exit(2);
    }
    mkdirSync(REPORTS, { recursive: true });
    await runNarrow(target, narrowMutate, valuesOf("--tests"));
    return;
  }
  const flags = new Set(args.filter((a) => a.startsWith("--")));
  const names = args.filter((a) => !a.startsWith("--"));
  const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
  if (unknown.length > 0) {
    console.error(
      `Unknown target ${unknown.join(", ")}: choose from ${TARGETS.map((t) => t.name).join(", ")}`,
    );
    process.exit(2);
  }
  mkdirSync(REPORTS, { recursive: true });
  const chosen = names.length > 0 ? TARGETS.filter((t) => names.includes(t.name)) : TARGETS;
  const split = Number(valuesOf("--split")[0] ?? 1);
  if (!Number.isInteger(split) || split < 1) {
    console.error("--split takes a whole number of groups, e.g. --split=4");
    process.exit(2);
  }
  const options: RunOptions = {
    incremental: flags.has("--incremental"),
    force: flags.has("--force"),
    tests: valuesOf("--tests"),
    split,
    resume: flags.has("--resume"),
  };
  if (!flags.has("--table")) {
    for (const target of chosen) await runTarget(target, options);
  }
  const timings = readTimings();
  const rows = TARGETS.map((t) => rowFor(t, timings)).filter((r): r is Row => r !== null);
  const summary = table(rows);
  const survivors = TARGETS.flatMap((t) => survivorsOf(t));
  writeFileSync(`${REPORTS}/summary.md`, `${summary}\n`);
  writeFileSync(`${REPORTS}/survivors.txt`, `${survivors.join("\n")}\n`);
  console.log(`\n${summary}\n`);
  console.log(`${survivors.length} mutants survived (listed in ${REPORTS}/survivors.txt).`);
}

await main();
