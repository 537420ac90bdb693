import { asc, eq } from "drizzle-orm";
import { type ThreadEventRow, threadEvents } from "../db/schema.ts";
import type { ServiceContext } from "./context.ts";

/** Every event in a thread's log, oldest first. */
export async function threadTimeline(
  ctx: ServiceContext,
  threadId: string,
): Promise<ThreadEventRow[]> {
  return ctx.db.db
    .select()
    .from(threadEvents)
    .where(eq(threadEvents.threadId, threadId))
    .orderBy(asc(threadEvents.id));
}
