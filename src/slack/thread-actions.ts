import type { ThreadAction } from "../domain/thread-lifecycle.ts";
import {
  lockThreadById,
  type TransitionOutcome,
  transitionThread,
} from "../services/thread-transition.ts";
import { type ListenerDeps, slackContext } from "./listener-deps.ts";

/**
 * Acts on a thread for a Slack user: who they are (admin, lead, member) comes from Slack,
 * what happens from the services. "Responded" on an unowned thread claims it for the
 * responder first, as help desks do when an agent answers a ticket.
 */
export async function actOnThread(
  deps: ListenerDeps,
  userId: string,
  threadId: string,
  action: ThreadAction,
): Promise<TransitionOutcome> {
  const ctx = slackContext(deps, userId);
  const actor = await deps.directory.factsFor(userId);
  if (action.type === "respond") {
    const thread = await deps.db.db.transaction((tx) => lockThreadById(tx, threadId));
    if (thread.state === "open") {
      const claimed = await transitionThread(ctx, deps.config, {
        threadId,
        action: { type: "claim", by: userId },
        actor,
      });
      if (!claimed.ok) return claimed;
    }
  }
  const outcome = await transitionThread(ctx, deps.config, { threadId, action, actor });
  if (outcome.ok) deps.onQueued();
  return outcome;
}
