import { didYouMean } from "./closest-match.ts";
import { formatKeyPath, type PathIssue } from "./key-path.ts";

// Checks that span several keys: references to departments and calendars, uniqueness, and
// set-versus-raise. They read the raw parsed YAML defensively rather than the schema's output,
// so they still run when some other part of the file is invalid and every problem is reported.

type Raw = Record<string, unknown>;

/** Reports broken references, duplicates and rule shape problems in the raw parsed YAML. */
export function checkWorkspaceReferences(root: unknown): PathIssue[] {
  const file = asRecord(root);
  const routing = asRecord(file.routing);
  const departmentKeys = [...new Set(stringsAt(asList(file.departments), "key"))];
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
    ...checkDepartmentReferences(routing, departmentKeys),
    ...checkCalendarReferences(asList(file.departments), calendarKeys),
    ...checkPriorityActions(asList(asRecord(file.priority).rules)),
  ];
}

function checkDepartmentReferences(routing: Raw, keys: string[]): PathIssue[] {
  // With no valid department at all the schema already complains; one message is enough.
  if (keys.length === 0) return [];
  const issues = [unknownReference(routing.default, ["routing", "default"], keys, "department")];
  asList(routing.rules).forEach((rule, index) => {
    const path = ["routing", "rules", index, "department"];
    issues.push(unknownReference(asRecord(rule).department, path, keys, "department"));
  });
  return issues.filter((issue) => issue !== undefined);
}

function checkCalendarReferences(departments: unknown[], keys: string[]): PathIssue[] {
  return departments
    .map((department, index) => {
      const calendar = asRecord(department).calendar;
      return unknownReference(calendar, ["departments", index, "calendar"], keys, "calendar");
    })
    .filter((issue) => issue !== undefined);
}

function unknownReference(value: unknown, path: PathIssue["path"], keys: string[], kind: string) {
  if (typeof value !== "string" || keys.includes(value)) return undefined;
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
