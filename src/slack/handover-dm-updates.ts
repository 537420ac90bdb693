import { and, eq, isNull } from "drizzle-orm";
import type { Transaction } from "../db/client.ts";
import { handOverDms, threads } from "../db/schema.ts";
import { queueHandOverDmUpdates } from "../services/card-updates.ts";
import { updatePosted } from "./card-permalink.ts";
import { type DeliveryDeps, requireThreadView } from "./delivery-support.ts";
import { isHandOverStale, renderHandOverOutcome } from "./handover-dm.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";

/**
 * Where Slack put a hand-over DM, kept so that a later change redraws it. The DM was drawn
 * while the thread was its reader's; if it was closed or handed on between Slack accepting
 * the DM and now, that change found no DM to redraw, so the redraw is queued here. The
 * thread's row is locked first: a change committing meanwhile either is seen here or waits
 * for this row and queues the redraw itself.
 */
export async function recordHandOverDm(
  tx: Transaction,
  dm: { threadId: string; userId: string; channel: string; ts: string },
  now: Date,
): Promise<void> {
  const [thread] = await tx.select().from(threads).where(eq(threads.id, dm.threadId)).for("share");
  await tx.insert(handOverDms).values({
    threadId: dm.threadId,
    userId: dm.userId,
    slackChannel: dm.channel,
    slackTs: dm.ts,
    postedAt: now,
  });
  if (thread && isHandOverStale(thread, dm.userId))
    await queueHandOverDmUpdates(tx, dm.threadId, now);
}

/**
 * Redraws the thread's hand-over DMs whose reader no longer holds it (closed, or handed on)
 * as its state without buttons, once: each is then settled. A DM deleted in Slack is settled
 * too, with nothing to redraw. DMs whose reader still holds the thread keep their buttons.
 */
export function updateHandOverDms(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const view = await requireThreadView(deps, item.payload.threadId);
    const live = await deps.db.db
      .select()
      .from(handOverDms)
      .where(and(eq(handOverDms.threadId, view.thread.id), isNull(handOverDms.settledAt)));
    const stale = live.filter((dm) => isHandOverStale(view.thread, dm.userId));
    if (stale.length === 0) return undefined;
    const message = await renderHandOverOutcome(deps, view);
    for (const dm of stale) {
      await updatePosted(
        deps.client,
        { channel: dm.slackChannel, ts: dm.slackTs, ...message },
        "handover_dm",
      ).catch((error: unknown) => {
        // Deleted in Slack: nothing left to show stale buttons, so it counts as settled.
        if (!(error instanceof Error && error.message.startsWith("handover_dm_deleted")))
          throw error;
      });
    }
    const settledAt = deps.clock.now();
    return async (tx) => {
      for (const dm of stale) {
        await tx.update(handOverDms).set({ settledAt }).where(eq(handOverDms.id, dm.id));
      }
    };
  };
}
