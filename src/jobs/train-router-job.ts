import type { Job } from "./sweep-timers-job.ts";

/**
 * Retrains the learned router on `routing.learned.retrain` (a cron schedule, e.g. nightly).
 * Every replica runs it; the training service lets one train at a time and stores no new
 * version when the history has not changed.
 */
export function trainRouterJob(schedule: string, train: () => Promise<unknown>): Job {
  return { name: "train-router", schedule, run: train };
}
