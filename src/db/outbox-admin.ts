import { and, asc, count, desc, eq, min, sql } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { type OutboxRow, outbox, timers } from "./schema.ts";

/** Permanently failed deliveries, newest first, for the admin Home and status. */
export async function listFailedOutbox(executor: Executor, limit: number): Promise<OutboxRow[]> {
  return executor
    .select()
    .from(outbox)
    .where(eq(outbox.status, "failed"))
    .orderBy(desc(outbox.id))
    .limit(limit);
}

/** One delivery's status, or null when there is no such id. */
export async function outboxStatus(executor: Executor, id: number): Promise<string | null> {
  const [row] = await executor
    .select({ status: outbox.status })
    .from(outbox)
    .where(eq(outbox.id, id));
  return row?.status ?? null;
}

/**
 * Puts failed deliveries back in the queue, due now, with a fresh attempt count (so the
 * 24-hour give-up runs from now). Only failed rows change: a delivered item is never resent.
 * Returns the ids that went back.
 */
export async function requeueFailedOutbox(
  executor: Executor,
  target: number | "all-failed",
  now: Date,
): Promise<number[]> {
  const rows = await executor
    .update(outbox)
    .set({
      status: "pending",
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      lockedUntil: null,
      lockedBy: null,
      lastError: sql`'retried by an admin after: ' || coalesce(${outbox.lastError}, '')`,
    })
    .where(
      and(eq(outbox.status, "failed"), ...(target === "all-failed" ? [] : [eq(outbox.id, target)])),
    )
    .returning({ id: outbox.id });
  return rows.map((r) => r.id);
}

/** Pending timers by subject type, with the next one due, for /switchboard status. */
export async function timerSummary(
  executor: Executor,
): Promise<Array<{ subjectType: string; pending: number; nextDue: Date | null }>> {
  const rows = await executor
    .select({ subjectType: timers.subjectType, pending: count(), nextDue: min(timers.fireAt) })
    .from(timers)
    .where(eq(timers.status, "pending"))
    .groupBy(timers.subjectType)
    .orderBy(asc(timers.subjectType));
  return rows.map((r) => ({
    subjectType: r.subjectType,
    pending: r.pending,
    nextDue: r.nextDue ? new Date(r.nextDue) : null,
  }));
}
