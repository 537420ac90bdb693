import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { loadThreadHolder, loadThreadView, type ThreadView } from "../../../db/thread-queries.ts";
import { mayPerform } from "../../../domain/permissions.ts";
import type { ThreadAction, ThreadActionType } from "../../../domain/thread-lifecycle.ts";
import { threadTimeline } from "../../../services/thread-timeline.ts";
import { departmentOf, timezoneOf } from "../../../services/workspace-lookups.ts";
import { isHandOverStale, renderHandOverOutcome } from "../../handover-dm.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";
import { slackBusyFrom } from "../../slack-errors.ts";
import { actOnThread, alreadyOwnedOf } from "../../thread-actions.ts";
import { buildDismissModal } from "../../views/dismiss-modal.ts";
import { buildHandOverModal } from "../../views/handover-modal.ts";
import {
  type ThreadAction as ButtonName,
  HANDOVER_NOTICE_BLOCK_IDS,
  type ModalMetadata,
  parseThreadAction,
  THREAD_ACTION_ID_PATTERN,
  threadActionOf,
} from "../../views/ids.ts";
import {
  buildAlreadyOwnedNotice,
  buildBusyNotice,
  buildNotice,
} from "../../views/private-notice.ts";
import { buildRefusalModal } from "../../views/refusal-modal.ts";
import { buildRespondedModal } from "../../views/responded-modal.ts";
import { buildTimeline } from "../../views/timeline.ts";
import { type PrivateMessage as Message, privateReply } from "../private-reply.ts";

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
  app.action<BlockAction<ButtonAction>>(THREAD_ACTION_ID_PATTERN, async (args) => {
    await args.ack();
    const reply = privateReply(args.respond);
    try {
      await pressButton(deps, args, reply);
      if (args.action.block_id === HANDOVER_NOTICE_BLOCK_IDS.actions)
        await refreshHandOverDm(deps, args);
    } catch (error) {
      // Slack refused or did not answer a call this click needed (membership, views.open):
      // say so rather than leave the person clicking at nothing.
      const busy = slackBusyFrom(error);
      if (busy) {
        deps.logger.warn("card.slack_busy", { userId: args.body.user.id, error: busy.slackError });
        await reply(buildBusyNotice(busy.retryAfterMs));
        return;
      }
      // Anything else: the click was acknowledged, so tell the person, then let app.error log it.
      await reply(buildNotice("Something went wrong on our side; please try again.")).catch(
        () => {},
      );
      throw error;
    }
  });
}

/**
 * A click in a hand-over DM whose thread was closed or handed on (before or by this click):
 * the DM becomes the thread's current state without buttons, so its reader stops working it
 * from there. Best effort: the click itself was answered already, so a failure is only logged.
 */
async function refreshHandOverDm(
  deps: ListenerDeps,
  {
    body,
    action,
    client,
    respond,
  }: ButtonArgs & Pick<AllMiddlewareArgs & SlackActionMiddlewareArgs, "respond">,
): Promise<void> {
  const threadId = parseThreadAction(action.value);
  try {
    const view = threadId ? await loadThreadView(deps.db.db, threadId) : null;
    if (!view || !isHandOverStale(view.thread, body.user.id)) return;
    const message = await renderHandOverOutcome({ ...deps, client }, view);
    await respond({ replace_original: true, ...message });
  } catch (error) {
    deps.logger.warn("handover_dm.refresh_failed", { threadId, error: String(error) });
  }
}

type ButtonArgs = Pick<
  SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs,
  "body" | "action" | "client"
>;

/** What one press of a thread button does, after the ack. */
async function pressButton(
  deps: ListenerDeps,
  { body, action, client }: ButtonArgs,
  reply: (message: Message) => Promise<unknown>,
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
    if (outcome.ok) return;
    const owned = alreadyOwnedOf(deps, outcome);
    await reply(owned ? buildAlreadyOwnedNotice(owned) : buildNotice(outcome.reason));
    return;
  }
  if (button === "timeline") {
    await reply(await timelineOf(deps, view, body.user.id));
    return;
  }
  // The thread is all a submission needs: its card is found from the thread, wherever it is now.
  // Its department and hand-over count are kept to notice a hand-over made while the form was
  // open, even one away and back.
  const metadata: ModalMetadata = {
    threadId,
    department: view.thread.department,
    handOvers: view.handOvers.length,
  };
  const form = modalFor(button, deps, view, metadata);
  const opened = await openModal(client, body.trigger_id, form, reply);
  if (opened) await refuseIfNotAllowed(deps, client, body.user.id, view, button, opened);
}

/** The state-machine action each form ends in, for the permission check. */
const FORM_ACTIONS = {
  handOver: "hand_over_department",
  dismiss: "dismiss",
  responded: "respond",
} as const satisfies Partial<Record<ButtonName, ThreadActionType>>;

/**
 * Replaces an open form with why its opener may not use it (a member of another department,
 * or not the owner). The form had to open before this was known; the submission is checked
 * again anyway, so when Slack cannot tell who the person is now, the form stays as it is.
 */
async function refuseIfNotAllowed(
  deps: ListenerDeps,
  client: WebClient,
  userId: string,
  view: ThreadView,
  button: ButtonName,
  opened: { id: string; hash: string; title: string },
): Promise<void> {
  const action = FORM_ACTIONS[button as keyof typeof FORM_ACTIONS];
  if (!action) return;
  const { department } = view.thread;
  try {
    const actor = await deps.directory.factsFor(userId, [department]);
    // Read again now the form is open: the thread may have been claimed meanwhile. One moved
    // to another desk is left to the submission, which says so.
    const now = await loadThreadHolder(deps.db.db, view.thread.id);
    if (now?.department !== department) return;
    const name = departmentOf(deps.config, department)?.name;
    const verdict = mayPerform(actor, { department, owner: now.owner ?? undefined }, action, name);
    if (verdict.ok) return;
    await client.views.update({
      view_id: opened.id,
      hash: opened.hash,
      view: buildRefusalModal({ title: opened.title, reason: verdict.reason }),
    });
  } catch (error) {
    // A busy Slack or a form already changed (hash_conflict): the submission decides.
    deps.logger.warn("card.form_check_failed", { userId, error: String(error) });
  }
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

/** Trigger errors mean Slack's 3 seconds for opening a modal ran out (SLACK.md §4). */
const TRIGGER_ERRORS = new Set(["expired_trigger_id", "exchanged_trigger_id", "trigger_expired"]);

async function openModal(
  client: WebClient,
  triggerId: string,
  view: ReturnType<typeof modalFor>,
  reply: (message: Message) => Promise<unknown>,
) {
  try {
    const res = await client.views.open({ trigger_id: triggerId, view });
    const { id, hash } = res.view ?? {};
    return id && hash ? { id, hash, title: view.title?.text ?? "" } : null;
  } catch (error) {
    const code = (error as { data?: { error?: unknown } }).data?.error;
    if (typeof code !== "string" || !TRIGGER_ERRORS.has(code)) throw error;
    await reply(buildNotice("Slack took too long to open the form; click the button again."));
    return null;
  }
}

async function timelineOf(deps: ListenerDeps, view: ThreadView, userId: string) {
  const events = await threadTimeline(slackContext(deps, userId), view.thread.id);
  const departmentNames = Object.fromEntries(deps.config.departments.map((d) => [d.key, d.name]));
  return buildTimeline(events, timezoneOf(deps.config, view.thread.department), {
    departmentNames,
  });
}
