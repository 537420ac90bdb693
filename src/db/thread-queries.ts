import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { THREAD_ACTION_TYPES } from "../domain/thread-lifecycle.ts";
import type { Executor } from "./client.ts";
import { type ComplaintRow, complaints, type ThreadRow, threadEvents, threads } from "./schema.ts";

/** One hand-over of a thread to another department, from its event log. */
export interface DepartmentHandOver {
  at: Date;
  /** Department keys. */
  from: string;
  to: string;
  /** Slack user id of who handed it over, when a person did. */
  by?: string | undefined;
  note?: string | undefined;
}

/** A thread with the complaint that opened it, how many came after, and its hand-overs. */
export interface ThreadView {
  thread: ThreadRow;
  first: ComplaintRow;
  followUps: number;
  /** Its hand-overs to other departments, oldest first. */
  handOvers: DepartmentHandOver[];
  /** The change that put it where it stands (its latest transition), when one did. */
  lastChange?: ThreadLastChange | undefined;
}

/** A thread's latest transition, from its event log. */
export interface ThreadLastChange {
  /** "thread.resolve", "thread.hand_over_person", … */
  kind: string;
  /** Slack user id of who made it, when a person did. */
  by?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `id` can name a row: ids are uuid columns, and PostgreSQL answers a malformed
 * one (from an old or forged button value) with an error rather than "no such row".
 */
export function isRowId(id: string): boolean {
  return UUID.test(id);
}
/** The event kind a department hand-over is recorded as (see thread-transition.ts). */
const HAND_OVER_EVENT = "thread.hand_over_department";

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
  return {
    thread,
    first,
    followUps: posts.length - 1,
    handOvers: await loadHandOvers(executor, threadId),
    lastChange: await loadLastChange(executor, threadId),
  };
}

/** The events the state machine records (see thread-transition.ts), not kind changes or notes. */
const TRANSITION_EVENTS = THREAD_ACTION_TYPES.map((type) => `thread.${type}`);
const SLACK_ACTOR = "slack:";

async function loadLastChange(
  executor: Executor,
  threadId: string,
): Promise<ThreadLastChange | undefined> {
  const [row] = await executor
    .select({ kind: threadEvents.kind, actor: threadEvents.actor })
    .from(threadEvents)
    .where(and(eq(threadEvents.threadId, threadId), inArray(threadEvents.kind, TRANSITION_EVENTS)))
    .orderBy(desc(threadEvents.id))
    .limit(1);
  if (!row) return undefined;
  const person = row.actor.startsWith(SLACK_ACTOR) && row.actor.slice(SLACK_ACTOR.length);
  return { kind: row.kind, by: person || undefined };
}

/** Where a thread is and who owns it, as of now (a plain read). */
export async function loadThreadHolder(
  executor: Executor,
  threadId: string,
): Promise<{ department: string; owner: string | null } | null> {
  if (!isRowId(threadId)) return null;
  const [row] = await executor
    .select({ department: threads.department, owner: threads.owner })
    .from(threads)
    .where(eq(threads.id, threadId));
  return row ?? null;
}

/** The events that give a thread to someone (see thread-lifecycle.ts), as recorded. */
const OWNING_EVENTS = ["thread.claim", "thread.hand_over_person", "thread.return_to_owner"];

/** When the thread's owner got it: their latest claim, hand-over to them or return to them. */
export async function ownedSince(
  executor: Executor,
  thread: { id: string; owner: string },
): Promise<Date | undefined> {
  const [row] = await executor
    .select({ at: threadEvents.at })
    .from(threadEvents)
    .where(
      and(
        eq(threadEvents.threadId, thread.id),
        inArray(threadEvents.kind, OWNING_EVENTS),
        sql`${threadEvents.details}->>'owner' = ${thread.owner}`,
      ),
    )
    .orderBy(desc(threadEvents.id))
    .limit(1);
  return row?.at;
}

/** How many times the thread was handed to another department: a form compares it to notice moves. */
export async function countHandOvers(executor: Executor, threadId: string): Promise<number> {
  const [row] = await executor
    .select({ n: count() })
    .from(threadEvents)
    .where(and(eq(threadEvents.threadId, threadId), eq(threadEvents.kind, HAND_OVER_EVENT)));
  return row?.n ?? 0;
}

async function loadHandOvers(executor: Executor, threadId: string): Promise<DepartmentHandOver[]> {
  const rows = await executor
    .select({ at: threadEvents.at, details: threadEvents.details })
    .from(threadEvents)
    .where(and(eq(threadEvents.threadId, threadId), eq(threadEvents.kind, HAND_OVER_EVENT)))
    .orderBy(asc(threadEvents.id));
  return rows.flatMap(({ at, details }) => {
    const text = (key: string) => (typeof details[key] === "string" ? details[key] : undefined);
    const from = text("previousDepartment");
    const to = text("department");
    return from && to ? [{ at, from, to, by: text("by"), note: text("note") }] : [];
  });
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
