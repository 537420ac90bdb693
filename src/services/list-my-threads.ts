import { and, asc, eq, inArray, notInArray } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { decodeClocks } from "../db/clock-codec.ts";
import { complaints, threads } from "../db/schema.ts";
import { dueAt, type SlaClock } from "../domain/sla-clock.ts";
import type { ServiceContext } from "./context.ts";
import { offDeskKinds } from "./kind-profiles.ts";
import { calendarOf } from "./workspace-lookups.ts";

const ACTIVE = ["claimed", "responded", "waiting_on_customer"];

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
  const rows = await ctx.db.db
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
    .limit(200);
  const openers = rows.map((r) => r.openingComplaintId).filter((id): id is string => id !== null);
  const firsts = openers.length
    ? await ctx.db.db
        .select({ threadId: complaints.threadId, text: complaints.text })
        .from(complaints)
        .where(inArray(complaints.id, openers))
    : [];
  const textOf = new Map(firsts.map((f) => [f.threadId, f.text]));
  const mine = rows.map((t): MyThread => {
    const calendar = calendarOf(config, t.department);
    const due = decodeClocks(t.clocks)
      .map((clock) => ({ clock, dueAt: dueAt(clock, calendar) }))
      .filter((d): d is { clock: SlaClock; dueAt: Date } => d.dueAt !== null)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    return {
      threadId: t.id,
      department: t.department,
      priority: t.priority,
      state: t.state,
      excerpt: textOf.get(t.id) ?? "",
      slackChannel: t.slackChannel,
      slackTs: t.slackTs,
      next: due[0] ?? null,
    };
  });
  return mine.sort(
    (a, b) => (a.next?.dueAt.getTime() ?? Infinity) - (b.next?.dueAt.getTime() ?? Infinity),
  );
}
