import { ApiError, isObj, type Obj } from "./args.ts";
import { UNCONFIRMED, VIEW_LIMITS } from "./limits.ts";
import type { DoubleState } from "./state.ts";
import type { StoredView } from "./types.ts";
import { checkViewPayload, createView, modalStack, replaceView } from "./view-store.ts";

/** What Slack's client did with a view_submission ack. */
export interface SubmissionOutcome {
  action: "closed" | "errors" | "updated" | "pushed" | "cleared" | "kept";
  /** response_action errors, by block_id. */
  errors?: Record<string, string>;
  /** The pushed view's id. */
  pushedViewId?: string;
  /** Things real Slack would refuse or show as an error to the user. */
  problems: string[];
}

/** Closes a view; closing a root closes its whole stack. */
export function closeView(state: DoubleState, view: StoredView): void {
  const stack = view.id === view.root_view_id ? modalStack(state, view.id) : [view];
  for (const v of stack) v.isOpen = false;
}

/** Input block ids of a view (the only keys response_action errors may use). */
function inputBlockIds(view: StoredView): string[] {
  return view.blocks.flatMap((b) => (isObj(b) && b.type === "input" ? [String(b.block_id)] : []));
}

function errorsOutcome(view: StoredView, ack: Obj): SubmissionOutcome {
  const errors = isObj(ack.errors) ? (ack.errors as Record<string, string>) : {};
  const inputs = inputBlockIds(view);
  const problems = Object.keys(errors)
    .filter((id) => !inputs.includes(id))
    .map((id) => `errors key "${id}" is not an input block_id of view ${view.id}`);
  if (Object.keys(errors).length === 0) problems.push("response_action errors without errors");
  return { action: problems.length > 0 ? "kept" : "errors", errors, problems };
}

/** Checks an ack's view the way views.open would; returns it or a problem text. */
function ackView(ack: Obj): Obj | string {
  try {
    return checkViewPayload(ack.view, "modal");
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const messages = (err.extra.response_metadata as { messages?: string[] } | undefined)?.messages;
    return `${err.error}: ${(messages ?? []).join("; ")}`;
  }
}

function pushOutcome(state: DoubleState, view: StoredView, ack: Obj): SubmissionOutcome {
  const next = ackView(ack);
  if (typeof next === "string") return { action: "kept", problems: [next] };
  const root = state.views.find((v) => v.id === view.root_view_id) ?? view;
  if (modalStack(state, root.id).length >= VIEW_LIMITS.stackDepth) {
    return { action: "kept", problems: ["push_limit_reached"] };
  }
  const pushed = createView(state, next, {
    userId: view.userId,
    via: "push",
    root,
    previous: view,
  });
  return { action: "pushed", pushedViewId: pushed.id, problems: [] };
}

function updateOutcome(state: DoubleState, view: StoredView, ack: Obj): SubmissionOutcome {
  const next = ackView(ack);
  if (typeof next === "string") return { action: "kept", problems: [next] };
  replaceView(state, view, next);
  return { action: "updated", problems: [] };
}

/**
 * A view_submission acked after Slack's 3 s: Slack shows the user an error in the modal,
 * which stays open, and ignores whatever response_action came too late (SLACK.md §2).
 */
export function lateSubmission(): SubmissionOutcome {
  return { action: "kept", problems: ["ack after Slack's 3 s: the user sees an error"] };
}

/** Applies a view_submission ack (status and parsed JSON body) to the stored views. */
export function applySubmissionAck(
  state: DoubleState,
  view: StoredView,
  status: number,
  ack: unknown,
): SubmissionOutcome {
  if (status !== 200)
    return { action: "kept", problems: [`ack HTTP ${status}: the user sees an error`] };
  const action = isObj(ack) ? ack.response_action : undefined;
  if (action === undefined) {
    const root = state.views.find((v) => v.id === view.root_view_id) ?? view;
    const popOnly = UNCONFIRMED.emptySubmissionAckPopsOneView && root !== view;
    if (popOnly) view.isOpen = false;
    else closeView(state, root);
    return { action: "closed", problems: [] };
  }
  const body = ack as Obj;
  if (action === "errors") return errorsOutcome(view, body);
  if (action === "update") return updateOutcome(state, view, body);
  if (action === "push") return pushOutcome(state, view, body);
  if (action === "clear") {
    const root = state.views.find((v) => v.id === view.root_view_id) ?? view;
    closeView(state, root);
    return { action: "cleared", problems: [] };
  }
  return { action: "kept", problems: [`unknown response_action: ${String(action)}`] };
}
