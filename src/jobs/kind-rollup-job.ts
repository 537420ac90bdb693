import type { RollupGroup } from "../services/kind-profiles.ts";
import type { Job } from "./sweep-timers-job.ts";

/**
 * Sends a daily roll-up at its local time ("17:00" in its time zone, daylight saving
 * included). Every replica runs it; the roll-up service lets one of them send it.
 */
export function kindRollupJob(group: RollupGroup, send: () => Promise<unknown>): Job {
  const [hours, minutes] = group.at.split(":").map(Number);
  return {
    name: `kind-rollup:${group.channel}`,
    schedule: `${minutes ?? 0} ${hours ?? 0} * * *`,
    timezone: group.timezone,
    run: send,
  };
}
