import { ConfigError } from "../config/config-error.ts";
import type { KeyPath, PathIssue } from "../config/key-path.ts";
import {
  readWorkspaceSource,
  type SourceIssue,
  validateWorkspace,
  type WorkspaceSource,
} from "../config/load-workspace.ts";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { locateKeyPath } from "../config/yaml-location.ts";
import { hasPath } from "./yaml-file-issues.ts";

/** The sandbox's own sections of the workspace file, unless SWITCHBOARD_CONFIG names another. */
export const SANDBOX_CONFIG_PATH = "sandbox/switchboard.yaml";

/** Where the sandbox keeps its database and Slack workspace, unless DATA_DIR names another. */
export const SANDBOX_DATA_DIR = "./data/sandbox";

/** The file whose rules the sandbox shows: the example Switchboard ships. */
export const EXAMPLE_CONFIG_PATH = "switchboard.example.yaml";

/**
 * The sections the sandbox takes from the example, so that it shows the routing, priority
 * and kind rules Switchboard ships rather than a copy that drifts from them.
 */
export const RULE_SECTIONS = ["routing", "priority", "kinds"] as const;

/** Keys of those sections only the example may set: the rules themselves. */
const RULE_KEYS = ["rules", "default"];

type Data = Record<string, unknown>;

/**
 * The sandbox's workspace: the rule sections (routing, priority, kinds) of the example, and
 * every other section from the sandbox's own file (people, short SLA windows, escalation…).
 * The sandbox file may adjust a setting inside a rule section (say, how often the roll-up
 * runs): mappings are merged key by key and anything else it writes replaces the example's,
 * but it may not hold rules or defaults. Its departments must be the example's (key, name
 * and channel), with its own leads. The result is validated as any workspace file is; each
 * problem names the file that wrote the value, its line and its key.
 */
export function loadSandboxConfig(paths: { sandbox: string; rules: string }): WorkspaceConfig {
  const sandbox = readWorkspaceSource(
    paths.sandbox,
    `SWITCHBOARD_CONFIG chooses this path (the sandbox's default is ${SANDBOX_CONFIG_PATH}).`,
  );
  const rules = readWorkspaceSource(
    paths.rules,
    "The sandbox shows the rules of this file, which comes with Switchboard: restore it (git checkout switchboard.example.yaml).",
  );
  const own = asData(sandbox.data);
  refuseWholeWorkspaceFile(own, sandbox.path, paths.rules);
  const shipped = asData(rules.data);
  const found: SourceIssue[] = [
    ...ruleKeyIssues(own, rules.path).map((issue) => ({ source: sandbox, issue })),
    ...departmentIssues(own, shipped, rules).map((issue) => ({ source: sandbox, issue })),
  ];
  const composed: Data = { ...own };
  for (const section of RULE_SECTIONS) {
    const adjusted = withoutRuleKeys(own[section]);
    const merged = overlay(shipped[section], adjusted);
    if (merged === undefined) delete composed[section];
    else composed[section] = merged;
  }
  return validateWorkspace(composed, (path) => sourceOf(path, own, sandbox, rules), found);
}

/** Which file wrote the value at `path` of the composed workspace. */
function sourceOf(
  path: KeyPath,
  own: Data,
  sandbox: WorkspaceSource,
  rules: WorkspaceSource,
): WorkspaceSource {
  const [section] = path;
  if (!(RULE_SECTIONS as readonly PropertyKey[]).includes(section ?? "")) return sandbox;
  let mine: unknown = own;
  for (const segment of path) {
    if (!isData(mine)) return sandbox; // the sandbox wrote a value here that replaced the example's
    if (!(String(segment) in mine)) {
      // The sandbox does not go this deep: the example wrote it, unless neither file has it,
      // in which case the key belongs with the sandbox's own mapping.
      return hasPath(rules.data, path) || !hasPath(sandbox.data, path.slice(0, -1))
        ? rules
        : sandbox;
    }
    mine = mine[String(segment)];
  }
  return sandbox;
}

/**
 * A file with routing rules is a whole workspace file (a copy of the example, or one's own
 * switchboard.yaml), not the sandbox's layer: one problem saying so, rather than one line at a
 * time for each of its sections the sandbox takes elsewhere.
 */
