import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { Executor } from "./client.ts";
import {
  type ComplaintRow,
  complaints,
  kindRollupMessages,
  kindRollups,
  type ThreadRow,
  threads,
} from "./schema.ts";

const ROLLUPS_LOCK = "switchboard.rollups";

/**
 * Serialises claiming a roll-up with kind changes looking for the roll-ups that cover their
 * post, until the caller's transaction ends. A claim takes it alone, kind changes share it: a
 * change that found no roll-up (one being claimed was not committed yet) would otherwise commit
 * after another replica drew the new roll-up's page from the threads as they were, and nothing
 * would redraw it.
 */
export async function lockRollups(
  executor: Executor,
  mode: "claim" | "kind-change",
): Promise<void> {
  await executor.execute(
    mode === "claim"
      ? sql`SELECT pg_advisory_xact_lock(hashtext(${ROLLUPS_LOCK}))`
      : sql`SELECT pg_advisory_xact_lock_shared(hashtext(${ROLLUPS_LOCK}))`,
  );
}

/**
 * Claims one roll-up: a row for (channel, periodEnd). Returns its id, or null when another
 * replica already claimed it (call lockRollups first, in the same transaction). The period
 * starts where the channel's last roll-up ended (so a day the bot was down is covered by the
 * next roll-up), or `fallbackStart`.
 */
export async function claimRollup(
  executor: Executor,
  input: { channel: string; kinds: string[]; periodEnd: Date; fallbackStart: Date },
): Promise<{ id: number; periodStart: Date } | null> {
  const [last] = await executor
    .select({ periodEnd: kindRollups.periodEnd })
    .from(kindRollups)
    .where(and(eq(kindRollups.channel, input.channel), lt(kindRollups.periodEnd, input.periodEnd)))
    .orderBy(desc(kindRollups.periodEnd))
    .limit(1);
  const periodStart = last?.periodEnd ?? input.fallbackStart;
  const [row] = await executor
    .insert(kindRollups)
    .values({
      channel: input.channel,
      kinds: input.kinds,
      periodStart,
      periodEnd: input.periodEnd,
    })
    .onConflictDoNothing()
    .returning({ id: kindRollups.id });
  return row ? { id: row.id, periodStart } : null;
}

/** A claimed roll-up: its channel, kinds and period. */
export async function findRollup(executor: Executor, rollupId: number) {
  const [row] = await executor.select().from(kindRollups).where(eq(kindRollups.id, rollupId));
  return row;
}

/** Threads of `kinds` opened in [start, end): how many a roll-up of that period covers. */
export async function countRollupThreads(
  executor: Executor,
  kinds: string[],
  periodStart: Date,
  periodEnd: Date,
): Promise<number> {
  const [row] = await executor
    .select({ n: sql<number>`count(*)::int` })
    .from(threads)
    .where(
      and(
        inArray(threads.kind, kinds),
        gte(threads.openedAt, periodStart),
        lt(threads.openedAt, periodEnd),
      ),
    );
  return row?.n ?? 0;
}

/** A roll-up and what it lists: each thread with its opening post, newest first, and counts. */
export interface RollupContent {
  channel: string;
  kinds: string[];
  periodStart: Date;
  periodEnd: Date;
  /** Threads of the roll-up's kinds opened in the period, by kind and department. */
  counts: Array<{ kind: string; department: string; threads: number }>;
  /** One page of them: `limit` from `offset`, newest first. */
  items: Array<{ thread: ThreadRow; first: ComplaintRow }>;
}

/** Reads a roll-up's content as the threads are now (a post moved onto the desk is left out). */
export async function loadRollup(
  executor: Executor,
  rollupId: number,
  page: { limit: number; offset?: number },
): Promise<RollupContent | null> {
  const [rollup] = await executor.select().from(kindRollups).where(eq(kindRollups.id, rollupId));
  if (!rollup || rollup.kinds.length === 0) return null;
  const inPeriod = and(
    inArray(threads.kind, rollup.kinds),
    gte(threads.openedAt, rollup.periodStart),
    lt(threads.openedAt, rollup.periodEnd),
  );
  const counts = await executor
    .select({
      kind: threads.kind,
      department: threads.department,
      threads: sql<number>`count(*)::int`,
    })
    .from(threads)
    .where(inPeriod)
    .groupBy(threads.kind, threads.department)
    .orderBy(asc(threads.kind), asc(threads.department));
  const items = await executor
    .select({ thread: threads, first: complaints })
    .from(threads)
    .innerJoin(complaints, eq(complaints.id, threads.openingComplaintId))
    .where(inPeriod)
    .orderBy(desc(threads.openedAt), asc(threads.id))
    .limit(page.limit)
    .offset(page.offset ?? 0);
  return {
    channel: rollup.channel,
    kinds: rollup.kinds,
    periodStart: rollup.periodStart,
    periodEnd: rollup.periodEnd,
    counts,
    items,
  };
}

/** Where a roll-up page was posted, for redrawing it. */
export interface RollupMessage {
  rollupId: number;
  page: number;
  pages: number;
  daily: boolean;
  channel: string;
  ts: string;
}

/** Remembers a posted page; a page recorded twice (a retried delivery) keeps its first. */
export async function recordRollupMessage(
  executor: Executor,
  message: RollupMessage,
): Promise<void> {
  await executor.insert(kindRollupMessages).values(message).onConflictDoNothing();
}

/** A posted page of a roll-up, or undefined when it was not (yet) posted. */
export async function findRollupMessage(
  executor: Executor,
  rollupId: number,
  page: number,
): Promise<RollupMessage | undefined> {
  const [row] = await executor
    .select()
    .from(kindRollupMessages)
    .where(and(eq(kindRollupMessages.rollupId, rollupId), eq(kindRollupMessages.page, page)));
  return row;
}

/** The posted pages of a roll-up, in page order. */
export async function rollupMessagesOf(
  executor: Executor,
  rollupId: number,
): Promise<RollupMessage[]> {
  return executor
    .select()
    .from(kindRollupMessages)
    .where(eq(kindRollupMessages.rollupId, rollupId))
    .orderBy(asc(kindRollupMessages.page));
}

/**
 * Every roll-up whose period covers `openedAt`, posted yet or not: the ones that list, or
 * would list, a thread opened then (whatever its kind now: it may have just joined or left).
 */
export async function rollupsCovering(
  executor: Executor,
  openedAt: Date,
  /** Only roll-ups listing one of these kinds: the others never show the thread. */
  kinds: readonly string[],
): Promise<Array<{ id: number; channel: string }>> {
  return executor
    .select({ id: kindRollups.id, channel: kindRollups.channel })
    .from(kindRollups)
    .where(
      and(
        lte(kindRollups.periodStart, openedAt),
        gt(kindRollups.periodEnd, openedAt),
        sql`${kindRollups.kinds} ?| array[${sql.join(
          kinds.map((kind) => sql`${kind}`),
          sql`, `,
        )}]::text[]`,
      ),
    )
    .orderBy(asc(kindRollups.id));
}
