import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { DatabaseHandle } from "./client.ts";

/** The migrations folder at the repository root. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../migrations", import.meta.url));

// Arbitrary constant: the advisory lock that serialises migrations across replicas.
const MIGRATION_LOCK_KEY = 724_011;

/**
 * Applies every pending migration. Safe when several replicas start at once. Tests pass
 * another folder to stop at an earlier migration and check what a later one does to data.
 */
export async function migrateDatabase(
  handle: DatabaseHandle,
  migrationsFolder = MIGRATIONS_FOLDER,
): Promise<void> {
  const config = { migrationsFolder };
  if (handle.kind === "pglite") {
    // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the driver-specific type
    await migratePglite(handle.db as any, config);
    return;
  }
  if (!handle.url) throw new Error("A postgres database handle needs its url to migrate");
  // One dedicated connection, so the session-level advisory lock and the migration share it.
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    await client`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres(client), config);
  } finally {
    await client`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => {});
    await client.end({ timeout: 5 });
  }
}
