import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { findDueSubjects } from "../db/timer-store.ts";
import type { ServiceContext } from "./context.ts";
import { TIMER_SUBJECTS, type TimerSubjectFactory } from "./timer-subjects.ts";

/**
 * Fires every timer due at the clock's now, whatever its subject (a thread's nudges, …): one
 * transaction per subject, in which its handler queues what the timers cause through the
 * outbox and marks them fired. Subjects locked by someone acting on them right now are left
 * for the next sweep; timers that fell due while no bot ran fire on the first sweep after a
 * start.
 */
export async function sweepTimers(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  options: { limit?: number; subjects?: Record<string, TimerSubjectFactory> } = {},
): Promise<{ fired: number; subjects: number }> {
  const now = ctx.clock.now();
  const limit = options.limit ?? 500;
  const handlers = Object.fromEntries(
    Object.entries(options.subjects ?? TIMER_SUBJECTS).map(([type, make]) => [
      type,
      make(ctx, config),
    ]),
  );
  let fired = 0;
  let subjects = 0;
  // A full batch means more may be due (a burst, or a restart): keep going rather than wait
  // for the next tick, unless a round fired nothing (its subjects are locked by others).
  for (;;) {
    const due = await findDueSubjects(ctx.db, Object.keys(handlers), now, limit);
    let round = 0;
    for (const subject of due) {
      const handler = handlers[subject.type];
      if (!handler) continue;
      round += await ctx.db.db.transaction((tx) => handler.fire(tx, subject.id, now));
    }
    fired += round;
    subjects += due.length;
    if (due.length < limit || round === 0) break;
  }
  if (fired > 0) ctx.logger.info("timers.fired", { fired, subjects });
  return { fired, subjects };
}
