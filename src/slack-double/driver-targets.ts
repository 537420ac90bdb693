import type { Obj } from "./args.ts";
import {
  allElements,
  type ElementRef,
  initialStateValues,
  setStateValue,
  stateField,
  stateFromShorthand,
} from "./block-kit/interactive.ts";
import { checkUserSees } from "./deliveries.ts";
import type { DoubleState } from "./state.ts";
import type { StoredMessage, StoredView } from "./types.ts";

/** Where an interaction happens: a message in a channel, or a view. */
export type TargetRef =
  | { userId: string; channelId: string; messageTs: string }
  | { userId: string; viewId: string };

/** The located surface of an interaction. */
export type Target =
  | { kind: "message"; message: StoredMessage }
  | { kind: "view"; view: StoredView };

/** Finds the stored message or view a test's interaction refers to; throws a readable Error. */
export function locateTarget(state: DoubleState, ref: TargetRef): Target {
  if ("viewId" in ref) {
    const view = state.views.find((v) => v.id === ref.viewId);
    if (!view?.isOpen) throw new Error(`no open view ${ref.viewId}`);
    if (view.userId !== ref.userId)
      throw new Error(`view ${view.id} belongs to ${view.userId}, not ${ref.userId}`);
    return { kind: "view", view };
  }
  const same = (m: StoredMessage) => m.channel === ref.channelId && m.ts === ref.messageTs;
  const message =
    state.messages.find(same) ??
    state.ephemerals.find((m) => same(m) && m.ephemeralTo === ref.userId);
  if (!message)
    throw new Error(`no message ${ref.messageTs} in ${ref.channelId} visible to ${ref.userId}`);
  const channel = state.channels.get(message.channel);
  if (channel) checkUserSees(state, ref.userId, channel);
  return { kind: "message", message };
}

/** The blocks of a target. */
export function targetBlocks(target: Target): unknown[] {
  return target.kind === "message" ? target.message.blocks : target.view.blocks;
}

/** Finds an element by action_id (and block_id / value / types when given). */
export function locateElement(
  blocks: unknown[],
  q: { actionId: string; blockId?: string; value?: string; types: readonly string[] },
): ElementRef {
  const all = allElements(blocks);
  const found = all.find(
    (r) =>
      r.element.action_id === q.actionId &&
      q.types.includes(String(r.element.type)) &&
      (q.blockId === undefined || r.blockId === q.blockId) &&
      (q.value === undefined || r.element.value === q.value),
  );
  if (found) return found;
  const have = all.map(
    (r) => `${r.blockId}/${String(r.element.action_id)} (${String(r.element.type)})`,
  );
  throw new Error(
    `no ${q.types.join("|")} with action_id "${q.actionId}"; elements: ${have.join(", ") || "none"}`,
  );
}

/** The action object for a button click. */
export function buttonAction(ref: ElementRef, actionTs: string): Obj {
  const el = ref.element;
  return {
    type: "button",
    action_id: el.action_id,
    block_id: ref.blockId,
    text: el.text,
    ...(el.value === undefined ? {} : { value: el.value }),
    ...(el.style === undefined ? {} : { style: el.style }),
    ...(el.url === undefined ? {} : { url: el.url }),
    action_ts: actionTs,
  };
}

/** The action object for choosing a value in a select, overflow, radio, picker or checkboxes. */
export function selectionAction(ref: ElementRef, value: unknown, actionTs: string): Obj {
  const el = ref.element;
  const type = String(el.type);
  const chosen =
    type === "overflow"
      ? stateFromShorthand({ ...el, type: "static_select" }, value)
      : stateFromShorthand(el, value);
  return {
    ...chosen,
    type,
    action_id: el.action_id,
    block_id: ref.blockId,
    ...(el.placeholder === undefined ? {} : { placeholder: el.placeholder }),
    action_ts: actionTs,
  };
}

/** The state object an action leaves behind in its element, or undefined for stateless ones. */
function stateAfter(ref: ElementRef, action: Obj): Obj | undefined {
  const field = stateField(String(ref.element.type));
  return field ? { type: action.type, [field]: action[field] } : undefined;
}

/** The state.values a message reports, with this action's selection applied. */
export function messageStateValues(message: StoredMessage, ref: ElementRef, action: Obj): Obj {
  const values = initialStateValues(message.blocks);
  const state = stateAfter(ref, action);
  if (state) setStateValue(values, ref.blockId, String(ref.element.action_id), state);
  return values;
}

/** Records a selection into a view's stored state (Slack keeps it for view_submission). */
export function rememberViewSelection(view: StoredView, ref: ElementRef, action: Obj): void {
  const state = stateAfter(ref, action);
  if (state) setStateValue(view.state.values, ref.blockId, String(ref.element.action_id), state);
}
