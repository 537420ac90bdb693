import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { formatKeyPath, type KeyPath, type PathIssue } from "./key-path.ts";
import { toWorkspaceConfig } from "./to-workspace-config.ts";
import { checkWorkspaceReferences } from "./workspace-checks.ts";
import { hintFor, type KeyHint } from "./workspace-hints.ts";
import { WorkspaceFile } from "./workspace-schema.ts";
import type { WorkspaceConfig } from "./workspace-types.ts";
import { locateKeyPath } from "./yaml-location.ts";
import { validateWithSchema } from "./zod-issues.ts";

/**
 * Reads, validates and converts the workspace YAML at `path`.
 * Throws ConfigError naming the file, key, line, expectation and an example for every problem.
 */
export function loadWorkspaceConfig(path: string): WorkspaceConfig {
  return parseWorkspaceConfig(readConfigFile(path), path);
}

/** Validates and converts workspace YAML text; `path` is only used in error messages. */
export function parseWorkspaceConfig(yamlText: string, path: string): WorkspaceConfig {
  const source = parseWorkspaceSource(yamlText, path);
  return validateWorkspace(source.data, () => source);
}

/** A workspace YAML file parsed but not yet validated, kept with its positions for messages. */
export interface WorkspaceSource {
  path: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The file as plain data (never null: an empty file is refused). */
  data: unknown;
}

/** A problem found outside the schema, and the file it is in. */
export interface SourceIssue {
  source: WorkspaceSource;
  issue: PathIssue;
}

/**
 * Reads and parses the YAML at `path` (see parseWorkspaceSource). `chosenBy` says, when the
 * file is missing, what chose the path (the sandbox's default is not the bot's).
 */
export function readWorkspaceSource(path: string, chosenBy?: string): WorkspaceSource {
  return parseWorkspaceSource(readConfigFile(path, chosenBy), path);
}

/**
 * Parses workspace YAML text without validating it, for a workspace put together from
 * several files. Throws ConfigError for a syntax error or an empty file.
 */
export function parseWorkspaceSource(yamlText: string, path: string): WorkspaceSource {
  const lineCounter = new LineCounter();
  // prettyErrors off: positions are reported through ConfigIssue, not baked into messages.
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(syntaxIssues(doc, lineCounter, path, yamlText));
  }
  const data = toPlainData(doc, path);
  if (data === null || data === undefined) throw new ConfigError([emptyFileIssue(path)]);
  return { path, doc, lineCounter, data };
}

/**
 * Validates and converts workspace data, which may have been put together from several
 * files: `sourceOf` says which file wrote the value at a key path, so that each problem names
 * that file, its line and the key. `found` are problems the caller found itself, reported
 * with the schema's. Throws ConfigError listing every problem, top to bottom per file.
 */
export function validateWorkspace(
  raw: unknown,
  sourceOf: (path: KeyPath) => WorkspaceSource,
  found: readonly SourceIssue[] = [],
): WorkspaceConfig {
  const validation = validateWithSchema(WorkspaceFile, raw);
  const pathIssues = [
    ...(validation.success ? [] : validation.issues),
    ...checkWorkspaceReferences(raw),
  ];
  const issues = [
    ...found.map(({ source, issue }) => locateIssue(issue, source)),
    ...pathIssues.map((issue) => locateIssue(issue, sourceOf(issue.path))),
  ];
  if (!validation.success || issues.length > 0) throw new ConfigError(sortByLine(issues));
  return toWorkspaceConfig(validation.data);
}

// Alias bombs ("billion laughs") make toJS throw; report that like any other syntax problem.
function toPlainData(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ file, path: "", message: `YAML could not be read: ${message}` }]);
  }
}

function readConfigFile(
  path: string,
  chosenBy = "SWITCHBOARD_CONFIG chooses this path (default ./switchboard.yaml).",
): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === "ENOENT"
        ? `The workspace config file was not found at ${resolve(path)}.`
        : `The workspace config file at ${resolve(path)} cannot be read (${code ?? String(error)}).`;
    throw new ConfigError([
      {
        file: path,
        path: "",
        message: `${problem} ${chosenBy}`,
        expected: "a readable YAML file describing departments, routing, priority and SLAs",
        example: "cp switchboard.example.yaml switchboard.yaml   # then edit it",
      },
    ]);
  }
}

// The fix for the syntax errors people make most in this file; others get the general advice.
const SYNTAX_FIXES: Readonly<Record<string, { expected: string; example: string }>> = {
  BAD_DQ_ESCAPE: {
    expected:
      "in double quotes a backslash starts an escape such as \\n; write regular expressions in single quotes, where backslashes stay as written",
    example: "patterns: ['\\bstrand\\w*']",
  },
  DUPLICATE_KEY: {
    expected: "each key once in its mapping: merge the two entries, or delete one",
    example: "sla:\n  P1: { claim: 5m, firstResponse: 15m }   # not a second P1: line",
  },
  TAB_AS_INDENT: {
    expected: "indentation with spaces, never tabs",
    example: "departments:\n  - key: baggage",
  },
};

function syntaxIssues(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  source: string,
): ConfigIssue[] {
  return doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const fix = SYNTAX_FIXES[error.code] ?? {
      expected:
        'valid YAML: nested keys indented with spaces, and values that contain ": " or start with # quoted',
      example: 'channel: "#sb-baggage"',
    };
    const message =
      error.code === "DUPLICATE_KEY"
        ? `YAML syntax error: the key "${keyAt(source, error.pos[0])}" is written twice in one mapping`
        : `YAML syntax error: ${error.message}`;
    return { file, path: "", line, column: col, message, ...fix };
  });
}

/** The key written at `offset` ("admins" in "admins: [U1]"), to name a duplicate. */
function keyAt(source: string, offset: number): string {
  return /^["']?([^"':\n]+)/.exec(source.slice(offset))?.[1]?.trim() ?? "";
}

/** What parseWorkspaceSource says of a file with nothing in it (or only `~`). */
export const EMPTY_FILE_MESSAGE = "The file is empty.";

function emptyFileIssue(file: string): ConfigIssue {
  return {
    file,
    path: "",
    message: EMPTY_FILE_MESSAGE,
    expected: "departments, routing and sla at least",
    example: "cp switchboard.example.yaml switchboard.yaml   # then edit it",
  };
}

/**
 * A problem tied to its line in `source`, with the key's Expected / Example from `hints`
 * (the workspace file's by default) where the problem brings none of its own.
 */
export function locateIssue(
  issue: PathIssue,
  source: WorkspaceSource,
  hints: (path: PathIssue["path"]) => KeyHint | undefined = hintFor,
): ConfigIssue {
  const hint = hints(issue.path);
  const position = locateKeyPath(source.doc, source.lineCounter, issue.path);
  return {
    file: source.path,
    path: formatKeyPath(issue.path),
    line: position?.line,
    column: position?.column,
    message: `${issue.message}.`,
    expected: issue.expected ?? hint?.expected,
    example: issue.example ?? hint?.example,
  };
}

// Reading order: fixing top to bottom is easier than following zod's traversal order. Issues
// of one file stay together, in the order the files first appear.
export function sortByLine(issues: ConfigIssue[]): ConfigIssue[] {
  const files = [...new Set(issues.map((issue) => issue.file))];
  const position = (issue: ConfigIssue) =>
    (issue.line ?? Number.MAX_SAFE_INTEGER) * 10_000 + (issue.column ?? 0);
  return [...issues].sort(
    (a, b) => files.indexOf(a.file) - files.indexOf(b.file) || position(a) - position(b),
  );
}
