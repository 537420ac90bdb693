import { ApiError, argNonEmpty, requireArg } from "../args.ts";
import { UNCONFIRMED, VIEW_LIMITS } from "../limits.ts";
import type { DoubleState, TriggerRecord } from "../state.ts";
import type { StoredView } from "../types.ts";
import {
  checkExternalId,
  checkViewPayload,
  consumeTrigger,
  createView,
  modalStack,
  newestOpenRoot,
  replaceView,
  slackView,
} from "../view-store.ts";
import { userOrThrow } from "../workspace.ts";
import type { Method } from "./method.ts";

/** The trigger from trigger_id (or interactivity_pointer), consumed. */
function takeTrigger(state: DoubleState, args: Record<string, unknown>): TriggerRecord {
  const id = argNonEmpty(args, "trigger_id") ?? argNonEmpty(args, "interactivity_pointer");
  return consumeTrigger(state, id ?? requireArg(args, "trigger_id"));
}

const open: Method = (args, { state }) => {
  const view = checkViewPayload(args.view, "modal");
  const trigger = takeTrigger(state, args);
  checkExternalId(state, view);
  return { view: slackView(createView(state, view, { userId: trigger.userId, via: "open" })) };
};

/** The stack a push lands on: the trigger's own modal, else the user's newest one. */
function pushTarget(state: DoubleState, trigger: TriggerRecord): StoredView | undefined {
  const from = state.views.find((v) => v.id === trigger.viewId);
  const rootId = from?.type === "modal" ? from.root_view_id : undefined;
  const root = state.views.find((v) => v.id === rootId && v.isOpen);
  return root ?? newestOpenRoot(state, trigger.userId);
}

const push: Method = (args, { state }) => {
  const view = checkViewPayload(args.view, "modal");
  const trigger = takeTrigger(state, args);
  checkExternalId(state, view);
  const root = pushTarget(state, trigger);
  if (!root) {
    if (!UNCONFIRMED.pushWithoutModalOpensRoot) throw new ApiError("not_found");
    return { view: slackView(createView(state, view, { userId: trigger.userId, via: "open" })) };
  }
  const stack = modalStack(state, root.id);
  if (stack.length >= VIEW_LIMITS.stackDepth) throw new ApiError("push_limit_reached");
  const opts = {
    userId: trigger.userId,
    via: "push" as const,
    root,
    previous: stack.at(-1) ?? root,
  };
  return { view: slackView(createView(state, view, opts)) };
};

/** The view named by view_id or external_id, if it is still live. */
function liveView(state: DoubleState, args: Record<string, unknown>): StoredView {
  const id = argNonEmpty(args, "view_id");
  const ext = argNonEmpty(args, "external_id");
  if (id === undefined && ext === undefined) requireArg(args, "view_id");
  const found = state.views.find((v) =>
    id !== undefined ? v.id === id : v.external_id === ext && v.isOpen,
  );
  if (!found?.isOpen) throw new ApiError("not_found");
  return found;
}

function checkHash(stored: StoredView, args: Record<string, unknown>): void {
  const hash = argNonEmpty(args, "hash");
  if (hash !== undefined && hash !== stored.hash) throw new ApiError("hash_conflict");
}

const update: Method = (args, { state }) => {
  const stored = liveView(state, args);
  const view = checkViewPayload(args.view, stored.type);
  checkHash(stored, args);
  checkExternalId(state, view, stored.id);
  replaceView(state, stored, view);
  return { view: slackView(stored) };
};

/** Image blocks that show a Slack file must name one that was uploaded and shared. */
function checkSlackFiles(state: DoubleState, view: Record<string, unknown>): void {
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  for (const [index, block] of blocks.entries()) {
    const file = (block as { slack_file?: { id?: unknown } } | null)?.slack_file;
    if (!file || typeof file.id !== "string") continue;
    if (!state.files.get(file.id)?.completed) {
      throw new ApiError(UNCONFIRMED.unknownSlackFileError, {
        response_metadata: {
          messages: [
            `[ERROR] no file ${file.id} to show [json-pointer:/view/blocks/${index}/slack_file]`,
          ],
        },
      });
    }
  }
}

const publish: Method = (args, { state }) => {
  // An app without a Home tab cannot publish one (SLACK.md §5 views.publish: not_enabled).
  if (!state.config.homeTabEnabled) throw new ApiError("not_enabled");
  const userId = requireArg(args, "user_id", "user_not_found");
  userOrThrow(state, userId);
  const view = checkViewPayload(args.view, "home");
  checkSlackFiles(state, view);
  const existing = state.views.find((v) => v.type === "home" && v.userId === userId);
  if (existing) checkHash(existing, args);
  checkExternalId(state, view, existing?.id);
  if (!existing) return { view: slackView(createView(state, view, { userId, via: "publish" })) };
  replaceView(state, existing, view);
  return { view: slackView(existing) };
};

/** views.* methods. */
export const VIEW_METHODS: Record<string, Method> = {
  "views.open": open,
  "views.push": push,
  "views.update": update,
  "views.publish": publish,
};
