import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import type { ServiceContext } from "./context.ts";
import { DIGEST_TIMERS, digestTimerHandler } from "./digest-timers.ts";
import { campaignTimerHandler } from "./fire-campaign-timers.ts";
import { threadTimerHandler } from "./fire-thread-timers.ts";

/**
 * What the sweep does with one subject's due timers. `fire` runs inside the sweep's
 * transaction: it locks the subject first (FOR UPDATE SKIP LOCKED, so a subject someone is
 * changing right now waits for the next sweep), then its due timers (lockDueTimers), queues
 * what they cause through the outbox, and marks them fired. It returns how many fired.
 */
export interface TimerSubjectHandler {
  fire(tx: Transaction, subjectId: string, now: Date): Promise<number>;
}

export type TimerSubjectFactory = (
  ctx: ServiceContext,
  config: WorkspaceConfig,
) => TimerSubjectHandler;

/**
 * Every subject type with timers, by the `subject_type` its rows carry. A new kind of due
 * time (a reminder, a scheduled message) registers here instead of starting a scheduler.
 */
export const TIMER_SUBJECTS: Record<string, TimerSubjectFactory> = {
  thread: threadTimerHandler,
  [DIGEST_TIMERS]: digestTimerHandler,
  campaign: campaignTimerHandler,
};
