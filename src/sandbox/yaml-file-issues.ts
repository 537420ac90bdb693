import { findClosestMatch } from "../config/closest-match.ts";
import type { ConfigIssue } from "../config/config-error.ts";
import type { KeyPath, PathIssue } from "../config/key-path.ts";
import { locateIssue, sortByLine, type WorkspaceSource } from "../config/load-workspace.ts";

/**
 * The sandbox's own YAML files reported as the workspace config is: each problem with its
 * file, line and key path (the mechanism of src/config, not a copy of it).
 */

/** The problems tied to the lines of `source`, top to bottom (no workspace-file hints). */
export function locateIssues(issues: readonly PathIssue[], source: WorkspaceSource): ConfigIssue[] {
  return sortByLine(issues.map((issue) => locateIssue(issue, source, () => undefined)));
}

/**
 * A misspelt key is two problems to the schema: an unknown key where it is written, and a
 * required key missing from the same mapping. Only the first has a line and a "did you
 * mean", and fixing it fixes both: the missing key is left out.
 */
export function withoutMisspeltKeys(issues: readonly PathIssue[], data: unknown): PathIssue[] {
  return issues.filter((missing) => {
    if (hasPath(data, missing.path)) return true;
    const name = String(missing.path.at(-1));
    return !issues.some(
      (written) =>
        hasPath(data, written.path) &&
        sameParent(written.path, missing.path) &&
        findClosestMatch(String(written.path.at(-1)), [name]) !== undefined,
    );
  });
}

function sameParent(a: KeyPath, b: KeyPath): boolean {
  return a.length === b.length && a.slice(0, -1).every((segment, i) => segment === b[i]);
}

/** Whether `data` has a value (even null) at `path`. */
export function hasPath(data: unknown, path: KeyPath): boolean {
  let node = data;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number" && segment < node.length) {
      node = node[segment];
    } else if (isMapping(node) && String(segment) in node) node = node[String(segment)];
    else return false;
  }
  return true;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
