import { isObj, type Obj } from "../args.ts";
import { BLOCK_LIMITS as L, UNCONFIRMED } from "../limits.ts";
import {
  datetimepicker,
  maxSelectedItems,
  numberInput,
  urlTextInput,
} from "./input-element-checks.ts";
import { optionsOf } from "./interactive.ts";
import type { Issues } from "./issues.ts";
import { checkCompositionFields, checkElementFields } from "./known-fields.ts";
import { checkArray, checkString, checkText, requireString, requireText } from "./text-checks.ts";

type ElementCheck = (el: Obj, at: string, out: Issues) => void;

const placeholder: ElementCheck = (el, at, out) =>
  checkText(el.placeholder, `${at}/placeholder`, out, { max: L.placeholder, plainOnly: true });

/** How an element's options are checked: count, text type, and whether they may carry a url. */
interface OptionRule {
  min?: number;
  max: number;
  /** Selects and overflow menus take plain_text; radios and checkboxes mrkdwn too. */
  plainOnly: boolean;
  /** "Only available in overflow menus!" (@slack/types composition-objects.d.ts, Option.url). */
  allowUrl?: boolean;
}

/** One option object. */
function checkOption(option: unknown, at: string, out: Issues, rule: OptionRule): void {
  if (!isObj(option)) {
    out.add(at, "must be an object");
    return;
  }
  requireText(option, "text", at, out, { max: L.optionText, plainOnly: rule.plainOnly });
  requireString(option, "value", at, out, { max: L.optionValue });
  checkText(option.description, `${at}/description`, out, {
    max: L.optionDescription,
    plainOnly: true,
  });
  if (option.url !== undefined && !rule.allowUrl) {
    out.add(`${at}/url`, "url is only allowed in overflow menu options");
  }
  checkString(option.url, `${at}/url`, out, { max: L.buttonUrl });
  checkCompositionFields(option, "option", at, out);
}

/** A confirmation dialog: four plain_text objects with Slack's lengths, and a style. */
function checkConfirm(confirm: unknown, at: string, out: Issues): void {
  if (confirm === undefined) return;
  if (!isObj(confirm)) {
    out.add(at, "must be an object");
    return;
  }
  const plainText = UNCONFIRMED.confirmTextPlainOnly;
  requireText(confirm, "title", at, out, { max: L.confirmTitle, plainOnly: true });
  requireText(confirm, "text", at, out, { max: L.confirmText, plainOnly: plainText });
  requireText(confirm, "confirm", at, out, { max: L.confirmButton, plainOnly: true });
  requireText(confirm, "deny", at, out, { max: L.confirmButton, plainOnly: true });
  const style = confirm.style;
  if (style !== undefined && style !== "primary" && style !== "danger") {
    out.add(`${at}/style`, "must be one of [primary, danger]");
  }
  checkCompositionFields(confirm, "confirm", at, out);
}

function checkOptions(el: Obj, at: string, out: Issues, rule: OptionRule): void {
  if (el.options === undefined) {
    out.missing(at, "options");
    return;
  }
  const options = checkArray(el.options, `${at}/options`, out, {
    min: rule.min ?? 1,
    max: rule.max,
  });
  options?.forEach((o, i) => {
    checkOption(o, `${at}/options/${i}`, out, rule);
  });
}

/** What makes two options the same option: their text (type and words), value and description. */
function optionKey(option: Obj): string {
  const text = (t: unknown) => (isObj(t) ? [t.type, t.text] : [t]);
  return JSON.stringify([text(option.text), option.value, text(option.description)]);
}

/**
 * Slack rejects an initial option that does not "exactly match" one of the options: the same
 * value is not enough, its text must be the same too (@slack/types block-elements.d.ts:
 * static_select/multi_static_select initial_option(s), radio_buttons, checkboxes).
 */
function checkInitialOptions(el: Obj, at: string, out: Issues): void {
  const keys = new Set(optionsOf(el).map(optionKey));
  const matches = (o: unknown) => isObj(o) && keys.has(optionKey(o));
  if (el.initial_option !== undefined && !matches(el.initial_option)) {
    out.add(`${at}/initial_option`, "must match one of the options");
  }
  if (Array.isArray(el.initial_options)) {
    el.initial_options.forEach((o, i) => {
      if (!matches(o)) out.add(`${at}/initial_options/${i}`, "must match one of the options");
    });
  }
}

const button: ElementCheck = (el, at, out) => {
  requireText(el, "text", at, out, { max: L.buttonText, plainOnly: true });
  checkString(el.value, `${at}/value`, out, { max: L.buttonValue });
  checkString(el.url, `${at}/url`, out, { max: L.buttonUrl });
  checkString(el.accessibility_label, `${at}/accessibility_label`, out, { max: L.buttonText });
  if (el.style !== undefined && el.style !== "primary" && el.style !== "danger") {
    out.add(`${at}/style`, "must be one of [primary, danger]");
  }
};

