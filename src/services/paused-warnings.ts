import { and, eq, sql } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks } from "../db/clock-codec.ts";
import { type ThreadRow, type TimerRow, threadEvents, threads, timers } from "../db/schema.ts";
import { isBreached, isPaused, type SlaClock } from "../domain/sla-clock.ts";
import {
  type NudgePayload,
  queueTimerMessages,
  recipientTag,
  THREAD_TIMERS,
} from "./fire-thread-timers.ts";
import { calendarOf } from "./workspace-lookups.ts";

/**
 * Set on a fired step whose message was dropped because its clock was paused: true for a
 * warning (the step is sent again, to whoever it is for then), the recipients' tags for a
 * breach or escalation (only the notices that were dropped: the one under the card, or in the
 * executives' channel, may have gone out).
 */
const UNSENT = "unsentWhilePaused";

/** What a step dropped while its clock was paused needs to be sent again. */
export type UnsentNudge = Pick<
  NudgePayload,
  "threadId" | "timerKey" | "step" | "clockKind" | "via" | "user"
>;

/**
 * A warning, breach notice or escalation fired, but its message was dropped at delivery
 * because the thread was waiting on the customer by then (a DM held for its reader's working
 * hours, a notice Slack held back). Its step stays fired, as the planner leaves out a share
 * already spent, so it is marked to be sent when the clock runs again: otherwise the owner
 * would hear nothing until the breach, and the leads or executives nothing of it at all. An
 * escalation is held like the rest, not sent regardless: one not yet fired at the pause goes
 * out when the clock runs again (the planner keeps its past instant), as a snoozed incident
 * pages again when the snooze ends, and one the outbox had not sent yet does the same. The
 * thread's log says it was held.
 */
export async function markNudgeUnsent(
  config: WorkspaceConfig,
  tx: Transaction,
  unsent: UnsentNudge,
  now: Date,
): Promise<void> {
  const { threadId, timerKey, step } = unsent;
  // Locked as a transition locks it: a customer who wrote since the delivery looked is not missed.
  const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).for("update");
  if (!thread) return;
  const mark =
    step === "warning"
      ? sql`'true'::jsonb`
      : sql`coalesce(${timers.payload} -> ${UNSENT}, '[]'::jsonb) || ${JSON.stringify([recipientTag(unsent)])}::jsonb`;
  const marked = await tx
    .update(timers)
    .set({ payload: sql`${timers.payload} || jsonb_build_object(${UNSENT}::text, ${mark})` })
    .where(
      and(
        eq(timers.subjectType, THREAD_TIMERS),
        eq(timers.subjectId, threadId),
        eq(timers.key, timerKey),
        eq(timers.step, step),
        eq(timers.status, "fired"),
      ),
    )
    .returning({ id: timers.id });
  if (marked.length > 0) {
    await tx.insert(threadEvents).values({
      threadId,
      at: now,
      actor: "system",
      kind: "sla.held",
      details: { step, clock: unsent.clockKind, key: timerKey },
    });
  }
  await resendHeldNudges(config, tx, thread, decodeClocks(thread.clocks), now);
}

/**
 * When the customer writes and a paused clock runs again, what was dropped while it was
 * paused is sent now: the latest warning of that clock's run, with the deadline as it now
 * stands (later by the time spent waiting), unless the clock is over its budget (the breach
 * notice says more); and the breach notices and escalations that were dropped, to the same
 * readers (of a clock's several escalations held, the latest: they go to the same place).
 * Each is sent once: the mark is cleared.
 */
export async function resendHeldNudges(
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
        sql`(${timers.payload} -> ${UNSENT}) is not null`,
      ),
    )
    .orderBy(timers.fireAt, timers.id);
  const calendar = calendarOf(config, thread.department);
  const latest = new Map<string, TimerRow>();
  for (const timer of unsent) {
    const clock = clocks.find((c) => c.kind === timer.clockKind);
    const run = clock && timer.key.startsWith(`${clock.kind}@${clock.startedAt.toISOString()}:`);
    // Still paused: it waits for the resume. A clock since restarted or stopped needs none.
    if (run && isPaused(clock)) continue;
    if (
      run &&
      clock.runningSince !== null &&
      (timer.step !== "warning" || !isBreached(clock, now, calendar))
    )
      latest.set(`${clock.kind}:${timer.step}`, timer);
    await tx
      .update(timers)
      .set({ payload: sql`${timers.payload} - ${UNSENT}::text` })
      .where(eq(timers.id, timer.id));
  }
  for (const timer of latest.values()) {
    const again = { ...timer, fireAt: now };
    const marked = timer.payload[UNSENT];
    await queueTimerMessages(config, tx, thread, again, now, {
      dedupe: `timer:${timer.id}@${now.toISOString()}`,
      resent: true,
      ...(Array.isArray(marked) ? { only: marked.map(String) } : {}),
    });
  }
}
