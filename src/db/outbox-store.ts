import { and, asc, count, desc, eq, inArray, isNotNull, notInArray, sql } from "drizzle-orm";
import type { DatabaseHandle, Executor } from "./client.ts";
import { compiled } from "./compiled-query.ts";
import { channelHolds, type OutboxRow, outbox } from "./schema.ts";

/** A Slack operation to deliver later; written inside the caller's transaction. */
export interface OutboxItem {
  kind: string;
  threadId?: string | null;
  channel?: string | null;
  payload: Record<string, unknown>;
  dedupeKey?: string | null;
  /** Deliver no earlier than this (e.g. a DM held until the person's working hours). */
  notBefore?: Date;
  /** Items sharing an order key go one at a time, in the order queued (see outbox.orderKey). */
  orderKey?: string | null;
}

/** Queues an item. With a dedupeKey, queueing the same key twice keeps one row. */
export async function enqueueOutbox(
  executor: Executor,
  item: OutboxItem,
  now: Date,
): Promise<void> {
  await insertOutbox(executor, {
    kind: item.kind,
    threadId: item.threadId ?? null,
    channel: item.channel ?? null,
    payload: item.payload,
    dedupeKey: item.dedupeKey ?? null,
    orderKey: item.orderKey ?? null,
    // The caller's clock, like every other time here: the 24-hour give-up and /healthz's
    // waiting time are measured from it.
    createdAt: now,
    nextAttemptAt: item.notBefore && item.notBefore > now ? item.notBefore : now,
  });
}

// Every Slack call is queued through here: its SQL is built once (compiled-query.ts).
const insertOutbox = compiled((db, p) =>
  db
    .insert(outbox)
    .values({
      kind: p("kind"),
      threadId: p("threadId"),
      channel: p("channel"),
      payload: p("payload"),
      dedupeKey: p("dedupeKey"),
      orderKey: p("orderKey"),
      createdAt: p("createdAt"),
      nextAttemptAt: p("nextAttemptAt"),
    })
    .onConflictDoNothing(),
);

/** Queues a card operation (post, update) whose only payload is the thread: rendered at delivery. */
export async function enqueueCardOp(
  executor: Executor,
  kind: string,
  threadId: string,
  channel: string | null,
  now: Date,
): Promise<void> {
  await enqueueOutbox(executor, { kind, threadId, channel, payload: { threadId } }, now);
}

export interface ClaimOptions {
  now: Date;
  workerId: string;
  leaseMs: number;
  /** Queues (channels, or single items without one) to take one item from. */
  limit: number;
  /**
   * Take over items whose lease ran out (their worker died, or is waiting for the database to
   * record what Slack accepted). The worker passes false until the database has answered it
   * for a while after an outage, so a live worker gets to record its item first.
   */
  reclaimExpired: boolean;
}

/**
 * Leases up to `limit` due items to this worker. SKIP LOCKED lets replicas claim in
 * parallel without waiting on each other; the lease keeps an item theirs while they call
 * Slack outside any transaction, and each item is locked by one claim only.
 *
 * Only the head of each queue can be taken: the oldest pending item of its thread (a reply
 * never overtakes its card), of its order key (a campaign's replies wait for its heads-up)
 * and of its channel. So each channel has one call in flight across all replicas, in order,
 * and after a 429 its head waits for Retry-After with everything behind it, on every
 * replica. The order is by id alone, whatever is due: a rule that let a later item pass one
 * not yet due would depend on each replica's clock.
 */
