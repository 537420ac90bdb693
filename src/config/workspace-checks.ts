import { formatDuration } from "../domain/duration.ts";
import { DEFAULT_NUDGE_POLICY } from "../domain/escalation-plan.ts";
import { didYouMean } from "./closest-match.ts";
import { formatKeyPath, type PathIssue } from "./key-path.ts";
import { fixDepartmentKey } from "./workspace-schema.ts";

// Checks that span several keys: references to departments and calendars, uniqueness,
// set-versus-raise, and a channel for escalations. They read the raw parsed YAML defensively
// rather than the schema's output, so they still run when some other part of the file is
// invalid and every problem is reported.

type Raw = Record<string, unknown>;

/** Reports broken references, duplicates and rule shape problems in the raw parsed YAML. */
export function checkWorkspaceReferences(root: unknown): PathIssue[] {
  const file = asRecord(root);
  const routing = asRecord(file.routing);
  const departmentKeys = [...new Set(stringsAt(asList(file.departments), "key"))];
  // A reference to what an invalid key's own message says to write ("Baggage" → "baggage") is
  // right already: reporting it would suggest the invalid spelling instead.
  const fixedKeys = departmentKeys.flatMap((key) => fixDepartmentKey(key) ?? []);
  const calendarKeys = Object.keys(asRecord(file.calendars));
  return [
    ...findDuplicates(asList(file.departments), "key", ["departments"], "department key"),
    ...findDuplicates(asList(routing.rules), "name", ["routing", "rules"], "routing rule name"),
    ...findDuplicates(
      asList(asRecord(file.priority).rules),
      "name",
      ["priority", "rules"],
      "priority rule name",
    ),
    ...findDuplicates(
      asList(asRecord(file.kinds).rules),
      "name",
      ["kinds", "rules"],
      "kind rule name",
    ),
    ...findDuplicates(asList(file.people), "user", ["people"], "user"),
    // Digests and their timers are kept per user: a second entry would never be honoured.
    ...findDuplicates(asList(file.executives), "user", ["executives"], "executive"),
    ...checkDepartmentReferences(routing, departmentKeys, fixedKeys),
    ...checkExecutiveDepartments(asList(file.executives), departmentKeys, fixedKeys),
    ...checkCalendarReferences(asList(file.departments), ["departments"], calendarKeys),
    ...checkCalendarReferences(asList(file.people), ["people"], calendarKeys),
    ...checkPriorityActions(asList(asRecord(file.priority).rules)),
    ...checkExecutivesChannel(file.escalation),
  ];
}

function checkDepartmentReferences(routing: Raw, keys: string[], fixed: string[]): PathIssue[] {
  // With no valid department at all the schema already complains; one message is enough.
  if (keys.length === 0) return [];
  const issues = [
    unknownReference(routing.default, ["routing", "default"], keys, "department", fixed),
  ];
  asList(routing.rules).forEach((rule, index) => {
    const path = ["routing", "rules", index, "department"];
    issues.push(unknownReference(asRecord(rule).department, path, keys, "department", fixed));
  });
  return issues.filter((issue) => issue !== undefined);
}

function checkExecutiveDepartments(
  executives: unknown[],
  keys: string[],
  fixed: string[],
): PathIssue[] {
  if (keys.length === 0) return [];
  return executives.flatMap((executive, index) =>
    asList(asRecord(executive).departments).flatMap((department, position) => {
      const path = ["executives", index, "departments", position];
      const issue = unknownReference(department, path, keys, "department", fixed);
      return issue ? [issue] : [];
    }),
  );
}

function checkCalendarReferences(items: unknown[], listPath: string[], keys: string[]) {
  return items
    .map((item, index) => {
      const calendar = asRecord(item).calendar;
      return unknownReference(calendar, [...listPath, index, "calendar"], keys, "calendar");
    })
    .filter((issue) => issue !== undefined);
}

// Escalation steps post to executivesChannel, so a section that has any (written, or the
// default one when escalate is left out) must name it. With no escalation section at all the
// default ladder applies and no channel is required.
function checkExecutivesChannel(escalation: unknown): PathIssue[] {
  if (!isRecord(escalation) || escalation.executivesChannel !== undefined) return [];
  const { escalate } = escalation;
  if (escalate !== undefined && (!Array.isArray(escalate) || escalate.length === 0)) return [];
  const steps = Array.isArray(escalate)
    ? `escalation.escalate has ${escalate.length === 1 ? "a step" : `${escalate.length} steps`}`
    : `escalation.escalate is left out, so the default applies (${describeDefaultEscalation()})`;
  return [
    {
      path: ["escalation", "executivesChannel"],
      message: `Missing required key "executivesChannel": ${steps}, and escalations are posted there`,
      expected:
        'the channel where escalations are posted ("#name" or C…), or escalate: [] to escalate to no one',
      example: 'executivesChannel: "#sb-exec"',
    },
  ];
}

function describeDefaultEscalation(): string {
  const delays = DEFAULT_NUDGE_POLICY.escalate.map((step) => formatDuration(step.afterBreachMs));
  return `escalating ${delays.join(" and ")} after a breach`;
}

function unknownReference(
  value: unknown,
  path: PathIssue["path"],
  keys: string[],
  kind: string,
  pending: string[] = [],
) {
  if (typeof value !== "string" || keys.includes(value) || pending.includes(value))
    return undefined;
  return {
    path,
    message: `Unknown ${kind} "${value}"${didYouMean(value, keys)}`,
    expected:
      keys.length > 0
        ? `one of the ${kind} keys: ${keys.join(", ")}`
        : `a key defined under ${kind}s`,
  } satisfies PathIssue;
}

function checkPriorityActions(rules: unknown[]): PathIssue[] {
  return rules.flatMap((rule, index) => {
    const { set, raise } = asRecord(rule);
    if (!isRecord(rule) || (set === undefined) !== (raise === undefined)) return [];
    return [
      {
        path: ["priority", "rules", index],
        message:
          set === undefined
            ? "The rule has neither set nor raise, so it would change nothing"
            : "The rule has both set and raise; use one per rule",
        expected: "exactly one of set (P1..P4) or raise (1..3)",
        example: "set: P1   # or: raise: 1",
      },
    ];
  });
}

function findDuplicates(items: unknown[], field: string, listPath: PropertyKey[], what: string) {
  const firstIndex = new Map<string, number>();
  return items.flatMap((item, index): PathIssue[] => {
    const value = asRecord(item)[field];
    if (typeof value !== "string") return [];
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
      return [];
    }
    return [
      {
        path: [...listPath, index, field],
        message: `Duplicate ${what} "${value}"; ${formatKeyPath([...listPath, first])} already uses it`,
        expected: `a ${what} that no other entry uses`,
      },
    ];
  });
}

function stringsAt(items: unknown[], field: string): string[] {
  return items.map((item) => asRecord(item)[field]).filter((value) => typeof value === "string");
}

function isRecord(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Raw {
  return isRecord(value) ? value : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
