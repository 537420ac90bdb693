import { isObj, type Obj } from "../args.ts";
import { shortRandomId } from "../ids.ts";

/** An interactive element together with the block holding it. */
export interface ElementRef {
  blockId: string;
  block: Obj;
  element: Obj;
}

/** The interactive elements of one block (accessory, actions elements, input element). */
function elementsOf(block: Obj): Obj[] {
  if (block.type === "actions" && Array.isArray(block.elements)) {
    return block.elements.filter(isObj);
  }
  if (block.type === "section" && isObj(block.accessory) && block.accessory.type !== "image") {
    return [block.accessory];
  }
  if (block.type === "input" && isObj(block.element)) return [block.element];
  return [];
}

/** Every interactive element in a blocks array. */
export function allElements(blocks: unknown[]): ElementRef[] {
  return blocks.filter(isObj).flatMap((block) =>
    elementsOf(block).map((element) => ({
      blockId: String(block.block_id ?? ""),
      block,
      element,
    })),
  );
}

/**
 * A copy of the blocks with block_id and action_id filled in where missing, as Slack does
 * when it stores a message or view (so handlers keyed on absent ids never match).
 */
export function fillIds(blocks: unknown[]): unknown[] {
  const copy = structuredClone(blocks);
  for (const block of copy) {
    if (!isObj(block)) continue;
    if (block.block_id === undefined) block.block_id = shortRandomId();
    for (const el of elementsOf(block)) {
      if (el.action_id === undefined) el.action_id = shortRandomId();
    }
  }
  return copy;
}

const STATE_FIELD: Record<string, string> = {
  plain_text_input: "value",
  email_text_input: "value",
  url_text_input: "value",
  number_input: "value",
  static_select: "selected_option",
  external_select: "selected_option",
  radio_buttons: "selected_option",
  users_select: "selected_user",
  conversations_select: "selected_conversation",
  channels_select: "selected_channel",
  datepicker: "selected_date",
  timepicker: "selected_time",
  datetimepicker: "selected_date_time",
  checkboxes: "selected_options",
  multi_static_select: "selected_options",
  multi_external_select: "selected_options",
  multi_users_select: "selected_users",
  multi_conversations_select: "selected_conversations",
  multi_channels_select: "selected_channels",
};

const INITIAL_FIELD: Record<string, string> = {
  value: "initial_value",
  selected_option: "initial_option",
  selected_options: "initial_options",
  selected_user: "initial_user",
  selected_users: "initial_users",
  selected_conversation: "initial_conversation",
  selected_conversations: "initial_conversations",
  selected_channel: "initial_channel",
  selected_channels: "initial_channels",
  selected_date: "initial_date",
  selected_time: "initial_time",
  selected_date_time: "initial_date_time",
};

/** The state field an element reports its value in, or undefined for stateless elements. */
export function stateField(type: string): string | undefined {
  return STATE_FIELD[type];
}

/** The state an untouched element reports: its initial value, else null / []. */
export function initialState(el: Obj): Obj | undefined {
  const type = String(el.type);
  const field = stateField(type);
  if (!field) return undefined;
  const initial = el[INITIAL_FIELD[field] ?? ""];
  const empty = field.endsWith("s") ? [] : null;
  return { type, [field]: initial ?? empty };
}

/** state.values for a blocks array, with every stateful element at its initial state. */
export function initialStateValues(blocks: unknown[]): Record<string, Record<string, Obj>> {
  const values: Record<string, Record<string, Obj>> = {};
  for (const ref of allElements(blocks)) {
    const state = initialState(ref.element);
    if (!state) continue;
    values[ref.blockId] ??= {};
    (values[ref.blockId] as Record<string, Obj>)[String(ref.element.action_id)] = state;
  }
  return values;
}

/** All option objects of an element (plain options and option_groups). */
export function optionsOf(el: Obj): Obj[] {
  const groups = Array.isArray(el.option_groups) ? el.option_groups.filter(isObj) : [];
  const grouped = groups.flatMap((g) => (Array.isArray(g.options) ? g.options : []));
  const plain = Array.isArray(el.options) ? el.options : [];
  return [...plain, ...grouped].filter(isObj);
}

/** The option with this value, or an Error naming the choices. */
function optionByValue(el: Obj, value: string): Obj {
  const found = optionsOf(el).find((o) => o.value === value);
  if (found) return found;
  const choices = optionsOf(el).map((o) => o.value);
  throw new Error(
    `no option with value "${value}" in ${String(el.action_id)} (${choices.join(", ")})`,
  );
}

/**
 * Turns a test's shorthand (a string, or string[] for multi-value elements) into the state
 * object Slack sends; objects pass through unchanged.
 */
export function stateFromShorthand(el: Obj, value: unknown): Obj {
  if (isObj(value) && !(value instanceof Date)) return value;
  const type = String(el.type);
  const field = stateField(type);
  if (!field) throw new Error(`element ${String(el.action_id)} (${type}) holds no state`);
  if (field === "selected_option") return { type, [field]: optionByValue(el, String(value)) };
  if (type === "datetimepicker") return { type, [field]: unixSeconds(el, value) };
  if (type === "checkboxes" || type.startsWith("multi_static") || type.startsWith("multi_ext")) {
    const list = Array.isArray(value) ? value : [value];
    return { type, [field]: list.map((v) => optionByValue(el, String(v))) };
  }
  return { type, [field]: value };
}

/** A datetimepicker reports whole UNIX seconds; a test may give a Date or the seconds. */
function unixSeconds(el: Obj, value: unknown): number {
  const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
  if (typeof seconds === "number" && Number.isInteger(seconds) && seconds >= 0) return seconds;
  throw new Error(
    `datetimepicker ${String(el.action_id)} takes a Date or whole UNIX seconds, not ${JSON.stringify(value)}`,
  );
}

/** Sets values[blockId][actionId], creating the block entry when needed. */
export function setStateValue(
  values: Record<string, Record<string, Obj>>,
  blockId: string,
  actionId: string,
  state: Obj,
): void {
  const block = values[blockId] ?? {};
  block[actionId] = state;
  values[blockId] = block;
}
