/**
 * How the command-line tools (report, routing:train, db:migrate) open the database, and the
 * problems they refuse with exit code 2 because the person running them must fix them first.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DrizzleQueryError } from "drizzle-orm";
import { DATABASE_URL_FIX, databaseUrlProblem } from "./config/env.ts";
import { type DatabaseHandle, openDatabase } from "./db/client.ts";
import { DataDirInUseError } from "./db/data-dir-lock.ts";
import { embeddedDatabaseFolder, hasEmbeddedDatabase } from "./db/embedded-folder.ts";
import { checkReachable, DatabaseUnreachableError } from "./db/reachability.ts";

/** Exit code for "fix this first": running the command again as is fails the same way. */
export const EXIT_REFUSED = 2;

/**
 * For a command that takes no options but --help. Returns the exit code when the arguments end
 * the run (0 after the usage, 2 for a mistake: better than running anyway), undefined to run.
 */
export function readHelpOnly(usage: string, args = process.argv.slice(2)): number | undefined {
  try {
    const { values } = parseArgs({ args, options: { help: { type: "boolean" } }, strict: true });
    if (!values.help) return undefined;
    console.log(usage);
    return 0;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return EXIT_REFUSED;
  }
}

/** A problem to fix before the command can run; its message says what and how. */
export class DatabaseRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseRefusal";
  }
}

/** DATABASE_URL, else the embedded database in DATA_DIR, read as the bot reads them (trimmed, empty is unset). */
interface DatabaseSettings {
  url: string | undefined;
  dataDir: string;
  /** DATA_DIR is unset, so dataDir is ./data. */
  defaultDataDir: boolean;
}

function readDatabaseSettings(env: NodeJS.ProcessEnv): DatabaseSettings {
  const dataDir = env.DATA_DIR?.trim() || undefined;
  return {
    url: env.DATABASE_URL?.trim() || undefined,
    dataDir: dataDir ?? "./data",
    defaultDataDir: dataDir === undefined,
  };
}

export interface CliDatabaseOptions {
  /** What the command does, for messages: "run the report", "train". */
  task: string;
  /** true (db:migrate only): an empty DATA_DIR gets a new database instead of a refusal. */
  create: boolean;
  /** Added after "already in use": what this command offers instead of stopping the bot. */
  inUseHint?: string;
  /**
   * How this command reads the sandbox's database, when DATA_DIR is unset and only the sandbox
   * has one (./data/sandbox). Default: set DATA_DIR to it.
   */
  sandboxHint?: (sandboxDir: string) => string;
}

function noDatabaseMessage(settings: DatabaseSettings, options: CliDatabaseOptions): string {
  const setting = settings.defaultDataDir
    ? `DATA_DIR is unset, so the default ${settings.dataDir} is used`
    : `DATA_DIR is ${settings.dataDir}`;
  // The sandbox keeps its own database in a sub-folder of the default (./data/sandbox).
  const sandbox = `${settings.dataDir}/sandbox`;
  const useSandbox = options.sandboxHint?.(sandbox) ?? `set DATA_DIR=${sandbox} to use that one`;
  const sandboxHint =
    settings.defaultDataDir && hasEmbeddedDatabase(sandbox)
      ? `\nThe sandbox keeps its database in ${sandbox}: ${useSandbox}.`
      : "";
  return (
    `Cannot ${options.task}: there is no database in DATA_DIR. ${setting}, and ${resolve(embeddedDatabaseFolder(settings.dataDir))} holds no embedded database.\n` +
    "Start the bot once with this DATA_DIR to create it, or set DATA_DIR to the folder the bot keeps its data in (or DATABASE_URL to its PostgreSQL server)." +
    sandboxHint
  );
}

async function openOrRefuse(settings: DatabaseSettings, inUseHint: string | undefined) {
  try {
    return await openDatabase({ url: settings.url, dataDir: settings.dataDir });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    throw new DatabaseRefusal(inUseHint ? `${error.message}\n${inUseHint}` : error.message);
  }
}

/**
 * Opens the database the environment names and checks PostgreSQL answers. Throws
 * DatabaseRefusal when DATABASE_URL is not a Postgres URL, when DATA_DIR holds no embedded database (unless `create`), when another
 * process holds it, or when DATABASE_URL's server cannot be reached or refuses us.
 */
export async function openCliDatabase(
  env: NodeJS.ProcessEnv,
  options: CliDatabaseOptions,
): Promise<DatabaseHandle> {
  const settings = readDatabaseSettings(env);
  const urlProblem = settings.url === undefined ? undefined : databaseUrlProblem(settings.url);
  if (urlProblem) {
    throw new DatabaseRefusal(
      `${urlProblem} Set it to a postgres:// or postgresql:// URL (${DATABASE_URL_FIX.example}), or unset it to use the embedded database in DATA_DIR.`,
    );
  }
  // Checked before opening: opening creates the folder and an empty database in it.
  if (!settings.url && !options.create && !hasEmbeddedDatabase(settings.dataDir)) {
    throw new DatabaseRefusal(noDatabaseMessage(settings, options));
  }
  const db = await openOrRefuse(settings, options.inUseHint);
  try {
    await checkReachable(db);
    return db;
  } catch (error) {
    await db.close(0);
    if (error instanceof DatabaseUnreachableError) throw new DatabaseRefusal(error.message);
    throw error;
  }
}

/**
 * openCliDatabase for a command's main: a refusal is printed on stderr as it is, and the
 * command gets undefined back, to exit with EXIT_REFUSED.
 */
export async function openCliDatabaseOrSay(
  env: NodeJS.ProcessEnv,
  options: CliDatabaseOptions,
): Promise<DatabaseHandle | undefined> {
  try {
    return await openCliDatabase(env, options);
  } catch (error) {
    if (!(error instanceof DatabaseRefusal)) throw error;
    console.error(error.message);
    return undefined;
  }
}

/** One line for an unexpected error: drizzle's wrapper gives way to the database's own message. */
export function oneLine(error: unknown): string {
  const shown = error instanceof DrizzleQueryError && error.cause ? error.cause : error;
  const message = shown instanceof Error ? shown.message : String(shown);
  return message.split("\n")[0] ?? "";
}
