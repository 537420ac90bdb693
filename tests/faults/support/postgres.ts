import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import type { Scope } from "../../../bench/support/lifecycle.ts";
import { type DatabaseHandle, openDatabase } from "../../../src/db/client.ts";
import { migrateDatabase } from "../../../src/db/migrate.ts";
import {
  startEmbeddedPostgres,
  startRestartablePostgres,
} from "../../helpers/embedded-postgres.ts";
import { startTcpProxy } from "../../helpers/tcp-proxy.ts";

/**
 * A PostgreSQL server the suite can take away. `stop` refuses every connection and ends
 * every session, `freeze` leaves connections open but answers nothing; `restore` ends either.
 */
export interface FaultyPostgres {
  /** What the faults really do, for the report. */
  readonly how: string;
  /** For the suite's own connections (creating databases, reading results). */
  readonly adminUrl: string;
  /** The URL a bot uses for database `name`. */
  botUrl(name: string): string;
  stop(): Promise<void>;
  freeze(): Promise<void>;
  restore(): Promise<void>;
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A server that is never faulted: TEST_DATABASE_URL, or a throwaway embedded one. */
export async function startPlainPostgres(scope: Scope): Promise<{ url: string; how: string }> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { url: external, how: "TEST_DATABASE_URL" };
  const server = await startEmbeddedPostgres();
  scope.defer(server, "embedded PostgreSQL", (s) => s.stop());
  return { url: server.url, how: "embedded-postgres" };
}

/**
 * A server the suite may stop and freeze. Its own embedded server, really stopped (a fast
 * shutdown) and really frozen (SIGSTOP on the postmaster and every backend). With
 * TEST_DATABASE_URL the suite cannot stop that server, so the bots reach it through a TCP
 * proxy that resets (stopped) or holds (frozen) their connections.
 */
export async function startFaultyPostgres(scope: Scope): Promise<FaultyPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const proxy = await startTcpProxy(external);
    scope.defer(proxy, "database proxy", (p) => p.close());
    return {
      how: "TEST_DATABASE_URL behind a TCP proxy that resets or holds connections",
      adminUrl: external,
      botUrl: (name) => proxy.via(withDatabase(external, name)),
      stop: async () => proxy.cut(),
      freeze: async () => proxy.freeze(),
      restore: async () => proxy.restore(),
    };
  }
  const server = await startRestartablePostgres();
  let state: "up" | "stopped" | "frozen" = "up";
  const restore = async () => {
    if (state === "stopped") await server.start();
    if (state === "frozen") signalServer(server.dataDir, "SIGCONT");
    state = "up";
  };
  scope.defer(server, "fault-test PostgreSQL", async (s) => {
    if (state === "frozen") await restore();
    await s.close();
  });
  return {
    how: "a fast shutdown, then SIGSTOP on every PostgreSQL process",
    adminUrl: server.url,
    botUrl: (name) => withDatabase(server.url, name),
    async stop() {
      await server.stop();
      state = "stopped";
    },
    async freeze() {
      signalServer(server.dataDir, "SIGSTOP");
      state = "frozen";
    },
    restore,
  };
}

/**
 * Sends a signal to the postmaster (its pid is postmaster.pid's first line) and to every
 * process it started. Stopping the postmaster first keeps it from starting new backends.
 */
function signalServer(dataDir: string, signal: "SIGSTOP" | "SIGCONT"): void {
  const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => parentOf(pid) === postmaster);
  const order = signal === "SIGSTOP" ? [postmaster, ...children] : [...children, postmaster];
  for (const pid of order) {
    try {
      process.kill(pid, signal);
    } catch {
      // A backend that just exited.
    }
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after ")".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** A fresh, migrated database on the server, and the suite's own handle on it. */
export async function createDatabase(
  scope: Scope,
  serverUrl: string,
  prefix: string,
): Promise<{ name: string; url: string; handle: DatabaseHandle }> {
  const name = `faults_${prefix}_${Math.random().toString(16).slice(2, 10)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const handle = await openDatabase({
    url,
    dataDir: "unused",
    maxConnections: 4,
  });
  scope.defer(handle, `database ${name}`, (h) => h.close(0));
  await migrateDatabase(handle);
  return { name, url, handle };
}
