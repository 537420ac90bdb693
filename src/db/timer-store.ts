import { and, eq, inArray, lte, notInArray, sql } from "drizzle-orm";
import type { PlannedTimer } from "../domain/escalation-plan.ts";
import type { DatabaseHandle, Executor } from "./client.ts";
import { type ThreadTimerRow, threadTimers } from "./schema.ts";

/**
 * Makes a thread's pending timers match its plan: new steps are added, moved ones get their
 * new instant, steps no longer planned are cancelled. A step that already fired keeps its
 * row, so the same key never fires twice.
 */
export async function syncThreadTimers(
  executor: Executor,
  threadId: string,
  plan: readonly PlannedTimer[],
): Promise<void> {
  const keys = plan.map((t) => t.key);
  await executor
    .update(threadTimers)
    .set({ status: "cancelled" })
    .where(
      and(
        eq(threadTimers.threadId, threadId),
        eq(threadTimers.status, "pending"),
        ...(keys.length ? [notInArray(threadTimers.key, keys)] : []),
      ),
    );
  if (plan.length === 0) return;
  await executor
    .insert(threadTimers)
    .values(
      plan.map((t) => ({
        threadId,
        key: t.key,
        clockKind: t.clockKind,
        step: t.step,
        target: t.target,
        fireAt: t.fireAt,
      })),
    )
    .onConflictDoUpdate({
      target: [threadTimers.threadId, threadTimers.key],
      set: { fireAt: sql`excluded.fire_at`, status: sql`'pending'` },
      // A fired step stays fired; a cancelled one comes back when planned again (resume).
      setWhere: sql`${threadTimers.status} <> 'fired'`,
    });
}

/**
 * Threads with a timer due at `now`, most overdue first. The partial index on pending
 * fire_at makes this cost follow the number of due timers, not the number of open threads.
 * Nothing is locked here: the sweep locks each thread, then its timers, in that order (the
 * same order as every state change), so sweeps and clicks never deadlock.
 */
export async function findThreadsWithDueTimers(
  db: DatabaseHandle,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db.query<{ thread_id: string }>(
    sql`SELECT thread_id FROM thread_timers
        WHERE status = 'pending' AND fire_at <= ${now.toISOString()}
        GROUP BY thread_id
        ORDER BY min(fire_at)
        LIMIT ${limit}`,
  );
  return rows.map((r) => r.thread_id);
}

/** The thread's due pending timers, locked; call with the thread row already locked. */
export async function lockDueTimers(
  executor: Executor,
  threadId: string,
  now: Date,
): Promise<ThreadTimerRow[]> {
  return executor
    .select()
    .from(threadTimers)
    .where(
      and(
        eq(threadTimers.threadId, threadId),
        eq(threadTimers.status, "pending"),
        lte(threadTimers.fireAt, now),
      ),
    )
    .orderBy(threadTimers.fireAt, threadTimers.id)
    .for("update");
}

export async function markTimersFired(
  executor: Executor,
  ids: readonly number[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await executor
    .update(threadTimers)
    .set({ status: "fired", firedAt: now })
    .where(inArray(threadTimers.id, [...ids]));
}
