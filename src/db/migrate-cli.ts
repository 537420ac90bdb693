/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL or the embedded database
 * in DATA_DIR, creating the embedded one if DATA_DIR has none (the only command that does).
 * Needs only the database settings, not Slack's. Exit codes: 0 applied; 1 failed; 2 something
 * to fix first (DATABASE_URL unreachable, the embedded database in use).
 */
import { EXIT_REFUSED, oneLine, openCliDatabaseOrSay, readHelpOnly } from "../cli-database.ts";
import { migrateDatabase } from "./migrate.ts";

const USAGE = `Usage: npm run db:migrate [-- --help]
Applies pending migrations to the PostgreSQL database in DATABASE_URL, or to the embedded database
in DATA_DIR (default ./data), creating that one if the folder has none.`;

async function main(): Promise<number> {
  const stop = readHelpOnly(USAGE);
  if (stop !== undefined) return stop;
  const db = await openCliDatabaseOrSay(process.env, { task: "migrate", create: true });
  if (!db) return EXIT_REFUSED;
  try {
    await migrateDatabase(db);
  } finally {
    await db.close();
  }
  const dataDir = process.env.DATA_DIR?.trim() || "./data";
  console.log(
    `Migrations applied to ${db.kind === "postgres" ? "the PostgreSQL database in DATABASE_URL" : `the embedded database in ${dataDir}`}.`,
  );
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`Migration failed: ${oneLine(error)}`);
  process.exitCode = 1;
}
