import { and, asc, eq, inArray, notInArray } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { decodeClocks } from "../db/clock-codec.ts";
import { complaints, type ThreadRow, threads } from "../db/schema.ts";
import { dueAt, type SlaClock } from "../domain/sla-clock.ts";
import type { ServiceContext } from "./context.ts";
import { offDeskKinds } from "./kind-profiles.ts";
import { calendarOf } from "./workspace-lookups.ts";

const ACTIVE = ["claimed", "responded", "waiting_on_customer"];
/** Threads of one owner read at most, and listed at most (the list shows fewer still). */
const MAX_READ = 5000;
const MAX_LISTED = 200;

export interface MyThread {
  threadId: string;
  department: string;
  priority: string;
  state: string;
  excerpt: string;
  slackChannel: string | null;
  slackTs: string | null;
  /** The soonest running clock: what is due next. Null when every clock is paused or stopped. */
  next: { clock: SlaClock; dueAt: Date } | null;
}

/** The open threads a person owns, soonest due first; none kept off the desk (praise, chatter). */
export async function listMyThreads(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  userId: string,
): Promise<MyThread[]> {
  const owned = await ctx.db.db
    .select()
    .from(threads)
    .where(
      and(
        eq(threads.owner, userId),
        inArray(threads.state, ACTIVE),
        notInArray(threads.kind, offDeskKinds(config)),
      ),
    )
    .orderBy(asc(threads.openedAt))
    .limit(MAX_READ);
  // Soonest due first across everything they own, then the first page of it: taking the oldest
  // page first would hide a newer thread due sooner from someone who owns many.
  const rows = owned
    .map((t) => ({ t, next: nextDue(config, t) }))
    .sort((a, b) => (a.next?.dueAt.getTime() ?? Infinity) - (b.next?.dueAt.getTime() ?? Infinity))
    .slice(0, MAX_LISTED);
  const openers = rows.map((r) => r.t.openingComplaintId).filter((id): id is string => id !== null);
  const firsts = openers.length
    ? await ctx.db.db
        .select({ threadId: complaints.threadId, text: complaints.text })
        .from(complaints)
        .where(inArray(complaints.id, openers))
    : [];
  const textOf = new Map(firsts.map((f) => [f.threadId, f.text]));
  return rows.map(
    ({ t, next }): MyThread => ({
      threadId: t.id,
      department: t.department,
      priority: t.priority,
      state: t.state,
      excerpt: textOf.get(t.id) ?? "",
      slackChannel: t.slackChannel,
      slackTs: t.slackTs,
      next,
    }),
  );
}

/** The soonest running clock of a thread, or null when every clock is paused or stopped. */
function nextDue(config: WorkspaceConfig, t: ThreadRow): MyThread["next"] {
  const calendar = calendarOf(config, t.department);
  const due = decodeClocks(t.clocks)
    .map((clock) => ({ clock, dueAt: dueAt(clock, calendar) }))
    .filter((d): d is { clock: SlaClock; dueAt: Date } => d.dueAt !== null)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  return due[0] ?? null;
}
