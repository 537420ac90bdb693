import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Something a benchmark started and must stop: a server, a database, a temp folder. */
interface Resource {
  what: string;
  close(): Promise<void>;
}

const openScopes = new Set<Scope>();

/**
 * What one benchmark run owns, closed last-opened-first. `close()` runs from the script's
 * `finally`, and from the SIGINT/SIGTERM handler that `runAsScript` installs, so an embedded
 * PostgreSQL and its temp folder never outlive the run, even when it fails or is stopped.
 */
export class Scope {
  private readonly resources: Resource[] = [];
  private closing: Promise<void> | null = null;

  constructor() {
    openScopes.add(this);
  }

  /**
   * Registers `close(value)` to run when the scope closes; returns `value`. Something started
   * while the scope is already closing (a signal came in mid-start) is closed straight away.
   */
  defer<T>(value: T, what: string, close: (value: T) => Promise<void>): T {
    const resource = { what, close: () => close(value) };
    if (this.closing) this.closing = this.closing.then(() => closeOne(resource));
    else this.resources.push(resource);
    return value;
  }

  /** A fresh folder under the system's temp folder, removed when the scope closes. */
  tempDir(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `switchboard-bench-${name}-`));
    return this.defer(dir, "temp folder", async (d) => rmSync(d, { recursive: true, force: true }));
  }

  /**
   * Closes everything deferred, newest first; a failing close is reported and the rest still
   * run. Calls after the first wait for the same closing (a signal and main's `finally` may
   * both ask), so nobody sees it done while a server is still stopping.
   */
  close(): Promise<void> {
    this.closing ??= this.closeEach();
    return this.closing;
  }

  private async closeEach(): Promise<void> {
    openScopes.delete(this);
    for (let r = this.resources.pop(); r; r = this.resources.pop()) await closeOne(r);
  }
}

async function closeOne(resource: Resource): Promise<void> {
  try {
    await resource.close();
  } catch (error) {
    console.error(`cleanup: could not close ${resource.what}:`, error);
  }
}

/** True when `moduleUrl` is the file node was asked to run (not imported by another script). */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && fileURLToPath(moduleUrl) === resolve(script);
}

/**
 * Runs a benchmark's main as the process. On SIGINT/SIGTERM, or a stray uncaught error, it
 * closes every open scope, lets main fail on its closed resources, closes what main opened
 * meanwhile, and exits (after 30 s it exits regardless). An error from main gives exit
 * code 1. It always ends with process.exit, so a stray handle (a keep-alive socket, a
 * library's timer) cannot keep the run alive.
 */
export async function runAsScript(main: () => Promise<void> | void): Promise<never> {
  const run = Promise.resolve().then(main);
  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${why}: cleaning up…`);
    setTimeout(() => process.exit(code), 30_000).unref();
    void closeAll()
      .then(() => run.catch(() => {}))
      .then(closeAll)
      .then(() => process.exit(code));
  };
  process.on("SIGINT", () => stop("SIGINT", 130));
  process.on("SIGTERM", () => stop("SIGTERM", 143));
  // Work still in flight when a signal closes its database fails; that is expected then.
  const stray = (error: unknown) => {
    if (stopping) return;
    console.error(error);
    stop("uncaught error", 1);
  };
  process.on("uncaughtException", stray);
  process.on("unhandledRejection", stray);
  let code = 0;
  try {
    await run;
  } catch (error) {
    code = 1;
    if (!stopping) console.error(error);
  }
  if (stopping) return new Promise<never>(() => {}); // stop() exits once cleanup is done
  await closeAll();
  process.exit(code);
}

async function closeAll(): Promise<void> {
  await Promise.allSettled([...openScopes].map((scope) => scope.close()));
}
