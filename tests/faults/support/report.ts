import type { Scope } from "../../../bench/support/lifecycle.ts";
import type { Profile } from "../profile.ts";

/** One promise the suite holds the product to, and whether it held. */
export interface Check {
  what: string;
  ok: boolean;
  /** What was measured, when it did not hold (or to say how close it came). */
  detail?: string;
}

/** One row of the table. */
export interface ScenarioResult {
  scenario: string;
  /** The load and the fault, in words. */
  setup: string;
  lost: string;
  duplicated: string;
  /** Further figures: answers during the fault, drain time… */
  measured: string;
  checks: Check[];
}

/** What a scenario gets from the runner. */
export interface ScenarioContext {
  /** Closed after the scenario: every server, bot and database it started. */
  scope: Scope;
  /** Where its bots' logs go. */
  runDir: string;
  profile: Profile;
  /** The shared PostgreSQL server that no scenario faults. */
  postgres: { url: string; how: string };
  /** For generated data (the fuzzed bodies): --seed replays a run. */
  seed: number;
  /** A progress line on stderr. */
  log(message: string): void;
}

export interface Scenario {
  key: string;
  title: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

/** "1,234" */
export const n = (value: number) => value.toLocaleString("en-US");
/** "12.3 s" */
export const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A check from a condition. */
export function check(what: string, ok: boolean, detail?: string): Check {
  return detail === undefined ? { what, ok } : { what, ok, detail };
}

/** The table in Markdown, as README's "Reliability" section shows it. */
export function formatTable(rows: ReadonlyArray<ScenarioResult & { seconds: number }>): string {
  const header = ["scenario", "load and fault", "lost", "duplicated", "measured", "time", "result"];
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((h) => (h === "lost" || h === "duplicated" || h === "time" ? "---:" : "---")).join("|")}|`,
  ];
  for (const row of rows) {
    const ok = row.checks.every((c) => c.ok);
    const cells = [
      row.scenario,
      row.setup,
      row.lost,
      row.duplicated,
      row.measured,
      `${Math.round(row.seconds)} s`,
      ok ? "pass" : "**FAIL**",
    ];
    lines.push(`| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`);
  }
  return lines.join("\n");
}

/** Every check of every row, one line each, failures marked. */
export function formatChecks(rows: readonly ScenarioResult[]): string {
  return rows
    .flatMap((row) => [
      `${row.scenario}:`,
      ...row.checks.map(
        (c) => `  ${c.ok ? "ok  " : "FAIL"} ${c.what}${c.detail ? ` (${c.detail})` : ""}`,
      ),
    ])
    .join("\n");
}
