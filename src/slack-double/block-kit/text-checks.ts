import { isObj } from "../args.ts";
import { charLength, type Issues } from "./issues.ts";
import { checkCompositionFields } from "./known-fields.ts";

/** Length bounds for a string or text object. */
export interface LengthRule {
  max: number;
  min?: number;
}

/** Checks an optional string field's type and length. */
export function checkString(value: unknown, pointer: string, out: Issues, rule: LengthRule): void {
  if (value === undefined) return;
  if (typeof value !== "string") {
    out.add(pointer, "must be a string");
    return;
  }
  const len = charLength(value);
  const min = rule.min ?? 0;
  if (len < min) out.add(pointer, `must be more than ${min - 1} characters`);
  if (len > rule.max) out.add(pointer, `must be less than ${rule.max + 1} characters`);
}

/** Checks a required string field of `parent`. */
export function requireString(
  parent: Record<string, unknown>,
  field: string,
  pointer: string,
  out: Issues,
  rule: LengthRule,
): void {
  if (parent[field] === undefined) {
    out.missing(pointer, field);
    return;
  }
  checkString(parent[field], `${pointer}/${field}`, out, rule);
}

/** Checks an optional text object ({type, text}); plainOnly forbids mrkdwn. */
export function checkText(
  value: unknown,
  pointer: string,
  out: Issues,
  rule: LengthRule & { plainOnly?: boolean },
): void {
  if (value === undefined) return;
  if (!isObj(value)) {
    out.add(pointer, "must be a text object");
    return;
  }
  const allowed = rule.plainOnly ? ["plain_text"] : ["plain_text", "mrkdwn"];
  if (typeof value.type !== "string" || !allowed.includes(value.type)) {
    out.add(`${pointer}/type`, `must be one of [${allowed.join(", ")}]`);
  }
  requireString(value, "text", pointer, out, { min: rule.min ?? 1, max: rule.max });
  checkCompositionFields(value, "text", pointer, out);
}

/** Checks a required text object field of `parent`. */
export function requireText(
  parent: Record<string, unknown>,
  field: string,
  pointer: string,
  out: Issues,
  rule: LengthRule & { plainOnly?: boolean },
): void {
  if (parent[field] === undefined) {
    out.missing(pointer, field);
    return;
  }
  checkText(parent[field], `${pointer}/${field}`, out, rule);
}

/** Checks an optional array's type and item count; returns the array when it is one. */
export function checkArray(
  value: unknown,
  pointer: string,
  out: Issues,
  rule: LengthRule,
): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    out.add(pointer, "must be an array");
    return undefined;
  }
  if (value.length < (rule.min ?? 0)) out.add(pointer, `must provide at least ${rule.min} items`);
  if (value.length > rule.max) out.add(pointer, `no more than ${rule.max} items allowed`);
  return value;
}
