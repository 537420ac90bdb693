import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { loadThreadView, type ThreadView } from "../../../db/thread-queries.ts";
import type { ThreadAction } from "../../../domain/thread-lifecycle.ts";
import { threadTimeline } from "../../../services/thread-timeline.ts";
import { timezoneOf } from "../../../services/workspace-lookups.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";
import { actOnThread } from "../../thread-actions.ts";
import { buildDismissModal } from "../../views/dismiss-modal.ts";
import { buildHandOverModal } from "../../views/handover-modal.ts";
import {
  type ThreadAction as ButtonName,
  type ModalMetadata,
  parseThreadAction,
  THREAD_ACTION_ID_PATTERN,
  threadActionOf,
} from "../../views/ids.ts";
import { buildNotice } from "../../views/private-notice.ts";
import { buildRespondedModal } from "../../views/responded-modal.ts";
import { buildTimeline } from "../../views/timeline.ts";

type Message = { text: string; blocks?: unknown[] };

/** Buttons that act at once, and the state-machine action each one is. */
const DIRECT: Partial<Record<ButtonName, (by: string) => ThreadAction>> = {
  claim: (by) => ({ type: "claim", by }),
  resolve: (by) => ({ type: "resolve", by }),
  waitOnCustomer: (by) => ({ type: "wait_on_customer", by }),
  reopen: (by) => ({ type: "reopen", by }),
};

/**
 * The thread buttons on cards and nudges. Slack wants an ack within 3 seconds, so every
 * button acks first; buttons that need more input open a modal at once (a trigger_id lives
 * 3 seconds); the others act and explain any refusal privately.
 */
export function registerCardButtons(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    THREAD_ACTION_ID_PATTERN,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const reply = privateReply(respond);
      try {
        await handleButton(deps, { body, action, client, reply });
      } catch (error) {
        // The click was acknowledged: tell the person privately, then let app.error log it.
        await reply(buildNotice("Something went wrong on our side; please try again.")).catch(
          () => {},
        );
        throw error;
      }
    },
  );
}

async function handleButton(
  deps: ListenerDeps,
  {
    body,
    action,
    client,
    reply,
  }: {
    body: BlockAction<ButtonAction>;
    action: ButtonAction;
    client: WebClient;
    reply: (message: Message) => Promise<unknown>;
  },
): Promise<void> {
  const threadId = parseThreadAction(action.value);
  const button = threadActionOf(action.action_id);
  const view = threadId ? await loadThreadView(deps.db.db, threadId) : null;
  if (!threadId || !button || !view) {
    await reply(buildNotice("This button is out of date; use the latest card."));
    return;
  }
  deps.logger.info("card.button", { button, threadId, userId: body.user.id });
  const direct = DIRECT[button];
  if (direct) {
    const outcome = await actOnThread(deps, body.user.id, threadId, direct(body.user.id));
    if (!outcome.ok) await reply(buildNotice(outcome.reason));
    return;
  }
  if (button === "timeline") {
    await reply(await timelineOf(deps, view, body.user.id));
    return;
  }
  const metadata: ModalMetadata = {
    threadId,
    ...(body.channel?.id ? { channelId: body.channel.id } : {}),
    ...(body.message?.ts ? { messageTs: body.message.ts } : {}),
  };
  await openModal(client, body.trigger_id, modalFor(button, deps, view, metadata));
}

function privateReply(respond: RespondFn) {
  return (message: Message) =>
    respond({
      response_type: "ephemeral",
      replace_original: false,
      ...message,
    } as Parameters<RespondFn>[0]);
}

/** The modal a button opens: hand-over, dismiss or responded. */
function modalFor(
  button: ButtonName,
  deps: ListenerDeps,
  view: ThreadView,
  metadata: ModalMetadata,
) {
  const excerpt = view.first.text;
  if (button === "handOver") {
    const { departments } = deps.config;
    return buildHandOverModal({
      metadata,
      excerpt,
      departments,
      currentDepartment: view.thread.department,
    });
  }
  return button === "dismiss"
    ? buildDismissModal({ metadata, excerpt })
    : buildRespondedModal({ metadata, excerpt });
}

async function openModal(client: WebClient, triggerId: string, view: ReturnType<typeof modalFor>) {
  await client.views.open({ trigger_id: triggerId, view });
}

async function timelineOf(deps: ListenerDeps, view: ThreadView, userId: string) {
  const events = await threadTimeline(slackContext(deps, userId), view.thread.id);
  const departmentNames = Object.fromEntries(deps.config.departments.map((d) => [d.key, d.name]));
  return buildTimeline(events, timezoneOf(deps.config, view.thread.department), {
    departmentNames,
  });
}
