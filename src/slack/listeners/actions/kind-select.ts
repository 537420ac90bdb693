import type { App, BlockAction, StaticSelectAction } from "@slack/bolt";
import { NotFoundError } from "../../../domain/errors.ts";
import { isPostKind } from "../../../domain/post-kinds.ts";
import { changeThreadKind } from "../../kind-actions.ts";
import type { ListenerDeps } from "../../listener-deps.ts";
import { KIND_SELECT_ACTION_ID, parseKindChoice } from "../../views/ids.ts";
import { buildNotice } from "../../views/private-notice.ts";
import { privateReply } from "../private-reply.ts";

/**
 * The "Kind" picker on cards and notes. Acks first (Slack wants it within 3 seconds), then
 * changes the kind; a refusal (not allowed, already that kind) is explained privately.
 */
export function registerKindSelect(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<StaticSelectAction>>(
    KIND_SELECT_ACTION_ID,
    async ({ ack, body, action, respond }) => {
      await ack();
      const reply = privateReply(respond);
      const choice = parseKindChoice(action.selected_option?.value);
      if (!choice || !isPostKind(choice.kind)) {
        await reply(buildNotice("This picker is out of date; use the latest message."));
        return;
      }
      deps.logger.info("card.kind_chosen", { ...choice, userId: body.user.id });
      try {
        const outcome = await changeThreadKind(deps, body.user.id, choice.threadId, choice.kind);
        if (!outcome.ok) await reply(buildNotice(outcome.reason));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        await reply(buildNotice("This picker is out of date; use the latest message."));
      }
    },
  );
}
