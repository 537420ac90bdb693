import { randomBytes } from "node:crypto";
import { ApiError, isObj, type Obj } from "./args.ts";
import { fillIds, initialStateValues } from "./block-kit/interactive.ts";
import { formatIssues, Issues } from "./block-kit/issues.ts";
import { checkView } from "./block-kit/view-checks.ts";
import { HANDLE_LIMITS, VIEW_LIMITS } from "./limits.ts";
import type { DoubleState, TriggerRecord } from "./state.ts";
import type { StoredView } from "./types.ts";

/** Issues a trigger_id for a user (optionally from inside a view, for views.push). */
export function issueTrigger(state: DoubleState, userId: string, viewId?: string): string {
  const id = state.ids.trigger();
  const record: TriggerRecord = { id, userId, issuedAt: state.now(), used: false };
  if (viewId !== undefined) record.viewId = viewId;
  state.triggers.set(id, record);
  return id;
}

/** Marks a trigger used; throws invalid / exchanged / expired like views.open does. */
export function consumeTrigger(state: DoubleState, triggerId: string): TriggerRecord {
  const trigger = state.triggers.get(triggerId);
  if (!trigger) throw new ApiError("invalid_trigger_id");
  if (trigger.used) throw new ApiError("exchanged_trigger_id");
  if (state.now() - trigger.issuedAt > HANDLE_LIMITS.triggerTtlMs) {
    throw new ApiError("expired_trigger_id");
  }
  trigger.used = true;
  return trigger;
}

/** Throws view_too_large or invalid_arguments (with block pointers) for a bad view. */
export function checkViewPayload(view: unknown, expected: "modal" | "home" | undefined): Obj {
  if (Buffer.byteLength(JSON.stringify(view ?? null)) > VIEW_LIMITS.maxViewBytes) {
    throw new ApiError("view_too_large");
  }
  const issues = new Issues();
  checkView(view, expected, issues);
  if (!issues.empty || !isObj(view)) {
    throw new ApiError("invalid_arguments", {
      response_metadata: { messages: formatIssues(issues) },
    });
  }
  return view;
}

/** external_id must be unique among live views. */
export function checkExternalId(state: DoubleState, view: Obj, selfId?: string): void {
  const ext = view.external_id;
  if (typeof ext !== "string" || ext === "") return;
  const clash = state.views.find((v) => v.isOpen && v.external_id === ext && v.id !== selfId);
  if (clash) throw new ApiError("duplicate_external_id");
}

function newHash(state: DoubleState): string {
  return `${Math.floor(state.now() / 1000)}.${randomBytes(4).toString("hex")}`;
}

/** The content fields of a view spec, with Slack's defaults. */
function contentOf(view: Obj, previous?: StoredView) {
  const blocks = fillIds(Array.isArray(view.blocks) ? view.blocks : []);
  const fresh = initialStateValues(blocks);
  // Slack keeps what the user typed for elements whose block_id/action_id survive an update.
  for (const [blockId, actions] of Object.entries(fresh)) {
    for (const actionId of Object.keys(actions)) {
      const kept = previous?.state.values[blockId]?.[actionId];
      if (kept) actions[actionId] = kept;
    }
  }
  return {
    type: view.type === "home" ? ("home" as const) : ("modal" as const),
    blocks,
    private_metadata: typeof view.private_metadata === "string" ? view.private_metadata : "",
    callback_id: typeof view.callback_id === "string" ? view.callback_id : "",
    external_id: typeof view.external_id === "string" ? view.external_id : "",
    clear_on_close: view.clear_on_close === true || view.clear_on_close === "true",
    notify_on_close: view.notify_on_close === true || view.notify_on_close === "true",
    state: { values: fresh },
    ...(view.title === undefined ? {} : { title: view.title }),
    ...(view.submit === undefined ? {} : { submit: view.submit }),
    ...(view.close === undefined ? {} : { close: view.close }),
  };
}

/** Stores a new view. */
export function createView(
  state: DoubleState,
  view: Obj,
  opts: { userId: string; via: StoredView["via"]; root?: StoredView; previous?: StoredView },
): StoredView {
  const c = state.config;
  const stored: StoredView = {
    id: state.ids.next("V"),
    team_id: c.teamId,
    ...contentOf(view),
    hash: newHash(state),
    root_view_id: null,
    previous_view_id: opts.previous?.id ?? null,
    app_id: c.appId,
    bot_id: c.botId,
    app_installed_team_id: c.teamId,
    userId: opts.userId,
    via: opts.via,
    isOpen: true,
    updatedCount: 0,
  };
  stored.root_view_id = opts.root?.id ?? stored.id;
  state.views.push(stored);
  return stored;
}

/** Replaces a stored view's content in place (views.update, response_action update). */
export function replaceView(state: DoubleState, stored: StoredView, view: Obj): void {
  Object.assign(stored, contentOf(view, stored), { hash: newHash(state) });
  if (view.title === undefined) delete stored.title;
  if (view.submit === undefined) delete stored.submit;
  if (view.close === undefined) delete stored.close;
  stored.updatedCount += 1;
}

/** The open views of one modal stack, root first. */
export function modalStack(state: DoubleState, rootId: string): StoredView[] {
  return state.views.filter((v) => v.type === "modal" && v.isOpen && v.root_view_id === rootId);
}

/** The user's newest open modal root, if any. */
export function newestOpenRoot(state: DoubleState, userId: string): StoredView | undefined {
  return state.views
    .filter((v) => v.type === "modal" && v.isOpen && v.userId === userId && v.id === v.root_view_id)
    .at(-1);
}

/** Slack's view object: the stored view without the double's bookkeeping fields. */
export function slackView(stored: StoredView): Obj {
  const { userId: _u, via: _v, isOpen: _o, updatedCount: _c, ...view } = stored;
  return view;
}
