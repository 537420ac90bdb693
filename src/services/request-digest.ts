import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { mayRequestDigest } from "../domain/roles.ts";
import type { ServiceContext } from "./context.ts";
import { queueDigest } from "./digest-timers.ts";

export type DigestRequestOutcome = { ok: true; digestId: number } | { ok: false; reason: string };

/**
 * `/switchboard digest`: a digest now, by DM, for an executive (their departments, since
 * their last scheduled digest, in the zone of the workspace file) or an admin (every
 * department, since the same time yesterday, in `timezone`: their Slack profile's zone, UTC
 * when Slack did not say).
 * It does not move the executive's schedule: the next scheduled digest still covers
 * everything since the previous scheduled one.
 */
export async function requestDigest(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  user: string,
  timezone = "UTC",
): Promise<DigestRequestOutcome> {
  const allowed = mayRequestDigest(config, user);
  if (!allowed.ok) return allowed;
  const executive = config.executives.find((e) => e.user === user) ?? {
    user,
    timezone,
    departments: undefined,
  };
  const now = ctx.clock.now();
  const id = await ctx.db.db.transaction((tx) =>
    queueDigest(tx, executive, { reason: "on_demand", now }),
  );
  if (id === null) throw new Error("an on-demand digest was not recorded");
  ctx.logger.info("digest.requested", { user, digestId: id });
  return { ok: true, digestId: id };
}
