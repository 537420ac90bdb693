import { isObj } from "../args.ts";
import { BLOCK_LIMITS, VIEW_LIMITS as V } from "../limits.ts";
import { checkBlocks } from "./block-checks.ts";
import type { Issues } from "./issues.ts";
import { checkString, checkText, requireText } from "./text-checks.ts";

/** True when any block is an input block (then a modal needs `submit`). */
function hasInputBlock(blocks: unknown): boolean {
  return Array.isArray(blocks) && blocks.some((b) => isObj(b) && b.type === "input");
}

/**
 * Checks a view object for views.open/push/update (modal) or views.publish (home).
 * Pointers are rooted at "/view" like Slack's invalid_arguments messages.
 */
export function checkView(
  view: unknown,
  expected: "modal" | "home" | undefined,
  out: Issues,
): void {
  if (!isObj(view)) {
    out.add("/view", "must be a JSON object");
    return;
  }
  if (view.type === undefined) out.missing("/view", "type");
  else if (view.type !== "modal" && view.type !== "home") {
    out.add("/view/type", "must be one of [modal, home]");
  } else if (expected && view.type !== expected) {
    out.add("/view/type", `must be ${expected}`);
  }
  if (view.blocks === undefined) out.missing("/view", "blocks");
  checkBlocks(view.blocks, "/view/blocks", out, BLOCK_LIMITS.viewBlocks);
  checkString(view.private_metadata, "/view/private_metadata", out, { max: V.privateMetadata });
  checkString(view.callback_id, "/view/callback_id", out, { max: V.callbackId });
  checkString(view.external_id, "/view/external_id", out, { max: V.externalId });
  if (view.type !== "modal") return;
  requireText(view, "title", "/view", out, { max: V.titleText, plainOnly: true });
  checkText(view.submit, "/view/submit", out, { max: V.submitText, plainOnly: true });
  checkText(view.close, "/view/close", out, { max: V.closeText, plainOnly: true });
  if (view.submit === undefined && hasInputBlock(view.blocks)) {
    out.add("/view", "must provide a submit property when using input blocks");
  }
}
