import { asc, eq } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { type ComplaintRow, complaints, type ThreadRow, threads } from "./schema.ts";

/** A thread with the complaint that opened it and how many came after. */
export interface ThreadView {
  thread: ThreadRow;
  first: ComplaintRow;
  followUps: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `id` can name a row: ids are uuid columns, and PostgreSQL answers a malformed
 * one (from an old or forged button value) with an error rather than "no such row".
 */
export function isRowId(id: string): boolean {
  return UUID.test(id);
}

export async function loadThreadView(
  executor: Executor,
  threadId: string,
): Promise<ThreadView | null> {
  if (!isRowId(threadId)) return null;
  const [thread] = await executor.select().from(threads).where(eq(threads.id, threadId));
  if (!thread) return null;
  const posts = await executor
    .select()
    .from(complaints)
    .where(eq(complaints.threadId, threadId))
    .orderBy(asc(complaints.receivedAt), asc(complaints.id));
  const first = posts.find((p) => p.id === thread.openingComplaintId) ?? posts[0];
  if (!first) return null;
  return { thread, first, followUps: posts.length - 1 };
}

export async function loadComplaintWithThread(
  executor: Executor,
  complaintId: string,
): Promise<{ complaint: ComplaintRow; thread: ThreadRow } | null> {
  if (!isRowId(complaintId)) return null;
  const [row] = await executor
    .select({ complaint: complaints, thread: threads })
    .from(complaints)
    .innerJoin(threads, eq(complaints.threadId, threads.id))
    .where(eq(complaints.id, complaintId));
  return row ?? null;
}
