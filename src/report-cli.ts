/**
 * `npm run report -- --from 2026-11-02 --to 2026-11-08 [--department baggage] [--timezone
 * Europe/London] [--format csv|json]`: the SLA figures for a period, printed on stdout, read
 * from DATABASE_URL or the embedded database in DATA_DIR. The embedded database can be opened
 * by one process at a time: stop the bot first (or use PostgreSQL, which both can share).
 * Exit codes: 0 printed; 1 failed; 2 something to fix first (an option, the workspace file, no
 * database in DATA_DIR, DATABASE_URL unreachable, the embedded database in use).
 */
import { parseArgs } from "node:util";
import { EXIT_REFUSED, oneLine, openCliDatabaseOrSay } from "./cli-database.ts";
import { findClosestMatch } from "./config/closest-match.ts";
import { ConfigError } from "./config/config-error.ts";
import { loadWorkspaceConfig } from "./config/load-workspace.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { figuresToCsv } from "./report/figures-csv.ts";
import { queryIssues, reportQuery } from "./report/report-query.ts";
import { readFigures } from "./services/read-figures.ts";

const USAGE =
  "Usage: npm run report -- --from <date|date-time> --to <date|date-time> [--department <key>]... [--timezone <IANA zone>] [--format csv|json]";

function fail(message: string, code = EXIT_REFUSED): never {
  console.error(message);
  process.exit(code);
}

const OPTIONS = ["from", "to", "department", "timezone", "format", "help"];

/** "Unknown option '--departmnet'" gains " (did you mean --department?)" when one is close. */
function withSuggestion(message: string): string {
  const unknown = /^Unknown option '--([^']+)'/.exec(message)?.[1];
  const closest = unknown === undefined ? undefined : findClosestMatch(unknown, OPTIONS);
  return closest === undefined ? message : `${message} (did you mean --${closest}?)`;
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
  let config: ReturnType<typeof loadWorkspaceConfig>;
  try {
    config = loadWorkspaceConfig(process.env.SWITCHBOARD_CONFIG?.trim() || "./switchboard.yaml");
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { help: _h, ...query } = values;
  const parsed = reportQuery(config.departments.map((d) => d.key)).safeParse(
    Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const lines = queryIssues(parsed.error).map((i) => `  --${i.path}: ${i.message}`);
    fail(`Invalid options:\n${lines.join("\n")}\n${USAGE}`);
  }
  const db = await openCliDatabaseOrSay(process.env, {
    task: "run the report",
    create: false,
    inUseHint:
      "The report reads the same embedded database as the bot, which allows one process at a time: stop the bot, run the report, start the bot again (or run both on PostgreSQL with DATABASE_URL).",
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
