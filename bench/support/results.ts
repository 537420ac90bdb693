import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeMachine } from "./machine.ts";

/** The load average when this benchmark's process started (the machine is shared). */
const LOAD_AT_START = loadavg().map((l) => Number(l.toFixed(2)));

/** Where every benchmark also writes its figures, beside the printed tables. */
export const RESULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), "../results.json");

/**
 * Records one benchmark's figures in bench/results.json under its name, with the machine and
 * versions they were measured on and when; the other benchmarks' entries are kept.
 */
export function writeResults(name: string, figures: unknown, postgresVersion?: string): void {
  const all = existsSync(RESULTS_FILE)
    ? (JSON.parse(readFileSync(RESULTS_FILE, "utf8")) as Record<string, unknown>)
    : {};
  all[name] = {
    measuredAt: new Date().toISOString(),
    machine: { ...describeMachine(postgresVersion), loadAverageAtStart: LOAD_AT_START },
    figures,
  };
  const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
  const temp = `${RESULTS_FILE}.tmp`;
  writeFileSync(temp, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(temp, RESULTS_FILE);
  console.log(`\n(figures also written to bench/results.json under "${name}")`);
}
