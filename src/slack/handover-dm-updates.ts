import { and, eq, isNull } from "drizzle-orm";
import type { Transaction } from "../db/client.ts";
import { handOverDms } from "../db/schema.ts";
import { updatePosted } from "./card-permalink.ts";
import { type DeliveryDeps, requireThreadView } from "./delivery-support.ts";
import { isHandOverStale, renderHandOverOutcome } from "./handover-dm.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";

/** Where Slack put a hand-over DM, kept so that a later change redraws it. */
export async function recordHandOverDm(
  tx: Transaction,
  dm: { threadId: string; userId: string; channel: string; ts: string },
  now: Date,
): Promise<void> {
  await tx.insert(handOverDms).values({
    threadId: dm.threadId,
    userId: dm.userId,
    slackChannel: dm.channel,
    slackTs: dm.ts,
    postedAt: now,
  });
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
