import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Where the shared evaluation data lives: $SWITCHBOARD_DATA_DIR when set, else the first
 * `shared/data` found beside the repository or one level further up (a checkout in
 * /work/main and a worktree in /work/wt/<name> both find /work/shared/data). The data is
 * never copied into the repository: its licences forbid re-publishing it under ours.
 */
export function sharedDataCandidates(): string[] {
  const fromEnv = process.env.SWITCHBOARD_DATA_DIR?.trim();
  if (fromEnv) return [resolve(fromEnv)];
  return [join(REPO_ROOT, "../shared/data"), join(REPO_ROOT, "../../shared/data")];
}

/** The path of a shared data file, or undefined when no candidate folder holds it. */
export function findSharedFile(name: string): string | undefined {
  return sharedDataCandidates()
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}

/**
 * Exit code of a benchmark that could not run because its data is absent: `bench/run.ts`
 * reports it as "skipped", not as a failure or a pass.
 */
export const EXIT_DATA_MISSING = 3;

/** Says clearly which file is missing and where it was looked for, then exits "skipped". */
export function exitDataMissing(name: string): never {
  const looked = sharedDataCandidates()
    .map((dir) => `  ${join(dir, name)}`)
    .join("\n");
  console.log(
    [
      `SKIPPED: ${name} was not found. Looked in:`,
      looked,
      "It is real customer data kept outside the repository (see shared/data/README.md);",
      "set SWITCHBOARD_DATA_DIR to the folder that holds it. No figure was measured.",
    ].join("\n"),
  );
  process.exit(EXIT_DATA_MISSING);
}
