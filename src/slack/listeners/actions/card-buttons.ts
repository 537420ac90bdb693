import type { App } from "@slack/bolt";
import type { Logger } from "../../../logger.ts";
import { THREAD_ACTION_IDS } from "../../views/ids.ts";

/**
 * The card's buttons. Slack needs an ack within 3 seconds whatever happens next, so
 * every button acks first. What each does arrives with thread ownership; until then
 * the clicker is told privately.
 */
export function registerCardButtons(app: App, logger: Logger): void {
  for (const actionId of Object.values(THREAD_ACTION_IDS)) {
    app.action(actionId, async ({ ack, body, respond }) => {
      await ack();
      logger.info("card.button", { actionId, userId: body.user.id });
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: "Thanks — ownership actions (claim, hand over, resolve…) are not available in this version yet.",
      });
    });
  }
}