export async function claimDueOutbox(
  handle: DatabaseHandle,
  options: ClaimOptions,
): Promise<OutboxRow[]> {
  const { now, workerId, leaseMs, limit, reclaimExpired } = options;
  const at = now.toISOString();
  const leaseEnd = new Date(now.getTime() + leaseMs).toISOString();
  const reclaim = sql.raw(reclaimExpired ? "TRUE" : "FALSE");
  // Candidates are the head of each channel's queue (found by walking the channel index one
  // channel at a time: a cost of channels × log(backlog)) and items without a channel; the
  // rules below then pick among them exactly as they would among every pending item. Without
  // that first step the claim read the whole backlog to find its few heads: 2.3 s a claim with
  // 18,000 items queued in three channels (`npm run bench -- burst`).
  const rows = await handle.query<{ id: number | string }>(sql`
    UPDATE outbox SET locked_until = ${leaseEnd}, locked_by = ${workerId}, attempts = attempts + 1
    WHERE id IN (
      SELECT o.id FROM outbox o
      WHERE o.id IN (
          WITH RECURSIVE heads(channel, id) AS (
            (SELECT channel, id FROM outbox
             WHERE status = 'pending' AND channel IS NOT NULL ORDER BY channel, id LIMIT 1)
            UNION ALL
            SELECT n.channel, n.id FROM heads h CROSS JOIN LATERAL (
              SELECT channel, id FROM outbox
              WHERE status = 'pending' AND channel > h.channel ORDER BY channel, id LIMIT 1) n)
          SELECT id FROM heads
          UNION ALL
          SELECT id FROM outbox WHERE status = 'pending' AND channel IS NULL)
        AND o.status = 'pending'
        AND o.next_attempt_at <= ${at}
        AND (o.locked_until IS NULL OR (${reclaim} AND o.locked_until <= ${at}))
        AND (o.channel IS NULL OR NOT EXISTS (
          SELECT 1 FROM channel_holds h WHERE h.channel = o.channel AND h.until > ${at}))
        AND (o.thread_id IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox p
          WHERE p.thread_id = o.thread_id AND p.id < o.id AND p.status = 'pending'))
        AND (o.order_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox p
          WHERE p.order_key = o.order_key AND p.id < o.id AND p.status = 'pending'))
        AND (o.channel IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox p
          WHERE p.channel = o.channel AND p.id < o.id AND p.status = 'pending'))
      ORDER BY o.next_attempt_at, o.id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING id`);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => Number(r.id));
  const claimed = await handle.db
    .select()
    .from(outbox)
    .where(inArray(outbox.id, ids))
    .orderBy(asc(outbox.id));
  return claimed;
}

/**
 * Gives back the items leased to `workerId` that it is not delivering (all but `keep`), and
 * the attempt each claim counted: a claim whose answer the worker never received (the
 * database failed after committing it) leaves such leases behind. Returns how many.
 */
export async function releaseLostClaims(
  executor: Executor,
  workerId: string,
  keep: number[],
): Promise<number> {
  const rows = await executor
    .update(outbox)
    .set({ lockedUntil: null, attempts: sql`${outbox.attempts} - 1` })
    .where(
      and(
        eq(outbox.status, "pending"),
        eq(outbox.lockedBy, workerId),
        isNotNull(outbox.lockedUntil),
        keep.length > 0 ? notInArray(outbox.id, keep) : undefined,
      ),
    )
    .returning({ id: outbox.id });
  return rows.length;
}

/** Only the worker holding the lease may settle an item: a late worker changes nothing. */
function heldBy(id: number, workerId: string) {
  return and(eq(outbox.id, id), eq(outbox.lockedBy, workerId), eq(outbox.status, "pending"));
}

/**
 * Marks an item delivered; false when it is no longer this worker's (its lease was taken
 * over), so the caller can roll back what it recorded. `note` keeps why a delivery was
 * marked without its record.
 */
export async function markOutboxDelivered(
  executor: Executor,
  id: number,
  workerId: string,
  now: Date,
  note: string | null = null,
): Promise<boolean> {
  const rows = await executor
    .update(outbox)
    .set({ status: "delivered", deliveredAt: now, lockedUntil: null, lastError: note })
    .where(heldBy(id, workerId))
    .returning({ id: outbox.id });
  return rows.length > 0;
}

/** An item's status and the worker that last held it (to tell an earlier own commit apart). */
export async function readOutboxOwner(executor: Executor, id: number) {
  const [row] = await executor
    .select({ status: outbox.status, lockedBy: outbox.lockedBy })
    .from(outbox)
    .where(eq(outbox.id, id));
  return row ?? null;
}

