import type * as z from "zod";
import { didYouMean } from "./closest-match.ts";
import type { KeyPath, PathIssue } from "./key-path.ts";

/** Result of validating a config tree: the parsed value, or every problem found. */
export type Validation<T> = { success: true; data: T } | { success: false; issues: PathIssue[] };

type RawIssue = z.core.$ZodRawIssue;

/**
 * Validates `data` with `schema`, rewording zod's issues for people editing YAML:
 * a missing key is named, an unknown key gets a "did you mean", and each message says what
 * was found. Unknown keys are split so each one points at its own line.
 */
export function validateWithSchema<T extends z.ZodType>(
  schema: T,
  data: unknown,
): Validation<z.output<T>> {
  const allowedKeys = new Map<string, string[]>();
  const result = schema.safeParse(data, {
    error: (issue) => describeIssue(issue, allowedKeys),
  });
  if (result.success) return { success: true, data: result.data };
  return {
    success: false,
    issues: result.error.issues.flatMap((issue) => splitUnknownKeys(issue, allowedKeys)),
  };
}

function describeIssue(issue: RawIssue, allowedKeys: Map<string, string[]>): string | undefined {
  const key = issue.path?.at(-1);
  switch (issue.code) {
    case "invalid_type":
      return describeWrongType(issue.expected, issue.input, key);
    case "invalid_value":
      return `${describeValue(issue.input)} is not allowed here; use one of ${issue.values.join(", ")}`;
    case "too_small":
      return describeTooSmall(issue);
    case "too_big":
      return `Must be at most ${String(issue.maximum)}, found ${describeValue(issue.input)}`;
    case "invalid_format":
      return `${describeValue(issue.input)} is not in the expected format`;
    case "unrecognized_keys":
      // Remember what was allowed so each unknown key can suggest its nearest neighbour.
      allowedKeys.set(JSON.stringify(issue.path ?? []), shapeKeys(issue.inst));
      return "Unknown key";
    default:
      return undefined;
  }
}

function describeWrongType(expected: string, input: unknown, key: PropertyKey | undefined) {
  if (input === undefined && key !== undefined) return `Missing required key "${String(key)}"`;
  if (input === null && (key === "channel" || key === "executivesChannel")) {
    return `The channel has no value: in YAML a bare # starts a comment, so write ${key}: "#name"`;
  }
  const wanted = TYPE_NAMES[expected] ?? expected;
  return `Expected ${wanted}, found ${describeValue(input)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping of keys to values",
  array: "a list",
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

function describeTooSmall(issue: RawIssue & { code: "too_small" }): string {
  if (issue.origin === "array") {
    return issue.minimum === 1
      ? "Needs at least one entry"
      : `Needs at least ${String(issue.minimum)} entries`;
  }
  if (issue.origin === "string") return "Must not be empty";
  return `Must be at least ${String(issue.minimum)}, found ${describeValue(issue.input)}`;
}

// Names a YAML value in a message: "x" (quoted text), number 3, a list, a mapping, no value.
function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "no value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

function shapeKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

// "{ minFollowers: 10,000 }": inside braces a comma ends the entry, so "000" becomes a key.
const THOUSANDS_HINT =
  ": inside { } a comma separates entries, so a number written with a thousands separator (10,000) is cut there; write 10000";

function splitUnknownKeys(issue: z.core.$ZodIssue, allowedKeys: Map<string, string[]>) {
  if (issue.code !== "unrecognized_keys") return [{ path: issue.path, message: issue.message }];
  const allowed = allowedKeys.get(JSON.stringify(issue.path)) ?? [];
  return issue.keys.map(
    (key): PathIssue => ({
      path: [...issue.path, key] as KeyPath,
      message: `Unknown key "${key}"${/^\d+$/.test(key) ? THOUSANDS_HINT : didYouMean(key, allowed)}`,
      expected: allowed.length > 0 ? `one of the keys ${allowed.join(", ")}` : undefined,
    }),
  );
}
