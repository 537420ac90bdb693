import { existsSync } from "node:fs";
import { join } from "node:path";

/** The folder inside DATA_DIR where PGlite keeps the embedded database's files. */
export function embeddedDatabaseFolder(dataDir: string): string {
  return join(dataDir, "pglite");
}

/**
 * Whether DATA_DIR already holds an embedded database. PGlite writes PG_VERSION when it
 * creates one and looks for that same file to tell "resume" from "run initdb", so a missing,
 * empty or half-made folder has none (and opening it would create an empty database).
 */
export function hasEmbeddedDatabase(dataDir: string): boolean {
  return existsSync(join(embeddedDatabaseFolder(dataDir), "PG_VERSION"));
}
