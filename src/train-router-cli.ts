/**
 * `npm run routing:train`: trains the learned router on this workspace's history and stores a
 * new version (the bots pick it up within 30 seconds). Needs only the database settings
 * (DATABASE_URL or DATA_DIR) and the workspace file (SWITCHBOARD_CONFIG), not Slack's.
 * Exit codes: 0 trained, unchanged or not enough history yet (or --help); 1 failed; 2 something
 * to fix first (an unknown option, the workspace file, no database in DATA_DIR, DATABASE_URL
 * unreachable, the embedded database in use).
 */
import { EXIT_REFUSED, oneLine, openCliDatabaseOrSay, readHelpOnly } from "./cli-database.ts";
import { ConfigError } from "./config/config-error.ts";
import { loadWorkspaceConfig } from "./config/load-workspace.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { createLogger } from "./logger.ts";
import { systemClock } from "./services/context.ts";
import { type TrainingOutcome, trainRouter } from "./services/train-router.ts";

const USAGE = `Usage: npm run routing:train [-- --help]
Trains the learned router on the history in DATABASE_URL (or the embedded database in DATA_DIR),
with the workspace file in SWITCHBOARD_CONFIG (default ./switchboard.yaml).`;

function describe(outcome: TrainingOutcome): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([label, n]) => `${label} ${n}`)
      .join(", ");
  const departments = list(outcome.departments);
  const kinds = list(outcome.kinds);
  const from = [
    departments ? `\nConfirmed threads by department: ${departments}.` : "",
    kinds ? `\nConfirmed threads by kind: ${kinds}.` : "",
  ].join("");
  switch (outcome.status) {
    case "trained":
      return `Trained routing model v${outcome.version}; bots use it within 30 seconds.${from}`;
    case "unchanged":
      return `Nothing new to learn: the history gives model v${outcome.version}, already in use.${from}`;
    case "skipped":
      return `No model trained: ${outcome.reason}.${from}`;
  }
}

async function main(): Promise<number> {
  const stop = readHelpOnly(USAGE);
  if (stop !== undefined) return stop;
  const configPath = process.env.SWITCHBOARD_CONFIG?.trim() || "./switchboard.yaml";
  let config: ReturnType<typeof loadWorkspaceConfig>;
  try {
    config = loadWorkspaceConfig(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Cannot train: the configuration needs fixing.\n\n${error.message}`);
    return EXIT_REFUSED;
  }
  if (!config.learning.routing.enabled) {
    console.log(
      "routing.learned.enabled is false in the workspace file: training anyway; bots route by rules alone until it is true (the learned kinds, when on, use the model now).",
    );
  }
  const db = await openCliDatabaseOrSay(process.env, {
    task: "train",
    create: false,
    // The sandbox's routing and kinds are the example's, as they are (its layer may not change them).
    sandboxHint: (dir) =>
      `to train on that one, set DATA_DIR=${dir} and SWITCHBOARD_CONFIG=switchboard.example.yaml (the sandbox's rules)`,
    inUseHint:
      "With the embedded database, let the bot train on a schedule instead (routing.learned.retrain).",
  });
  if (!db) return EXIT_REFUSED;
  try {
    await migrateDatabase(db);
    // Warnings only: the summary below is what a person running this wants to read.
    const logger = createLogger("warn");
    const outcome = await trainRouter(
      { db, clock: systemClock, logger, actor: { type: "system" } },
      config,
    );
    console.log(describe(outcome));
    return 0;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`Training failed: ${oneLine(error)}`);
  process.exitCode = 1;
}
