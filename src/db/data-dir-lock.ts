import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Raised when another live process already uses the embedded database. */
export class DataDirInUseError extends Error {
  readonly code = "data_dir_in_use";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is already in use by process ${pid}.\n` +
        "Stop that process first, or run this one with another DATA_DIR, or set DATABASE_URL " +
        "to a PostgreSQL server (which several processes can share).",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes an exclusive lock file in dataDir holding our pid. A lock left by a dead
 * process is taken over. Returns the function that releases it. `fileName` names the lock,
 * so another holder of the folder (the sandbox's Slack workspace) can take its own.
 */
export function acquireDataDirLock(dataDir: string, fileName = "switchboard.lock"): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, fileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readPid(file);
      if (holder !== null && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      if (holder === process.pid) throw new DataDirInUseError(dataDir, holder);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock file ${file}`);
}
