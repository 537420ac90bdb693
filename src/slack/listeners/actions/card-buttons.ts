import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { loadThreadView } from "../../../db/thread-queries.ts";
import { threadTimeline } from "../../../services/thread-timeline.ts";
import { departmentOf, timezoneOf } from "../../../services/workspace-lookups.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";
import { actOnThread } from "../../thread-actions.ts";
import { buildDismissModal } from "../../views/dismiss-modal.ts";
import { buildHandOverModal } from "../../views/handover-modal.ts";
import { parseThreadAction, THREAD_ACTION_ID_PATTERN, threadActionOf } from "../../views/ids.ts";
import { buildNotice } from "../../views/private-notice.ts";
import { buildRespondedModal } from "../../views/responded-modal.ts";
import { buildTimeline } from "../../views/timeline.ts";

type Respond = (message: { text: string; blocks?: unknown[] }) => Promise<unknown>;

/**
 * The thread buttons on cards and nudges. Slack wants an ack within 3 seconds, so every
 * button acks first; buttons that need more input open a modal at once (a trigger_id lives
 * 3 seconds), the others act and explain any refusal privately.
 */
export function registerCardButtons(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    THREAD_ACTION_ID_PATTERN,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const threadId = parseThreadAction(action.value);
      const button = threadActionOf(action.action_id);
      const userId = body.user.id;
      const reply: Respond = (message) =>
        respond({ response_type: "ephemeral", replace_original: false, ...message } as Parameters<
          typeof respond
        >[0]);
      if (!threadId || !button) {
        await reply(buildNotice("This button is out of date; use the latest card."));
        return;
      }
      deps.logger.info("card.button", { action: button, threadId, userId });
      const view = await loadThreadView(deps.db.db, threadId);
      if (!view) {
        await reply(buildNotice("That thread no longer exists."));
        return;
      }
      const metadata = {
        threadId,
        ...(body.channel?.id ? { channelId: body.channel.id } : {}),
        ...(body.message?.ts ? { messageTs: body.message.ts } : {}),
      };
      const excerpt = view.first.text;
      const openModal = (modal: Parameters<typeof client.views.open>[0]["view"]) =>
        client.views.open({ trigger_id: body.trigger_id, view: modal });
      switch (button) {
        case "handOver":
          await openModal(
            buildHandOverModal({
              metadata,
              excerpt,
              departments: deps.config.departments,
              currentDepartment: view.thread.department,
            }),
          );
          return;
        case "dismiss":
          await openModal(buildDismissModal({ metadata, excerpt }));
          return;
        case "responded":
          await openModal(buildRespondedModal({ metadata, excerpt }));
          return;
        case "timeline": {
          const events = await threadTimeline(slackContext(deps, userId), threadId);
          const names = Object.fromEntries(deps.config.departments.map((d) => [d.key, d.name]));
          await reply(
            buildTimeline(events, timezoneOf(deps.config, view.thread.department), {
              departmentNames: names,
            }),
          );
          return;
        }
        default: {
          const actions = {
            claim: { type: "claim", by: userId },
            resolve: { type: "resolve", by: userId },
            waitOnCustomer: { type: "wait_on_customer", by: userId },
            reopen: { type: "reopen", by: userId },
          } as const;
          const outcome = await actOnThread(deps, userId, threadId, actions[button]);
          if (!outcome.ok) await reply(buildNotice(outcome.reason));
          else
            deps.logger.debug("card.acted", {
              department: departmentOf(deps.config, outcome.thread.department)?.key,
            });
        }
      }
    },
  );
}
