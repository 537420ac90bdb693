import type { App, ViewSubmitAction } from "@slack/bolt";
import type { ThreadAction } from "../../../domain/thread-lifecycle.ts";
import type { ListenerDeps } from "../../listener-deps.ts";
import { slackMemberDeactivated } from "../../member-check.ts";
import { slackBusyFrom } from "../../slack-errors.ts";
import { actOnThread } from "../../thread-actions.ts";
import {
  DISMISS_INPUTS,
  HAND_OVER_INPUTS,
  MODAL_CALLBACK_IDS,
  parseModalMetadata,
  RESPONDED_INPUTS,
} from "../../views/ids.ts";
import {
  parseDismissSubmission,
  parseHandOverSubmission,
  parseRespondedSubmission,
  type SubmissionResult,
} from "../../views/modal-submissions.ts";
import { describeSlackBusy } from "../../views/private-notice.ts";

interface ModalSpec<T> {
  callbackId: string;
  /** Where a refusal is shown in the modal. */
  errorBlock: string;
  parse(values: unknown): SubmissionResult<T>;
  toAction(value: T, by: string): ThreadAction;
}

const DEACTIVATED =
  "The person you picked is deactivated in Slack and cannot work this thread: pick someone else.";
const FAILED = "Something went wrong on our side and nothing was changed. Please try again.";

/** Keeps each modal's parser and action builder typed together, then forgets the type. */
const modal = <T>(spec: ModalSpec<T>) => spec as ModalSpec<unknown>;

const MODALS = [
  modal({
    callbackId: MODAL_CALLBACK_IDS.handOver,
    errorBlock: HAND_OVER_INPUTS.person.blockId,
    parse: parseHandOverSubmission,
    toAction: (value, by) => ({ ...value, by }),
  }),
  modal({
    callbackId: MODAL_CALLBACK_IDS.dismiss,
    errorBlock: DISMISS_INPUTS.reason.blockId,
    parse: parseDismissSubmission,
    toAction: (value, by) => ({ type: "dismiss", ...value, by }),
  }),
  modal({
    callbackId: MODAL_CALLBACK_IDS.responded,
    errorBlock: RESPONDED_INPUTS.link.blockId,
    parse: parseRespondedSubmission,
    toAction: (value, by) => ({ type: "respond", reply: value.reply, by }),
  }),
];

/**
 * Submissions of the hand-over, dismiss and responded modals. The change is made before the
 * ack, so a refusal (not allowed, thread moved on, Slack busy) is shown inside the modal and
 * nothing changes; a database write takes milliseconds, well inside Slack's 3 seconds.
 */
export function registerThreadModals(app: App, deps: ListenerDeps): void {
  for (const spec of MODALS) {
    app.view<ViewSubmitAction>(spec.callbackId, async ({ ack, body, view, client }) => {
      const metadata = parseModalMetadata(view.private_metadata);
      if (!metadata) {
        await ack({
          response_action: "errors",
          errors: { [spec.errorBlock]: "This form is out of date; open it again from the card." },
        });
        return;
      }
      const parsed = spec.parse(view.state.values);
      if (!parsed.ok) {
        await ack({ response_action: "errors", errors: parsed.errors });
        return;
      }
      const action = spec.toAction(parsed.value, body.user.id);
      if (
        action.type === "hand_over_person" &&
        (await slackMemberDeactivated(client, deps.logger, action.to))
      ) {
        // Their DM would be refused (user_disabled) and the thread would wait on nobody.
        await ack({ response_action: "errors", errors: { [spec.errorBlock]: DEACTIVATED } });
        return;
      }
      let outcome: Awaited<ReturnType<typeof actOnThread>>;
      try {
        outcome = await actOnThread(deps, body.user.id, metadata.threadId, action, {
          openedIn: { department: metadata.department, handOvers: metadata.handOvers },
        });
      } catch (error) {
        const busy = slackBusyFrom(error);
        if (!busy) {
          // Answer in the modal, then let app.error log it: an unanswered submission leaves
          // the person looking at Slack's own generic error.
          await ack({ response_action: "errors", errors: { [spec.errorBlock]: FAILED } });
          throw error;
        }
        // Slack was busy with a lookup this needs: keep the form open and say so.
        deps.logger.warn("modal.slack_busy", { userId: body.user.id, error: busy.slackError });
        outcome = { ok: false, reason: describeSlackBusy(busy.retryAfterMs) };
      }
      if (!outcome.ok) {
        await ack({
          response_action: "errors",
          errors: { [spec.errorBlock]: asPlainText(outcome.reason).slice(0, 1000) },
        });
        return;
      }
      await ack();
    });
  }
}

/**
 * A refusal written for a message (where <@U…> shows as a name) made fit for a form's error,
 * which Slack shows as plain text: the raw ID would read as "<@U0SBLEAD01>". The card beside
 * the form names the owner; the person picked is the one in the picker.
 */
export function asPlainText(reason: string): string {
  return reason
    .replace(/^<@[UW][A-Z0-9]+> owns this thread/, "Someone else owns this thread (see the card)")
    .replace(/^<@[UW][A-Z0-9]+> is not a member/, "The person you picked is not a member")
    .replace(
      /^<@[UW][A-Z0-9]+> already owns this thread/,
      "The person you picked already owns this thread",
    )
    .replace(/<@[UW][A-Z0-9]+>/g, "someone");
}
