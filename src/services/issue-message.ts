/**
 * Zod's message for a field, as a person fixing a request reads it: "is required" for a field
 * left out, "must be a string (got a number)" for one of the wrong type; zod's other messages
 * (ours, mostly, from the schemas) as they are.
 */
import type * as z from "zod";

const ARTICLES: Record<string, string> = {
  array: "a list",
  object: "an object",
  int: "a whole number",
  integer: "a whole number",
};

// Zod's own wording for a wrong type; a schema's custom message is left alone.
const ZOD_INVALID_TYPE = /^Invalid input: expected \w+, received (\w+)$/;

export function issueMessage(issue: z.core.$ZodIssue): string {
  const received = issue.code === "invalid_type" && ZOD_INVALID_TYPE.exec(issue.message)?.[1];
  if (issue.code !== "invalid_type" || !received) return issue.message;
  if (received === "undefined") return "is required";
  return `must be ${described(issue.expected)} (got ${described(received)})`;
}

function described(type: string): string {
  return type === "null" ? "null" : (ARTICLES[type] ?? `a ${type}`);
}
