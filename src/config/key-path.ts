/** A location in the config tree: map keys as strings, list indexes as numbers. */
export type KeyPath = readonly PropertyKey[];

/** A problem at a key path, before it is tied to a file and line. */
export interface PathIssue {
  path: KeyPath;
  message: string;
  expected?: string | undefined;
  example?: string | undefined;
}

/** Formats ["routing", "rules", 2, "department"] as "routing.rules[2].department". */
export function formatKeyPath(path: KeyPath): string {
  return path.reduce<string>((text, segment) => {
    if (typeof segment === "number") return `${text}[${segment}]`;
    return text === "" ? String(segment) : `${text}.${String(segment)}`;
  }, "");
}
