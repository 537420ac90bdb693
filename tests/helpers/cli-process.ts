import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** What a command-line run left behind. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Absolute, so a run may start in another working folder (the default DATA_DIR is ./data).
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

/**
 * Runs one of the npm scripts' commands (`node --import tsx <script>`) to completion with
 * exactly the given environment, in `cwd` (default: the repository).
 */
export function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", TSX, resolve(script), ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      cwd,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => done({ code, stdout, stderr }));
  });
}
