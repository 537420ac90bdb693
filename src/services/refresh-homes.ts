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
  about: HomeChange,
  now: Date,
): Promise<void> {
  await refreshHomesOf(tx, await homeAudience(tx, whoseHomesShow(config, about)), now);
}

export interface HomeChange {
  departments: ReadonlyArray<string>;
  users: ReadonlyArray<string | null | undefined>;
}

/** The people and departments whose Homes show a change: those named, and executives covering it. */
export function whoseHomesShow(
  config: WorkspaceConfig,
  about: HomeChange,
): { users: string[]; departments: string[] } {
  const executives = config.executives
    .filter((e) => !e.departments || e.departments.some((d) => about.departments.includes(d)))
    .map((e) => e.user);
  const named = about.users.filter((u): u is string => typeof u === "string" && u !== "");
  return { users: [...named, ...executives], departments: [...about.departments] };
}

/** Queues the coalesced publish of these users' Homes (homeAudience's answer). */
export async function refreshHomesOf(
  tx: Executor,
  audience: readonly string[],
  now: Date,
): Promise<void> {
  if (audience.length > 0) await queueHomePublishes(tx, audience, now, HOME_REFRESH_DELAY_MS);
}