/** Keeps an item this worker's for `leaseMs` more (while it retries recording a delivery). */
export async function extendOutboxLease(
  executor: Executor,
  id: number,
  workerId: string,
  until: Date,
  note: string,
) {
  await executor
    .update(outbox)
    .set({ lockedUntil: until, lastError: note })
    .where(heldBy(id, workerId));
}

/** Marks an item this worker holds failed for good; false when its lease was lost meanwhile. */
export async function markOutboxFailed(
  executor: Executor,
  id: number,
  workerId: string,
  error: string,
): Promise<boolean> {
  const marked = await executor
    .update(outbox)
    .set({ status: "failed", lockedUntil: null, lastError: error })
    .where(heldBy(id, workerId))
    .returning({ id: outbox.id });
  return marked.length > 0;
}

/** Puts an item back in the queue until `at`; `refund` gives back the attempt (rate limits). */
export async function rescheduleOutbox(
  executor: Executor,
  id: number,
  workerId: string,
  at: Date,
  error: string,
  refund = false,
) {
  await executor
    .update(outbox)
    .set({
      nextAttemptAt: at,
      lockedUntil: null,
      lastError: error,
      ...(refund ? { attempts: sql`${outbox.attempts} - 1` } : {}),
    })
    .where(heldBy(id, workerId));
}

/** After a 429 for a channel, holds back every item for it until `until`, on every replica. */
export async function holdChannel(executor: Executor, channel: string, until: Date) {
  await executor
    .insert(channelHolds)
    .values({ channel, until })
    .onConflictDoUpdate({
      target: channelHolds.channel,
      set: { until: sql`greatest(${channelHolds.until}, excluded.until)` },
    });
}

/** Until when a channel (or a Slack method, "method:<name>") is held; null when it is not. */
export async function readHold(executor: Executor, channel: string): Promise<Date | null> {
  const [row] = await executor
    .select({ until: channelHolds.until })
    .from(channelHolds)
    .where(eq(channelHolds.channel, channel));
  return row?.until ?? null;
}

export interface OutboxHealth {
  pending: number;
  /** Since when the longest-waiting due item has waited; null when nothing due is waiting. */
  oldestPendingAt: Date | null;
  failed: number;
  recentFailures: Array<{
    id: number;
    kind: string;
    channel: string | null;
    error: string | null;
    at: Date;
  }>;
}

/**
 * When a pending item started waiting for delivery: when it became due if it was never
 * tried (a DM held until working hours is not late before then), else when it was queued.
 */
const waitingSince = sql<Date>`CASE WHEN ${outbox.attempts} = 0
  THEN greatest(${outbox.createdAt}, ${outbox.nextAttemptAt}) ELSE ${outbox.createdAt} END`;

/** Queue depth, the longest wait among due items, and permanent failures, for /healthz. */
export async function readOutboxHealth(executor: Executor, now: Date): Promise<OutboxHealth> {
  const [pending] = await executor
    .select({ n: count() })
    .from(outbox)
    .where(eq(outbox.status, "pending"));
  const [waiting] = await executor
    .select({ oldest: sql<string | Date | null>`min(${waitingSince})` })
    .from(outbox)
    .where(and(eq(outbox.status, "pending"), sql`${waitingSince} <= ${now.toISOString()}`));
  const [failed] = await executor
    .select({ n: count() })
    .from(outbox)
    .where(eq(outbox.status, "failed"));
  const recent = await executor
    .select()
    .from(outbox)
    .where(eq(outbox.status, "failed"))
    .orderBy(desc(outbox.id))
    .limit(5);
  return {
    pending: pending?.n ?? 0,
    oldestPendingAt: waiting?.oldest ? new Date(waiting.oldest) : null,
    failed: failed?.n ?? 0,
    recentFailures: recent.map((r) => ({
      id: r.id,
      kind: r.kind,
      channel: r.channel,
      error: r.lastError,
      at: r.createdAt,
    })),
  };
}
