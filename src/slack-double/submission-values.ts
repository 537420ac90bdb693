import { isObj, type Obj } from "./args.ts";
import { isNumberText } from "./block-kit/input-element-checks.ts";
import { allElements, setStateValue, stateFromShorthand } from "./block-kit/interactive.ts";
import type { StoredView } from "./types.ts";

type Values = Record<string, Record<string, Obj>>;

function isEmptyState(state: Obj | undefined): boolean {
  if (!state) return true;
  return Object.entries(state)
    .filter(([k]) => k !== "type")
    .every(
      ([, v]) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0),
    );
}

/** Slack's client refuses to submit with an empty required input or a too-short text. */
function checkClientRules(view: StoredView, values: Values): void {
  for (const block of view.blocks) {
    if (!isObj(block) || block.type !== "input" || !isObj(block.element)) continue;
    const state = values[String(block.block_id)]?.[String(block.element.action_id)];
    if (block.optional !== true && isEmptyState(state)) {
      throw new Error(
        `Slack would not submit view ${view.id}: required input "${String(block.block_id)}" is empty`,
      );
    }
    if (block.element.type === "number_input")
      checkNumber(view, block.element, state, String(block.block_id));
    const min = block.element.min_length;
    const text = state?.value;
    if (typeof min === "number" && typeof text === "string" && text.length < min) {
      throw new Error(
        `Slack would not submit view ${view.id}: "${String(block.block_id)}" is shorter than ${min}`,
      );
    }
  }
}

/** Slack's client refuses to submit a number input holding anything but a number in range. */
function checkNumber(view: StoredView, el: Obj, state: Obj | undefined, blockId: string): void {
  const text = state?.value;
  if (typeof text !== "string" || text === "") return;
  const decimals = el.is_decimal_allowed === true;
  const n = Number(text);
  const below = typeof el.min_value === "string" && n < Number(el.min_value);
  const above = typeof el.max_value === "string" && n > Number(el.max_value);
  if (!isNumberText(text, decimals) || below || above) {
    throw new Error(
      `Slack would not submit view ${view.id}: "${blockId}" holds "${text}", not an allowed number`,
    );
  }
}

/**
 * state.values for a submission: the view's current state with the test's values applied.
 * Values may be Slack's state objects or shorthand (string / string[]); unknown ids throw.
 */
export function submissionValues(
  view: StoredView,
  given: Record<string, Record<string, unknown>>,
  skipClientChecks: boolean,
): Values {
  const values: Values = structuredClone(view.state.values);
  const refs = allElements(view.blocks);
  for (const [blockId, actions] of Object.entries(given)) {
    for (const [actionId, value] of Object.entries(actions)) {
      const ref = refs.find((r) => r.blockId === blockId && r.element.action_id === actionId);
      if (!ref) throw new Error(`view ${view.id} has no element ${blockId}/${actionId}`);
      setStateValue(values, blockId, actionId, stateFromShorthand(ref.element, value));
    }
  }
  if (!skipClientChecks) checkClientRules(view, values);
  return values;
}
