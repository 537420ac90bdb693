import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SUPPORT_DIR = dirname(fileURLToPath(import.meta.url));

/** One load run: unique complaints posted to the targets by autocannon in another process. */
export interface LoadJob {
  /** Base URLs; connections are split between them (replicas). */
  targets: string[];
  token: string;
  path: "/api/v1/complaints" | "/api/v1/complaints/batch";
  connections: number;
  /** Stop after this many seconds… */
  durationS?: number;
  /** …or after this many requests. */
  amount?: number;
  /** Complaints per request on the batch path. */
  batchSize?: number;
  /** externalId prefix, unique per run, so every complaint is new. */
  prefix: string;
  /** Name "deptN" (N = complaint number modulo this) in each text, for the storm workspace. */
  departments?: number;
  /** Every this-many complaint says "injured" (P1 in the storm workspace). */
  p1Every?: number;
  /** Requests per second over all connections (default: as fast as answered). */
  overallRate?: number;
}

export interface LoadResult {
  /** Requests answered 2xx. */
  requests: number;
  /** Complaints in them (requests × batch size). */
  complaints: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Request latency, ms (autocannon's histogram; the worst target's with several). */
  p50: number;
  p99: number;
  perTarget: Array<{
    requests: number;
    non2xx: number;
    errors: number;
    seconds: number;
    p50: number;
    p99: number;
  }>;
}

/** Runs a load job in a fresh process (autocannon 9) and returns its figures. */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(SUPPORT_DIR, "load-main.ts"), JSON.stringify(job)],
      { stdio: ["ignore", "inherit", "inherit", "ipc"] },
    );
    let result: LoadResult | undefined;
    child.on("message", (m: LoadResult) => {
      result = m;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`load generator exited ${code} without figures`));
    });
  });
}
