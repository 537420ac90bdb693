import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where `npm run build` puts the JavaScript that `npm start` runs. */
export const DIST_MAIN = join(REPO_ROOT, "dist", "main.js");

/**
 * `npm run build`: compiles src/ to dist/ (tsconfig.build.json). Tests and benchmarks that
 * start the bot as a process of its own call it first, so they run what `npm start` runs
 * (plain JavaScript: the tsx loader runs in a worker thread with a V8 of its own, which
 * doubled the bot's memory at rest).
 */
export function buildDist(): void {
  try {
    execFileSync(join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.build.json"], {
      cwd: REPO_ROOT,
      stdio: "pipe",
    });
  } catch (error) {
    const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
    throw new Error(`npm run build failed (tsc -p tsconfig.build.json):\n${output}`);
  }
}
