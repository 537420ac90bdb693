import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Executor } from "../db/client.ts";
import { homeAudience, queueHomePublishes } from "../db/home-refresh-store.ts";

/** A change waits this long for others before the Homes it touches are published. */
export const HOME_REFRESH_DELAY_MS = 1_000;

/**
 * Something that Homes show changed (a thread's state, owner, department, a warning or a
 * breach): queues a coalesced publish for everyone who opened their Home and whom it
 * concerns: the people named (old and new owner), members and leads of the departments, and
 * executives whose figures cover them. Runs in the causing transaction.
 */
export async function refreshHomesAbout(
  tx: Executor,
  config: WorkspaceConfig,
  about: { departments: ReadonlyArray<string>; users: ReadonlyArray<string | null | undefined> },
  now: Date,
): Promise<void> {
  const executives = config.executives
    .filter((e) => !e.departments || e.departments.some((d) => about.departments.includes(d)))
    .map((e) => e.user);
  const named = about.users.filter((u): u is string => typeof u === "string" && u !== "");
  const audience = await homeAudience(tx, {
    users: [...named, ...executives],
    departments: about.departments,
  });
  if (audience.length > 0) await queueHomePublishes(tx, audience, now, HOME_REFRESH_DELAY_MS);
}
