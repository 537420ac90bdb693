import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { outbox, threads } from "../db/schema.ts";
import { queueCardPost } from "./card-updates.ts";
import { firstPostTarget } from "./kind-profiles.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";

/**
 * An admin retried failed card redraws (`/switchboard retry`): for each thread whose card
 * Slack said was deleted, a new card is queued where the thread's card goes now, drawn as the
 * thread is when it is posted. Its delivery clears the mark (threads.card_deleted_at), so the
 * card is redrawn as before from then on. The retried redraw itself goes out first and
 * changes nothing: it finds the card still marked deleted.
 */
export async function repostDeletedCards(
  tx: Transaction,
  config: WorkspaceConfig,
  retriedIds: number[],
  now: Date,
): Promise<void> {
  if (retriedIds.length === 0) return;
  const gone = await tx
    .selectDistinct({ id: threads.id, kind: threads.kind, department: threads.department })
    .from(outbox)
    .innerJoin(threads, eq(threads.id, outbox.threadId))
    .where(
      and(
        inArray(outbox.id, retriedIds),
        eq(outbox.kind, OUTBOX_KINDS.updateCard),
        isNotNull(threads.cardDeletedAt),
      ),
    );
  for (const thread of gone) {
    const target = firstPostTarget(config, thread);
    if (!target) continue;
    await queueCardPost(tx, thread.id, target.channel, "repost", now);
  }
}
