import { eq } from "drizzle-orm";
import { threads } from "../db/schema.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { PostKind } from "../domain/post-kinds.ts";
import { changeKind, type KindChangeOutcome } from "../services/change-kind.ts";
import { type ListenerDeps, slackContext } from "./listener-deps.ts";

/**
 * Changes a thread's kind for a Slack user: who they are (admin, lead, member of the thread's
 * department) comes from Slack, whether they may and what follows from the service.
 */
export async function changeThreadKind(
  deps: ListenerDeps,
  userId: string,
  threadId: string,
  kind: PostKind,
): Promise<KindChangeOutcome> {
  // A plain read: changeKind locks the row and checks again.
  const [thread] = await deps.db.db
    .select({ department: threads.department })
    .from(threads)
    .where(eq(threads.id, threadId));
  if (!thread) throw new NotFoundError(`No thread ${threadId}`);
  const actor = await deps.directory.factsFor(userId, [thread.department]);
  const outcome = await changeKind(slackContext(deps, userId), deps.config, {
    threadId,
    kind,
    actor,
  });
  if (outcome.ok) deps.onQueued();
  return outcome;
}
