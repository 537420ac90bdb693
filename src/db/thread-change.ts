import { eq } from "drizzle-orm";
import type { Transaction } from "./client.ts";
import { type ThreadRow, threadEvents, threads } from "./schema.ts";

/** The timeline event that tells a thread's change: when, by whom, what. */
export interface ThreadChangeEvent {
  at: Date;
  /** "system", "intake", or "slack:U123" (see `describeActor`). */
  actor: string;
  kind: string;
  details: Record<string, unknown>;
}

/**
 * Writes a change to a thread the caller holds the row lock of, bumping its version, and the
 * timeline event that tells it, in the caller's transaction. Returns the thread after it.
 */
export async function changeLockedThread(
  tx: Transaction,
  thread: ThreadRow,
  change: Omit<Partial<typeof threads.$inferInsert>, "updatedAt" | "version">,
  event: ThreadChangeEvent,
): Promise<ThreadRow> {
  const [updated] = await tx
    .update(threads)
    .set({ ...change, updatedAt: event.at, version: thread.version + 1 })
    .where(eq(threads.id, thread.id))
    .returning();
  // The lock is held, so the row cannot be gone: a bug, not a race.
  if (!updated) throw new Error(`thread ${thread.id} vanished under its lock`);
  await tx.insert(threadEvents).values({ threadId: thread.id, ...event });
  return updated;
}
