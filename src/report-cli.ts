/**
 * `npm run report -- --from 2026-11-02 --to 2026-11-08 [--department baggage] [--timezone
 * Europe/London] [--format csv|json]`: the SLA figures for a period, printed on stdout, read
 * from DATABASE_URL or the embedded database in DATA_DIR. The embedded database can be opened
 * by one process at a time: stop the bot first (or use PostgreSQL, which both can share).
 * With --sandbox it reads the sandbox's data: its config layer (SWITCHBOARD_CONFIG, default
 * sandbox/switchboard.yaml, over the example's rules) and DATA_DIR's default ./data/sandbox.
 * Exit codes: 0 printed; 1 failed; 2 something to fix first (an option, the workspace file, no
 * database in DATA_DIR, DATABASE_URL unreachable, the embedded database in use).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT_REFUSED, oneLine, openCliDatabaseOrSay } from "./cli-database.ts";
import { findClosestMatch } from "./config/closest-match.ts";
import { ConfigError } from "./config/config-error.ts";
import { loadWorkspaceConfig } from "./config/load-workspace.ts";
import type { WorkspaceConfig } from "./config/workspace-types.ts";
import { hasEmbeddedDatabase } from "./db/embedded-folder.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { figuresToCsv } from "./report/figures-csv.ts";
import { queryIssues, reportQuery } from "./report/report-query.ts";
import {
  EXAMPLE_CONFIG_PATH,
  loadSandboxConfig,
  SANDBOX_CONFIG_PATH,
  SANDBOX_DATA_DIR,
} from "./sandbox/sandbox-config.ts";
import { readFigures } from "./services/read-figures.ts";

const USAGE =
  "Usage: npm run report -- --from <date|date-time> --to <date|date-time> [--department <key>]... [--timezone <IANA zone>] [--format csv|json] [--sandbox]";

function fail(message: string, code = EXIT_REFUSED): never {
  console.error(message);
  process.exit(code);
}

const OPTIONS = ["from", "to", "department", "timezone", "format", "sandbox", "help"];

/** "Unknown option '--departmnet'" gains " (did you mean --department?)" when one is close. */
function withSuggestion(message: string): string {
  const unknown = /^Unknown option '--([^']+)'/.exec(message)?.[1];
  const closest = unknown === undefined ? undefined : findClosestMatch(unknown, OPTIONS);
  return closest === undefined ? message : `${message} (did you mean --${closest}?)`;
}

/**
 * The workspace the figures are read with: the workspace file, or with --sandbox the
 * sandbox's layer over the example's rules, as `npm run sandbox` composes it.
 */
function loadConfig(sandbox: boolean): WorkspaceConfig {
  const path = process.env.SWITCHBOARD_CONFIG?.trim() || undefined;
  if (!sandbox) return loadWorkspaceConfig(path ?? "./switchboard.yaml");
  return loadSandboxConfig({ sandbox: path ?? SANDBOX_CONFIG_PATH, rules: EXAMPLE_CONFIG_PATH });
}

const ADD_SANDBOX =
  "for the sandbox's figures, run npm run report -- --sandbox (with the same options)";

/**
 * The sandbox's layer read as a whole workspace file fails on every section it leaves out: say
 * why. So does a missing ./switchboard.yaml where only the sandbox has run (its database in
 * ./data/sandbox): someone trying Switchboard out wants the sandbox's figures.
 */
function sandboxLayerHint(sandbox: boolean): string {
  if (sandbox) return "";
  const path = process.env.SWITCHBOARD_CONFIG?.trim() || undefined;
  if (path !== undefined && resolve(path) === resolve(SANDBOX_CONFIG_PATH)) {
    return `\n\n${path} is the sandbox's layer, not a whole workspace file: ${ADD_SANDBOX}.`;
  }
  const dataDirUnset = !process.env.DATA_DIR?.trim() && !process.env.DATABASE_URL?.trim();
  if (path === undefined && dataDirUnset && hasEmbeddedDatabase(SANDBOX_DATA_DIR)) {
    return `\n\nThe sandbox keeps its database in ${SANDBOX_DATA_DIR}: ${ADD_SANDBOX}.`;
  }
  return "";
}

/** The sandbox's database: DATA_DIR defaults to the sandbox's folder, as for npm run sandbox. */
function sandboxEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, DATA_DIR: env.DATA_DIR?.trim() || SANDBOX_DATA_DIR };
}

async function main(): Promise<void> {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: "string" },
        to: { type: "string" },
        department: { type: "string", multiple: true },
        timezone: { type: "string" },
        format: { type: "string" },
        sandbox: { type: "boolean" },
        help: { type: "boolean" },
      },
      strict: true,
    }));
  } catch (error) {
    fail(`${withSuggestion((error as Error).message)}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const sandbox = values.sandbox === true;
  let config: WorkspaceConfig;
  try {
    config = loadConfig(sandbox);
  } catch (error) {
    if (error instanceof ConfigError) fail(`${error.message}${sandboxLayerHint(sandbox)}`);
    throw error;
  }
  const { help: _h, sandbox: _s, ...query } = values;
  const parsed = reportQuery(config.departments.map((d) => d.key)).safeParse(
    Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const lines = queryIssues(parsed.error).map((i) => `  --${i.path}: ${i.message}`);
    fail(`Invalid options:\n${lines.join("\n")}\n${USAGE}`);
  }
  const db = await openCliDatabaseOrSay(sandbox ? sandboxEnv(process.env) : process.env, {
    task: "run the report",
    create: false,
    // Its own config must come with it: DATA_DIR alone would judge its clocks by ./switchboard.yaml.
    sandboxHint: () => ADD_SANDBOX,
    inUseHint: sandbox
      ? "The report reads the sandbox's embedded database, which allows one process at a time: stop the sandbox (Ctrl-C), run the report, start it again (or run both on PostgreSQL with DATABASE_URL)."
      : "The report reads the same embedded database as the bot, which allows one process at a time: stop the bot, run the report, start the bot again (or run both on PostgreSQL with DATABASE_URL).",
  });
  if (!db) process.exit(EXIT_REFUSED);
  try {
    await migrateDatabase(db);
    const q = parsed.data;
    const figures = await readFigures(db, config, { ...q, now: new Date() });
    process.stdout.write(
      q.format === "csv" ? figuresToCsv(figures) : `${JSON.stringify(figures, null, 2)}\n`,
    );
  } finally {
    await db.close();
  }
}

try {
  await main();
} catch (error) {
  // Unexpected: one line, not a stack trace with the driver's internals.
  fail(`Report failed: ${oneLine(error)}`, 1);
}
