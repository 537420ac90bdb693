import { and, asc, count, eq, inArray, notInArray } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { complaints, type HomeTabRow, homeTabs, threads } from "./schema.ts";

/**
 * Unclaimed threads in the given departments, oldest first, with their opening words; posts
 * of the kinds kept off the desk (praise in #kudos, chatter in a roll-up) are not work to claim.
 */
export async function listUnclaimed(
  executor: Executor,
  departments: readonly string[],
  limit: number,
  offDeskKinds: readonly string[] = [],
) {
  if (departments.length === 0) return [];
  return executor
    .select({
      threadId: threads.id,
      department: threads.department,
      priority: threads.priority,
      state: threads.state,
      channel: threads.slackChannel,
      excerpt: complaints.text,
    })
    .from(threads)
    .leftJoin(complaints, eq(complaints.id, threads.openingComplaintId))
    .where(
      and(
        eq(threads.state, "open"),
        inArray(threads.department, [...departments]),
        ...(offDeskKinds.length > 0 ? [notInArray(threads.kind, [...offDeskKinds])] : []),
      ),
    )
    .orderBy(asc(threads.openedAt))
    .limit(limit);
}

/** How many unclaimed threads wait in the given departments (as `listUnclaimed` counts them). */
export async function countUnclaimed(
  executor: Executor,
  departments: readonly string[],
  offDeskKinds: readonly string[] = [],
): Promise<number> {
  if (departments.length === 0) return 0;
  const [row] = await executor
    .select({ n: count() })
    .from(threads)
    .where(
      and(
        eq(threads.state, "open"),
        inArray(threads.department, [...departments]),
        ...(offDeskKinds.length > 0 ? [notInArray(threads.kind, [...offDeskKinds])] : []),
      ),
    );
  return row?.n ?? 0;
}

export async function loadHomeTab(executor: Executor, user: string): Promise<HomeTabRow | null> {
  const [row] = await executor.select().from(homeTabs).where(eq(homeTabs.userId, user));
  return row ?? null;
}

/** Clears a notice once it has been shown (unless a newer one replaced it). */
export async function clearHomeNotice(executor: Executor, user: string, shown: string) {
  await executor
    .update(homeTabs)
    .set({ notice: null })
    .where(and(eq(homeTabs.userId, user), eq(homeTabs.notice, shown)));
}
