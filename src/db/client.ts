import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import * as schema from "./schema.ts";

type Schema = typeof schema;

/** The drizzle database, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A transaction, usable wherever a Database is. */
export type Transaction = PgTransaction<
  PgQueryResultHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;
/** Anything queries can run on. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  /** The server URL (postgres only). */
  url?: string;
  /** Runs raw SQL and returns its rows, hiding the drivers' different result shapes. */
  query<T>(statement: SQL, executor?: Executor): Promise<T[]>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent an embedded PGlite database lives in dataDir. */
  url?: string | undefined;
  dataDir: string;
  /** Connections in the pool (postgres only). */
  maxConnections?: number;
}

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite default. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.maxConnections)
    : openPglite(options.dataDir);
}

/** Turns either driver's execute() result into rows: postgres.js gives an array, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

function makeQuery(db: Database) {
  return async <T>(statement: SQL, executor: Executor = db) =>
    rowsOf<T>(await executor.execute(statement));
}

async function openPostgres(url: string, max = 10): Promise<DatabaseHandle> {
  // onnotice: keep Postgres NOTICEs (e.g. "relation already exists, skipping") out of our logs.
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    url,
    query: makeQuery(db),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  // PGlite does not lock its directory: two processes on one data dir would corrupt it.
  const releaseLock = dataDir === "memory://" ? () => {} : acquireDataDirLock(dataDir);
  try {
    const client = new PGlite(dataDir === "memory://" ? undefined : `${dataDir}/pglite`);
    await client.waitReady;
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    return {
      db,
      kind: "pglite",
      query: makeQuery(db),
      close: async () => {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
