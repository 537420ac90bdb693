import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { DIST_MAIN } from "../../scripts/build-dist.ts";

/**
 * Runs `npm start`'s command (`node dist/main.js`; the run's global setup built dist/) as a
 * real process with exactly the given environment, in `cwd` (default: the repository's).
 */
export function startBot(
  env: Record<string, string>,
  cwd?: string,
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [DIST_MAIN], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    cwd,
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** A free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
