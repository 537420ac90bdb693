/** One thing wrong with the configuration, precise enough to fix without reading code. */
export interface ConfigIssue {
  /** The config file, or "environment" for environment variables. */
  file: string;
  /** Key path such as "routing.rules[2].department", or the variable name; "" for the whole file. */
  path: string;
  /** 1-based line in the file, when known. */
  line?: number | undefined;
  /** 1-based column in the file, when known. */
  column?: number | undefined;
  message: string;
  /** What a valid value looks like, in words. */
  expected?: string | undefined;
  /** A valid value, written as it would appear in the file or environment. */
  example?: string | undefined;
}

/**
 * Thrown when the environment or the workspace file is invalid. Lists every problem at once,
 * so a deploy needs one fix-and-retry round rather than one per mistake. `message` is the
 * human-readable report that main prints before exiting.
 */
export class ConfigError extends Error {
  readonly code = "config_invalid";
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(formatConfigIssues(issues));
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** At most `limit` problems are listed; the rest are counted, with how to list them all. */
export interface IssueLimit {
  limit: number;
  /** What to run to see every problem, such as "run npm run sandbox -- --all-problems". */
  showAll: string;
}

/**
 * Renders issues as the multi-line report used for ConfigError's message. The header counts
 * every problem, also those a `shown` limit leaves out.
 */
export function formatConfigIssues(issues: readonly ConfigIssue[], shown?: IssueLimit): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  const sources = [...new Set(issues.map((issue) => issue.file))].join(", ");
  const listed = shown ? issues.slice(0, Math.max(1, shown.limit)) : issues;
  const hidden = issues.length - listed.length;
  const rest =
    hidden > 0 && shown
      ? [`  …and ${hidden} more ${hidden === 1 ? "problem" : "problems"}: ${shown.showAll}.`]
      : [];
  return [
    `Invalid configuration in ${sources} (${count}):`,
    ...listed.map(formatIssue),
    ...rest,
  ].join("\n\n");
}

function formatIssue(issue: ConfigIssue): string {
  const lines = [`  ${formatLocation(issue)}`, `    ${issue.message}`];
  if (issue.expected) lines.push(`    Expected: ${issue.expected}`);
  if (issue.example) lines.push(...formatExample(issue.example));
  return lines.join("\n");
}

function formatLocation(issue: ConfigIssue): string {
  const position =
    issue.line === undefined
      ? ""
      : `:${issue.line}${issue.column === undefined ? "" : `:${issue.column}`}`;
  const where = `${issue.file}${position}`;
  return issue.path === "" ? where : `${where}  ${issue.path}`;
}

function formatExample(example: string): string[] {
  const [first = "", ...rest] = example.split("\n");
  return [`    Example:  ${first}`, ...rest.map((line) => `              ${line}`)];
}
