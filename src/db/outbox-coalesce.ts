import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Transaction } from "./client.ts";
import { enqueueOutbox, type OutboxItem } from "./outbox-store.ts";
import { outbox } from "./schema.ts";

/**
 * Queues an operation that renders the current state when delivered (a message updated in
 * place), unless the same operation is already waiting, untried and unclaimed: that one will
 * show this change too, so a burst of changes costs one Slack call, not one each. The waiting
 * row is locked (SKIP LOCKED) until this transaction commits, so no worker claims and renders
 * it before the change it must show is visible.
 */
export async function enqueueCoalesced(
  tx: Transaction,
  item: OutboxItem,
  now: Date,
): Promise<void> {
  const [waiting] = await tx
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.kind, item.kind),
        eq(outbox.status, "pending"),
        eq(outbox.attempts, 0),
        or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
        sql`${outbox.payload} = ${JSON.stringify(item.payload)}::jsonb`,
      ),
    )
    .limit(1)
    .for("update", { skipLocked: true });
  if (waiting) return;
  await enqueueOutbox(tx, item, now);
}
