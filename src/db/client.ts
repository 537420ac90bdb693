import { connect, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { acquireDataDirLock } from "./data-dir-lock.ts";
import { embeddedDatabaseFolder } from "./embedded-folder.ts";
import { watchResponses } from "./response-watch.ts";
import type * as schema from "./schema.ts";

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
  /** Waits up to `graceMs` (default 5 s) for queries in flight, then drops the connections. */
  close(graceMs?: number): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent an embedded PGlite database lives in dataDir. */
  url?: string | undefined;
  dataDir: string;
  /** Connections in the pool (postgres only). */
  maxConnections?: number;
  /** Bounds on every wait for PostgreSQL (tests shorten them). */
  timeouts?: Partial<DatabaseTimeouts>;
}

/**
 * How long Switchboard waits for PostgreSQL before it treats it as unavailable. Without
 * these a stopped or frozen server makes requests hang for minutes (TCP's own timeouts).
 */
export interface DatabaseTimeouts {
  /** Opening a connection: TCP, TLS and authentication. */
  connectMs: number;
  /** The server cancels a statement that runs, or waits for a lock, longer than this. */
  statementMs: number;
  /**
   * A connection that sent a request and has heard nothing back for this long is destroyed,
   * failing its query: a frozen server or a dead network path never answers the statement
   * timeout. Queries queued for a free connection therefore wait at most about responseMs +
   * connectMs. Not over TLS, where the TLS layer takes the socket over after the handshake:
   * there the statement timeout and the HTTP deadlines (intake, /healthz) remain.
   */
  responseMs: number;
}

/** Production bounds. 0 turns one off (maintenance such as the benchmarks' VACUUM on millions of rows). */
export const DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectMs: 5_000,
  statementMs: 10_000,
  responseMs: 15_000,
};

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite default. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.maxConnections ?? 10, {
        ...DATABASE_TIMEOUTS,
        ...options.timeouts,
      })
    : openPglite(options.dataDir);
}

/** Turns either driver's execute() result into rows: postgres.js gives an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

function makeQuery(db: Database) {
  return async <T>(statement: SQL, executor: Executor = db) =>
    rowsOf<T>(await executor.execute(statement));
}

/**
 * postgres.js opens its sockets through this, so each one gets an inactivity timeout. It must
 * return the socket at once and report failures as socket errors: a factory that throws
 * leaves postgres.js's pool slot stuck in "connecting".
 */
function watchedSocket(responseMs: number) {
  let attempt = 0; // several hosts in the URL: try them in turn, as postgres.js does
  return (options: { host: string[]; port: number[]; path?: string }): Socket => {
    const i = attempt++;
    const host = options.host[i % options.host.length] ?? "localhost";
    const port = options.port[i % options.port.length] ?? 5432;
    const socket = options.path ? connect(options.path) : connect(port, host);
    if (responseMs > 0) watchResponses(socket, responseMs);
    return socket;
  };
}

async function openPostgres(
  url: string,
  max: number,
  timeouts: DatabaseTimeouts,
): Promise<DatabaseHandle> {
  // `socket` and `max_pipeline` are postgres.js options its type definitions lack.
  const options: postgres.Options<Record<string, never>> & {
    socket: unknown;
    max_pipeline: number;
  } = {
    max,
    // Keep Postgres NOTICEs (e.g. "relation already exists, skipping") out of our logs.
    onnotice: () => {},
    connect_timeout: timeouts.connectMs > 0 ? timeouts.connectMs / 1000 : 30,
    // Reconnect within 2 s of PostgreSQL coming back (postgres.js's default waits up to 20 s).
    backoff: (attempts: number) => Math.min(0.05 * 2 ** attempts, 2),
    // One query in flight per connection. postgres.js counts max_pipeline as queries queued
    // behind the one in flight, so 1 still let two go out at once; 0 sends one at a time.
    // sql.begin() works with it only thanks to patches/postgres+3.4.9.patch (it reserved its
    // connection only when the pipeline had room). Pipelining a transaction's independent
    // statements was tried (intake: 8.6 round trips a complaint down to 4, faster with nothing
    // else running) and undone: with the outbox worker running beside it, intake filed 215
    // complaints a second instead of 497 (`npm run bench -- replicas`), and a burst of timers
    // queued 2.7 times slower (bench/README.md, "Tried and undone"). What it was for is done
    // by fewer statements instead: a new thread is opened by one (src/db/open-thread.ts).
    max_pipeline: 0,
    connection: {
      statement_timeout: timeouts.statementMs,
      idle_in_transaction_session_timeout: timeouts.responseMs * 2,
    },
    socket: watchedSocket(timeouts.responseMs),
    // No array columns here. postgres.js's array-type lookup on each new connection rejects
    // a promise nobody handles when the connection drops right after authenticating: an
    // unhandled rejection, which ends a Node process.
    fetch_types: false,
  };
  const client = postgres(url, options);
  prepareInTransactions(client as unknown as StatementRunner);
  // No schema given to drizzle: it would build a relational query builder per table for
  // every transaction, and nothing here uses its relational API (db.query.*).
  const db = drizzlePostgres(client) as unknown as Database;
  return {
    db,
    kind: "postgres",
    url,
    query: makeQuery(db),
    close: (graceMs = 5_000) => client.end({ timeout: graceMs / 1000 }),
  };
}

/** The parts of a postgres.js client (or transaction) that run statements. */
interface StatementRunner {
  unsafe: (query: string, params?: unknown[], options?: Record<string, unknown>) => unknown;
  begin?: (...args: unknown[]) => unknown;
  savepoint?: (...args: unknown[]) => unknown;
}

/**
 * Makes postgres.js prepare the statements drizzle sends inside transactions (and their
 * savepoints). drizzle runs every query with `prepare: false`, and postgres.js then sends a
 * statement with parameters in two exchanges (Parse + Describe, a wait for the parameter
 * types, then Bind + Execute) and PostgreSQL parses and plans it each time. Prepared, it is
 * described once per connection and then runs in one round trip from a cached plan: intake
 * went from 21 round trips a complaint inside its transaction to 9 (`npm run bench --
 * intake`). Only inside transactions, whose connection is reserved: outside one, a prepared
 * statement lets postgres.js pipeline the next pooled query onto the busy connection, and
 * when that is another transaction's BEGIN it fails (UNSAFE_TRANSACTION). The statements are
 * drizzle's fixed texts (values are always parameters; IN lists vary only in length), so
 * each connection keeps a bounded set.
 */
function prepareInTransactions(client: StatementRunner): void {
  for (const method of ["begin", "savepoint"] as const) {
    const original = client[method];
    if (typeof original !== "function") continue;
    client[method] = (...args: unknown[]) => {
      const last = args.length - 1;
      const body = args[last];
      if (typeof body !== "function") return original.apply(client, args);
      args[last] = (inner: StatementRunner) => {
        const unsafe = inner.unsafe;
        inner.unsafe = (query, params, options) =>
          unsafe(query, params, { ...options, prepare: true });
        prepareInTransactions(inner);
        return body(inner);
      };
      return original.apply(client, args);
    };
  }
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  // PGlite does not lock its directory: two processes on one data dir would corrupt it.
  const releaseLock = dataDir === "memory://" ? () => {} : acquireDataDirLock(dataDir);
  try {
    const client = new PGlite(
      dataDir === "memory://" ? undefined : embeddedDatabaseFolder(dataDir),
    );
    await client.waitReady;
    const db = drizzlePglite(client) as unknown as Database;
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
