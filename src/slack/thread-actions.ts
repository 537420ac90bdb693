import { eq } from "drizzle-orm";
import { threads } from "../db/schema.ts";
import { isRowId } from "../db/thread-queries.ts";
import { type ActorFacts, mayPerform, mayReceive } from "../domain/permissions.ts";
import type { ThreadAction } from "../domain/thread-lifecycle.ts";
import {
  type FormOrigin,
  movedWhileOpen,
  type OwnedBy,
  type TransitionOutcome,
  transitionThread,
} from "../services/thread-transition.ts";
import { departmentOf, timezoneOf } from "../services/workspace-lookups.ts";
import { type ListenerDeps, slackContext } from "./listener-deps.ts";
import type { AlreadyOwned } from "./views/private-notice.ts";

/** What the user is told when a button or form names a thread that does not exist. */
export const UNKNOWN_THREAD =
  "This thread no longer exists, or this message is out of date; use the latest card.";

/**
 * Acts on a thread for a Slack user: who they are (admin, lead, member) comes from Slack,
 * what happens from the services.
 */
export async function actOnThread(
  deps: ListenerDeps,
  userId: string,
  threadId: string,
  action: ThreadAction,
  /** For a form: where the thread was when it was opened. */
  form: { openedIn?: FormOrigin | undefined } = {},
): Promise<TransitionOutcome | { ok: false; reason: string }> {
  const ctx = slackContext(deps, userId);
  // A plain read: transitionThread locks the row and checks again. Membership matters only
  // for the thread's own department; if a hand-over moves it meanwhile, it refuses and says so.
  const [thread] = isRowId(threadId)
    ? await deps.db.db
        .select({ state: threads.state, department: threads.department, owner: threads.owner })
        .from(threads)
        .where(eq(threads.id, threadId))
    : [];
  if (!thread) return { ok: false, reason: UNKNOWN_THREAD };
  // Checked again under the row lock (openedIn below): a hand-over may land meanwhile.
  const openedIn = form.openedIn?.department;
  if (openedIn !== undefined && openedIn !== thread.department) {
    return { ok: false, reason: movedWhileOpen(deps.config, thread.department) };
  }
  const actor = await deps.directory.factsFor(userId, [thread.department]);
  const refused = await recipientRefusal(deps, actor, thread, action);
  if (refused) return refused;
  const outcome = await transitionThread(ctx, deps.config, {
    threadId,
    action,
    actor,
    openedIn: form.openedIn,
    // The facts are for this department: a hand-over landing meanwhile is said as such, not
    // as "only members of" the new one (who the clicker may well be).
    clickedIn: thread.department,
  });
  if (outcome.ok) deps.onQueued();
  return outcome;
}

/** A late Claim's refusal as the notice draws it (who owns the thread, since when); else undefined. */
export function alreadyOwnedOf(
  deps: ListenerDeps,
  refusal: { reason: string; owned?: OwnedBy | undefined; thread?: { department: string } },
): AlreadyOwned | undefined {
  if (!refusal.owned || !refusal.thread) return undefined;
  const timezone = timezoneOf(deps.config, refusal.thread.department);
  return { ...refusal.owned, now: deps.clock.now(), timezone };
}

/**
 * A hand-over to a person who could not work the thread, refused with why. Only once the
 * giver may hand it over at all (checked again under the lock): their refusal comes first.
 */
async function recipientRefusal(
  deps: ListenerDeps,
  actor: ActorFacts,
  thread: { department: string; owner: string | null },
  action: ThreadAction,
): Promise<{ ok: false; reason: string } | undefined> {
  // To its owner already: the state machine says so, whoever they are now.
  if (action.type !== "hand_over_person" || action.to === thread.owner) return undefined;
  const giver = { department: thread.department, owner: thread.owner ?? undefined };
  if (!mayPerform(actor, giver, action.type).ok) return undefined;
  const recipient = await deps.directory.factsFor(action.to, [thread.department]);
  const name = departmentOf(deps.config, thread.department)?.name;
  const verdict = mayReceive(recipient, thread.department, name);
  return verdict.ok ? undefined : verdict;
}
