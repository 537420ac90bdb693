import type { Obj } from "../args.ts";
import { UNCONFIRMED } from "../limits.ts";
import type { Issues } from "./issues.ts";

/**
 * The properties each block, element and composition object may carry (docs.slack.dev Block
 * Kit reference, @slack/types). Slack refuses anything else with invalid_blocks, so a typo
 * such as `acessory` fails here as it would there instead of being dropped silently.
 */
const BLOCK_FIELDS: Record<string, readonly string[]> = {
  section: ["text", "fields", "accessory", "expand"],
  header: ["text"],
  context: ["elements"],
  actions: ["elements"],
  divider: [],
  input: ["label", "element", "dispatch_action", "hint", "optional"],
  image: ["image_url", "slack_file", "alt_text", "title"],
  rich_text: ["elements"],
  markdown: ["text"],
};

const ELEMENT_FIELDS: Record<string, readonly string[]> = {
  button: ["text", "action_id", "url", "value", "style", "confirm", "accessibility_label"],
  static_select: [
    "action_id",
    "placeholder",
    "options",
    "option_groups",
    "initial_option",
    "confirm",
    "focus_on_load",
  ],
  users_select: ["action_id", "placeholder", "initial_user", "confirm", "focus_on_load"],
  conversations_select: [
    "action_id",
    "placeholder",
    "initial_conversation",
    "default_to_current_conversation",
    "confirm",
    "response_url_enabled",
    "filter",
    "focus_on_load",
  ],
  plain_text_input: [
    "action_id",
    "placeholder",
    "initial_value",
    "multiline",
    "min_length",
    "max_length",
    "dispatch_action_config",
    "focus_on_load",
  ],
  radio_buttons: ["action_id", "options", "initial_option", "confirm", "focus_on_load"],
  checkboxes: ["action_id", "options", "initial_options", "confirm", "focus_on_load"],
  datepicker: ["action_id", "placeholder", "initial_date", "confirm", "focus_on_load"],
  overflow: ["action_id", "options", "confirm"],
  image: ["image_url", "slack_file", "alt_text"],
};

const COMPOSITION_FIELDS = {
  plain_text: ["type", "text", "emoji"],
  mrkdwn: ["type", "text", "verbatim"],
  option: ["text", "value", "description", "url"],
  optionGroup: ["label", "options"],
  confirm: ["title", "text", "confirm", "deny", "style"],
} as const;

/** Reports every property of `obj` not in `allowed` (plus `type`/`block_id` where given). */
function checkFields(obj: Obj, allowed: readonly string[], at: string, out: Issues): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) out.add(`${at}/${key}`, UNCONFIRMED.unknownFieldMessage);
  }
}

/** A checked block type's properties (type and block_id always allowed). */
export function checkBlockFields(block: Obj, at: string, out: Issues): void {
  const fields = BLOCK_FIELDS[String(block.type)];
  if (fields) checkFields(block, ["type", "block_id", ...fields], at, out);
}

/** A checked element type's properties. */
export function checkElementFields(el: Obj, at: string, out: Issues): void {
  const fields = ELEMENT_FIELDS[String(el.type)];
  if (fields) checkFields(el, ["type", ...fields], at, out);
}

/** A composition object's properties (text objects by their own type). */
export function checkCompositionFields(
  obj: Obj,
  kind: "text" | "option" | "optionGroup" | "confirm",
  at: string,
  out: Issues,
): void {
  if (kind !== "text") {
    checkFields(obj, COMPOSITION_FIELDS[kind], at, out);
    return;
  }
  if (obj.type === "plain_text" || obj.type === "mrkdwn") {
    checkFields(obj, COMPOSITION_FIELDS[obj.type], at, out);
  }
}
