import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.ts";

/** A scheduled job: a name, a node-cron schedule (seconds field allowed) and what to run. */
export interface Job {
  name: string;
  schedule: string;
  /** IANA zone the schedule is read in; default the process's. */
  timezone?: string | undefined;
  run(): Promise<unknown>;
}

/**
 * Starts a job. noOverlap skips a tick while the previous run is still going; errors are
 * logged and the next tick tries again (timers stay in the database until fired).
 */
export function startJob(job: Job, logger: Logger): ScheduledTask {
  return cron.schedule(
    job.schedule,
    async () => {
      try {
        await job.run();
      } catch (error) {
        logger.error("job.failed", { job: job.name, error });
      }
    },
    { name: job.name, noOverlap: true, ...(job.timezone ? { timezone: job.timezone } : {}) },
  );
}

/**
 * Fires due SLA timers every second: lateness is spread over 0–1 s plus delivery, so p99
 * stays under 2 s (bench/timer-sweep.ts measures it). An idle sweep costs under a millisecond.
 */
export function sweepTimersJob(sweep: () => Promise<unknown>): Job {
  return { name: "sweep-timers", schedule: "* * * * * *", run: sweep };
}
