import type { Transaction } from "../db/client.ts";
import { enqueueOutbox } from "../db/outbox-store.ts";
import { rollupMessagesCovering } from "../db/rollup-store.ts";
import type { ThreadRow } from "../db/schema.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";

/**
 * Queues a redraw of every posted roll-up page that covers the thread's opening time, in the
 * transaction that changed its kind: a post put on the desk from a roll-up leaves it for
 * everyone (its picker would otherwise still say "Other"), and one taken off joins it.
 */
export async function queueRollupRedraws(
  tx: Transaction,
  thread: Pick<ThreadRow, "id" | "openedAt">,
  now: Date,
): Promise<void> {
  for (const page of await rollupMessagesCovering(tx, thread.openedAt)) {
    await enqueueOutbox(
      tx,
      {
        kind: OUTBOX_KINDS.updateKindRollup,
        threadId: null,
        channel: page.channel,
        payload: { rollupId: page.rollupId, page: page.page },
      },
      now,
    );
  }
}
