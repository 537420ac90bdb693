import { isLocalTime } from "../domain/digest-schedule.ts";
import type { RollupGroup } from "../services/kind-profiles.ts";
import type { Job } from "./sweep-timers-job.ts";

/**
 * Sends a roll-up on its schedule, in its time zone (daylight saving included): daily at a
 * local time ("17:00"), or on five cron fields ("0,30 * * * *": every half hour). Every replica runs it; the
 * roll-up service lets one of them send it.
 */
export function kindRollupJob(group: RollupGroup, send: () => Promise<unknown>): Job {
  return {
    name: `kind-rollup:${group.channel}`,
    schedule: cronOf(group.at),
    timezone: group.timezone,
    run: send,
  };
}

function cronOf(at: string): string {
  if (!isLocalTime(at)) return at.trim();
  const [hours, minutes] = at.trim().split(":").map(Number);
  return `${minutes ?? 0} ${hours ?? 0} * * *`;
}