const staticSelect: ElementCheck = (el, at, out) => {
  placeholder(el, at, out);
  if (el.options === undefined && el.option_groups === undefined) {
    out.add(at, "must provide either options or option_groups");
    return;
  }
  if (el.options !== undefined && el.option_groups !== undefined) {
    out.add(at, "must provide only one of options or option_groups");
  }
  if (el.options !== undefined)
    checkOptions(el, at, out, { max: L.selectOptions, plainOnly: true });
  const groups = checkArray(el.option_groups, `${at}/option_groups`, out, {
    min: 1,
    max: L.selectOptionGroups,
  });
  groups?.forEach((g, i) => {
    const gAt = `${at}/option_groups/${i}`;
    if (!isObj(g)) {
      out.add(gAt, "must be an object");
      return;
    }
    requireText(g, "label", gAt, out, { max: L.optionText, plainOnly: true });
    checkOptions(g, gAt, out, { max: L.selectOptions, plainOnly: true });
    checkCompositionFields(g, "optionGroup", gAt, out);
  });
  checkInitialOptions(el, at, out);
};

const plainTextInput: ElementCheck = (el, at, out) => {
  placeholder(el, at, out);
  const min = el.min_length;
  const max = el.max_length;
  if (min !== undefined && (typeof min !== "number" || min < 0 || min > L.inputMaxLength)) {
    out.add(`${at}/min_length`, `must be between 0 and ${L.inputMaxLength}`);
  }
  if (max !== undefined && (typeof max !== "number" || max < 1 || max > L.inputMaxLength)) {
    out.add(`${at}/max_length`, `must be between 1 and ${L.inputMaxLength}`);
  }
  if (typeof min === "number" && typeof max === "number" && min > max) {
    out.add(`${at}/min_length`, "must be less than or equal to max_length");
  }
  const limit = typeof max === "number" ? max : L.inputMaxLength;
  checkString(el.initial_value, `${at}/initial_value`, out, { max: limit });
};

const radioButtons: ElementCheck = (el, at, out) => {
  checkOptions(el, at, out, { max: L.radioOptions, plainOnly: false });
  checkInitialOptions(el, at, out);
};

const checkboxes: ElementCheck = (el, at, out) => {
  checkOptions(el, at, out, { max: L.checkboxOptions, plainOnly: false });
  checkInitialOptions(el, at, out);
};

const datepicker: ElementCheck = (el, at, out) => {
  placeholder(el, at, out);
  const d = el.initial_date;
  if (d !== undefined && (typeof d !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(d))) {
    out.add(`${at}/initial_date`, "must be in the format YYYY-MM-DD");
  }
};

/** Overflow menus: 2 to 5 options (SLACK.md §7 citing the Block Kit reference), which may be links. */
const overflow: ElementCheck = (el, at, out) =>
  checkOptions(el, at, out, {
    min: L.overflowMinOptions,
    max: L.overflowOptions,
    plainOnly: true,
    allowUrl: true,
  });

/** The image element (context blocks, section accessories). */
export const imageElement: ElementCheck = (el, at, out) => {
  if (el.image_url === undefined && el.slack_file === undefined) {
    out.missing(at, "image_url");
  }
  checkString(el.image_url, `${at}/image_url`, out, { min: 1, max: L.imageUrl });
  requireString(el, "alt_text", at, out, { min: 1, max: L.imageAltText });
};

const CHECKS: Record<string, ElementCheck> = {
  button,
  static_select: staticSelect,
  users_select: placeholder,
  conversations_select: placeholder,
  plain_text_input: plainTextInput,
  radio_buttons: radioButtons,
  checkboxes,
  datepicker,
  datetimepicker,
  number_input: numberInput,
  url_text_input: urlTextInput,
  multi_static_select: (el, at, out) => {
    staticSelect(el, at, out);
    maxSelectedItems(el, at, out);
  },
  overflow,
  image: imageElement,
};

const LENIENT: readonly string[] = UNCONFIRMED.lenientElementTypes;
const INPUT_ONLY = [
  "plain_text_input",
  "email_text_input",
  "url_text_input",
  "number_input",
  "file_input",
  "rich_text_input",
];
const INTERACTIVE = [...Object.keys(CHECKS), ...LENIENT].filter((t) => t !== "image");

/** Element types allowed in each container. */
// From the "Works with block types" of each element's reference page.
const NOT_IN_ACTIONS = ["multi_static_select"];
const NOT_IN_ACCESSORY = ["datetimepicker"];

export const ALLOWED = {
  actions: INTERACTIVE.filter((t) => !INPUT_ONLY.includes(t) && !NOT_IN_ACTIONS.includes(t)),
  accessory: [
    ...INTERACTIVE.filter((t) => !INPUT_ONLY.includes(t) && !NOT_IN_ACCESSORY.includes(t)),
    "image",
  ],
  input: INTERACTIVE.filter((t) => !["button", "overflow", "workflow_button"].includes(t)),
} as const;

/**
 * Checks one interactive element; returns its action_id (for uniqueness checks) when it has one.
 */
export function checkElement(
  el: unknown,
  at: string,
  out: Issues,
  allowed: readonly string[],
): string | undefined {
  if (!isObj(el)) {
    out.add(at, "must be an object");
    return undefined;
  }
  if (typeof el.type !== "string") {
    out.missing(at, "type");
    return undefined;
  }
  if (!allowed.includes(el.type)) {
    out.add(`${at}/type`, `unsupported type: ${el.type}`);
    return undefined;
  }
  checkString(el.action_id, `${at}/action_id`, out, { min: 1, max: L.actionId });
  CHECKS[el.type]?.(el, at, out);
  checkConfirm(el.confirm, `${at}/confirm`, out);
  checkElementFields(el, at, out);
  return typeof el.action_id === "string" ? el.action_id : undefined;
}
