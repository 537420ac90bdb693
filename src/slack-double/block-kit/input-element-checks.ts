import type { Obj } from "../args.ts";
import { BLOCK_LIMITS as L } from "../limits.ts";
import type { Issues } from "./issues.ts";
import { checkString, checkText } from "./text-checks.ts";

// Checks for the modal input elements a heads-up modal uses, from each element's reference
// page on docs.slack.dev (Block Kit → Block elements): datetime picker, number input, URL
// input, and the multi-select's own field (the rest of it is a static select's).

type ElementCheck = (el: Obj, at: string, out: Issues) => void;

const placeholder: ElementCheck = (el, at, out) =>
  checkText(el.placeholder, `${at}/placeholder`, out, { max: L.placeholder, plainOnly: true });

/** Largest UNIX time in seconds that fits the documented "10 digits". */
const MAX_UNIX_SECONDS = 9_999_999_999;

/** initial_date_time: an integer UNIX timestamp in seconds ("10 digits"). */
export const datetimepicker: ElementCheck = (el, at, out) => {
  const t = el.initial_date_time;
  if (t === undefined) return;
  if (typeof t !== "number" || !Number.isInteger(t) || t < 0 || t > MAX_UNIX_SECONDS) {
    out.add(`${at}/initial_date_time`, "must be a UNIX timestamp in seconds (an integer)");
  }
};

/** True for a number as number_input accepts it (whole unless decimals are allowed). */
export function isNumberText(value: string, decimals: boolean): boolean {
  return decimals ? /^-?\d+(\.\d+)?$/.test(value) : /^-?\d+$/.test(value);
}

/** is_decimal_allowed is required; initial, min and max values are numeric strings, min ≤ initial ≤ max. */
export const numberInput: ElementCheck = (el, at, out) => {
  placeholder(el, at, out);
  if (el.is_decimal_allowed === undefined) out.missing(at, "is_decimal_allowed");
  else if (typeof el.is_decimal_allowed !== "boolean")
    out.add(`${at}/is_decimal_allowed`, "must be a boolean");
  const decimals = el.is_decimal_allowed === true;
  const numbers: Record<string, number> = {};
  for (const field of ["initial_value", "min_value", "max_value"]) {
    const value = el[field];
    if (value === undefined) continue;
    if (typeof value !== "string" || !isNumberText(value, decimals)) {
      out.add(
        `${at}/${field}`,
        decimals ? "must be a number as a string" : "must be a whole number as a string",
      );
      continue;
    }
    numbers[field] = Number(value);
  }
  const { initial_value: initial, min_value: min, max_value: max } = numbers;
  if (min !== undefined && max !== undefined && min > max)
    out.add(`${at}/min_value`, "must be less than or equal to max_value");
  if (
    initial !== undefined &&
    ((min !== undefined && initial < min) || (max !== undefined && initial > max))
  )
    out.add(`${at}/initial_value`, "must be between min_value and max_value");
};

/** A URL input: placeholder and initial_value. */
export const urlTextInput: ElementCheck = (el, at, out) => {
  placeholder(el, at, out);
  checkString(el.initial_value, `${at}/initial_value`, out, { max: L.inputMaxLength });
};

/** max_selected_items, when given, is an integer of at least 1. */
export const maxSelectedItems: ElementCheck = (el, at, out) => {
  const max = el.max_selected_items;
  if (max !== undefined && (typeof max !== "number" || !Number.isInteger(max) || max < 1))
    out.add(`${at}/max_selected_items`, "must be an integer of at least 1");
};
