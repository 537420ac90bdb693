import { and, eq, sql } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks } from "../db/clock-codec.ts";
import { type ThreadRow, type TimerRow, threads, timers } from "../db/schema.ts";
import { isBreached, type SlaClock } from "../domain/sla-clock.ts";
import { queueTimerMessages, THREAD_TIMERS } from "./fire-thread-timers.ts";
import { calendarOf } from "./workspace-lookups.ts";

/** Set on a fired warning whose message was dropped because its clock was paused. */
const UNSENT = "unsentWhilePaused";

/**
 * A warning fired, but its message was dropped at delivery because the thread was waiting on
 * the customer by then (a DM held for the owner's working hours). Its step stays fired, as
 * the planner leaves out a share already spent, so it is marked to be sent when the clock
 * runs again: otherwise the owner would hear nothing until the breach.
 */
export async function markWarningUnsent(
  config: WorkspaceConfig,
  tx: Transaction,
  unsent: { threadId: string; timerKey: string },
  now: Date,
): Promise<void> {
  const { threadId, timerKey } = unsent;
  // Locked as a transition locks it: a customer who wrote since the delivery looked is not missed.
  const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).for("update");
  if (!thread) return;
  await tx
    .update(timers)
    .set({ payload: sql`${timers.payload} || ${JSON.stringify({ [UNSENT]: true })}::jsonb` })
    .where(
      and(
        eq(timers.subjectType, THREAD_TIMERS),
        eq(timers.subjectId, threadId),
        eq(timers.key, timerKey),
        eq(timers.step, "warning"),
        eq(timers.status, "fired"),
      ),
    );
  await resendUnsentWarnings(config, tx, thread, decodeClocks(thread.clocks), now);
}

/**
 * When the customer writes and a paused clock runs again, the latest warning of that clock's
 * run that was dropped while it was paused is sent now, with the deadline as it now stands
 * (later by the time spent waiting). Not once the clock is over its budget: the breach notice
 * says more. Each is sent once: the mark is cleared.
 */
export async function resendUnsentWarnings(
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  clocks: readonly SlaClock[],
  now: Date,
): Promise<void> {
  const unsent = await tx
    .select()
    .from(timers)
    .where(
      and(
        eq(timers.subjectType, THREAD_TIMERS),
        eq(timers.subjectId, thread.id),
        eq(timers.status, "fired"),
        sql`(${timers.payload} ->> ${UNSENT}) = 'true'`,
      ),
    )
    .orderBy(timers.fireAt, timers.id);
  const calendar = calendarOf(config, thread.department);
  const latest = new Map<string, TimerRow>();
  for (const timer of unsent) {
    const clock = clocks.find((c) => c.kind === timer.clockKind);
    const run = clock && timer.key.startsWith(`${clock.kind}@${clock.startedAt.toISOString()}:`);
    // Still paused: it waits for the resume. A clock since restarted or stopped needs none.
    if (run && clock.runningSince === null && clock.stoppedAt === null) continue;
    if (run && clock.runningSince !== null && !isBreached(clock, now, calendar))
      latest.set(clock.kind, timer);
    await tx
      .update(timers)
      .set({ payload: sql`${timers.payload} - ${UNSENT}::text` })
      .where(eq(timers.id, timer.id));
  }
  for (const timer of latest.values()) {
    const again = { ...timer, fireAt: now };
    await queueTimerMessages(
      config,
      tx,
      thread,
      again,
      now,
      `timer:${timer.id}@${now.toISOString()}`,
    );
  }
}