function refuseWholeWorkspaceFile(own: Data, path: string, rulesPath: string): void {
  const routing = own.routing;
  if (!isData(routing) || !Array.isArray(routing.rules) || routing.rules.length === 0) return;
  throw new ConfigError([
    {
      file: path,
      path: "",
      message: `it has routing rules, so it is a whole workspace file; the sandbox's SWITCHBOARD_CONFIG is only the sandbox's own sections (departments' leads, people, SLA windows, escalation…) laid over the rules of ${rulesPath}, as in ${SANDBOX_CONFIG_PATH}. Run a whole workspace file with npm start; to change what the sandbox shows, edit ${SANDBOX_CONFIG_PATH} (or a copy of it) and ${rulesPath}`,
    },
  ]);
}

function ruleKeyIssues(own: Data, rulesPath: string): PathIssue[] {
  return RULE_SECTIONS.flatMap((section) => {
    const written = own[section];
    if (!isData(written)) {
      return written === undefined
        ? []
        : [
            {
              path: [section],
              message: `The sandbox takes its ${section} section from ${rulesPath}; here it may only adjust settings inside it, as a mapping`,
              example: 'kinds:\n  profiles:\n    other: { at: "*/10 * * * *" }',
            },
          ];
    }
    return RULE_KEYS.filter((key) => key in written).map((key) => ({
      path: [section, key],
      message: `The sandbox shows the ${section} ${key === "rules" ? "rules" : "default"} of ${rulesPath}, so there is one copy of them: remove this key, and change ${rulesPath} to change what the sandbox shows`,
    }));
  });
}

/** The sandbox's departments must be the example's, in key, name and channel. */
function departmentIssues(own: Data, shipped: Data, rules: WorkspaceSource): PathIssue[] {
  const mine = Array.isArray(own.departments) ? own.departments.map(asData) : [];
  const theirs = Array.isArray(shipped.departments) ? shipped.departments.map(asData) : [];
  const keys = theirs.map((d) => String(d.key));
  const issues: PathIssue[] = [];
  for (const [index, department] of theirs.entries()) {
    if (mine.some((d) => d.key === department.key)) continue;
    const line = lineOf(rules, ["departments", index]);
    issues.push({
      path: ["departments"],
      message: `The example's department "${String(department.key)}" (${rules.path}${line}) is missing: the sandbox shows the example's departments, with its own leads`,
      example: `- key: ${String(department.key)}\n  name: ${String(department.name)}\n  channel: "${String(department.channel)}"\n  leads: [U0SBLEAD01]`,
    });
  }
  for (const [index, department] of mine.entries()) {
    const match = theirs.findIndex((d) => d.key === department.key);
    if (match < 0) {
      if (department.key === undefined) continue; // the schema reports the missing key
      issues.push({
        path: ["departments", index, "key"],
        message: `"${String(department.key)}" is not one of the example's departments (${keys.join(", ")} in ${rules.path}); the sandbox shows the example's departments`,
      });
      continue;
    }
    for (const key of ["name", "channel"] as const) {
      const expected = theirs[match]?.[key];
      if (department[key] === undefined || department[key] === expected) continue;
      const line = lineOf(rules, ["departments", match, key]);
      issues.push({
        path: ["departments", index, key],
        message: `"${String(department[key])}" differs from the example's ${JSON.stringify(expected)} (${rules.path}${line}); the sandbox shows the example's departments as they are`,
      });
    }
  }
  return issues;
}

function lineOf(source: WorkspaceSource, path: KeyPath): string {
  const position = locateKeyPath(source.doc, source.lineCounter, path);
  return position ? ` line ${position.line}` : "";
}

/** `over` laid on `base`: mappings merged key by key, anything else in `over` replacing. */
function overlay(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isData(base) || !isData(over)) return over;
  const merged: Data = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = overlay(base[key], value);
  return merged;
}

function withoutRuleKeys(section: unknown): unknown {
  if (!isData(section)) return undefined;
  return Object.fromEntries(Object.entries(section).filter(([key]) => !RULE_KEYS.includes(key)));
}

function isData(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asData(value: unknown): Data {
  return isData(value) ? value : {};
}
