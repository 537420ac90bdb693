import { and, eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { enqueueOutbox } from "../db/outbox-store.ts";
import { complaints, type ThreadRow } from "../db/schema.ts";
import { changeLockedThread } from "../db/thread-change.ts";
import { queueCardUpdate } from "./card-updates.ts";
import type { ServiceContext } from "./context.ts";
import { type FollowUp, raiseFromPost } from "./follow-up.ts";
import { firstPostTarget } from "./kind-profiles.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";
import { queueRollupRedraws } from "./redraw-rollups.ts";
import { refreshHomesAbout } from "./refresh-homes.ts";

/**
 * The post a conversation started with, arriving after a reply in it opened the thread (a
 * listening tool often fetches the parent only once a reply mentions the brand). The card
 * shows what the customer said first: this post becomes the thread's opening post, and the
 * post that was on the card goes under it as a reply. It is not the customer writing again:
 * no fresh response window, and a closed thread stays closed. The department stays the
 * thread's, as for any later post (people may have worked it already); the priority and kind
 * may rise, as a follow-up's would. Returns the thread after it.
 */
export async function adoptOpeningPost(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  tx: Transaction,
  f: FollowUp,
): Promise<ThreadRow> {
  const previous = f.thread.openingComplaintId;
  const adopted = await changeLockedThread(
    tx,
    f.thread,
    { openingComplaintId: f.complaintId },
    {
      at: f.now,
      actor: f.actor,
      kind: "thread.opening_post_arrived",
      details: { complaintId: f.complaintId, previousOpening: previous },
    },
  );
  const thread = await raiseFromPost(ctx, policy, tx, { ...f, thread: adopted }, "its first post");
  if (previous) await moveUnderCard(tx, thread, previous, f);
  // A roll-up lists a thread of its kinds by its opening post (such a thread has no message).
  if (firstPostTarget(policy, thread) === null)
    await queueRollupRedraws(tx, thread, { from: thread.kind, to: thread.kind }, f.now);
  // Homes list a thread by its opening words, which just changed.
  await refreshHomesAbout(
    tx,
    policy,
    { departments: [thread.department], users: [thread.owner] },
    f.now,
  );
  ctx.logger.info("thread.opening_post_arrived", {
    threadId: f.thread.id,
    complaintId: f.complaintId,
  });
  return thread;
}

/**
 * The card, once posted, is redrawn with the new opening post, and the post it showed goes
 * under it as a reply. A card still on its way is drawn from the new opening post already,
 * and its delivery queues the replies nobody has seen.
 */
async function moveUnderCard(
  tx: Transaction,
  thread: ThreadRow,
  previous: string,
  f: FollowUp,
): Promise<void> {
  if (!thread.slackTs) return;
  const onCard = and(eq(complaints.id, previous), eq(complaints.slackTs, thread.slackTs));
  const [moved] = await tx
    .update(complaints)
    .set({ slackTs: null })
    .where(onCard)
    .returning({ id: complaints.id });
  await tx
    .update(complaints)
    .set({ slackTs: thread.slackTs })
    .where(eq(complaints.id, f.complaintId));
  await queueCardUpdate(tx, thread, thread.slackChannel, f.now);
  if (!moved) return;
  await enqueueOutbox(
    tx,
    {
      kind: OUTBOX_KINDS.postReply,
      threadId: thread.id,
      channel: f.channel,
      payload: { complaintId: previous },
    },
    f.now,
  );
}
