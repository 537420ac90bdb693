import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { noteOnHome } from "../../../services/open-home.ts";
import { retryDeliveries } from "../../../services/retry-deliveries.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";
import { actOnThread, alreadyOwnedOf } from "../../thread-actions.ts";
import { HOME_ACTION_ID_PATTERN, HOME_ACTION_IDS, parseRetryValue } from "../../views/home-ids.ts";
import { parseThreadAction } from "../../views/ids.ts";
import { describeAlreadyOwned } from "../../views/private-notice.ts";

/**
 * Buttons on the App Home that act at once: Claim, Resolve, an admin's Retry. A Home has no
 * response_url for private replies, so a refusal is shown as a note at the top of the Home;
 * a success shows in the Home's next publish, which the change itself queues.
 */
export function registerHomeButtons(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(HOME_ACTION_ID_PATTERN, async ({ ack, body, action }) => {
    await ack();
    const user = body.user.id;
    const ctx = slackContext(deps, user);
    const reason = await act(deps, user, action);
    await noteOnHome(ctx, user, reason);
    deps.onQueued();
  });
}

/** Does what the button says; returns the refusal to show, or null. */
async function act(deps: ListenerDeps, user: string, action: ButtonAction): Promise<string | null> {
  if (action.action_id === HOME_ACTION_IDS.retry) {
    const id = parseRetryValue(action.value);
    if (id === null) return "This button is out of date; here is the current list.";
    const outcome = await retryDeliveries(slackContext(deps, user), deps.config, {
      user,
      target: id,
    });
    return outcome.ok ? null : outcome.reason;
  }
  if (action.action_id === HOME_ACTION_IDS.refresh) return null;
  const threadId = parseThreadAction(action.value);
  if (!threadId) return "This button is out of date; here is the current list.";
  const type = action.action_id === HOME_ACTION_IDS.claim ? "claim" : "resolve";
  // A thread this database never had is refused by actOnThread (UNKNOWN_THREAD), not thrown.
  const outcome = await actOnThread(deps, user, threadId, { type, by: user });
  if (outcome.ok) return null;
  const owned = alreadyOwnedOf(deps, outcome);
  return owned ? describeAlreadyOwned(owned) : outcome.reason;
}
