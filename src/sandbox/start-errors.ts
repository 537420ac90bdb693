import { ConfigError, type ConfigIssue, formatConfigIssues } from "../config/config-error.ts";

/**
 * Why the sandbox cannot start, saying what to do (a port in use, a data folder another
 * sandbox holds, mistakes in a config file). `npm run sandbox` prints it and exits with code
 * 2, like `npm start` does for a bad configuration. Config mistakes keep their `problems`, so
 * that main can list them up to its limit.
 */
export class SandboxStartError extends Error {
  readonly problems: readonly ConfigIssue[] | undefined;

  constructor(message: string, problems?: readonly ConfigIssue[]) {
    super(message);
    this.name = "SandboxStartError";
    this.problems = problems;
  }
}

/** The option that lists every config problem, past SHOWN_PROBLEMS. */
export const ALL_PROBLEMS_OPTION = "--all-problems";

/**
 * How many config problems the sandbox lists by default: enough for the usual handful of
 * mistakes, while a wrong file (hundreds of unknown keys) still fits on a screen.
 */
export const SHOWN_PROBLEMS = 10;

/** Every problem of a ConfigError, each with its file, line, key and fix, as npm start lists them. */
export function configStartError(error: ConfigError): SandboxStartError {
  return new SandboxStartError(describeProblems(error.issues), error.issues);
}

/** The sandbox's refusal for config problems: the first `limit` of them, and how to see the rest. */
export function describeProblems(issues: readonly ConfigIssue[], limit = Infinity): string {
  const list = formatConfigIssues(issues, {
    limit,
    showAll: `run npm run sandbox -- ${ALL_PROBLEMS_OPTION} to list them all`,
  });
  return `Cannot start the sandbox: its configuration needs fixing.\n\n${list}`;
}

/** True for the error startSwitchboard or a server gives when a port is taken. */
export function isPortInUse(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return e?.code === "EADDRINUSE" || e?.code === "EACCES" || e?.name === "PortUnavailableError";
}

export { ConfigError };
