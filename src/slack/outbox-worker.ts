import { randomUUID } from "node:crypto";
import { isDatabaseUnavailable } from "../db/availability.ts";
import type { DatabaseHandle, Transaction } from "../db/client.ts";
import {
  claimDueOutbox,
  extendOutboxLease,
  holdChannel,
  markOutboxDelivered,
  markOutboxFailed,
  readOutboxOwner,
  releaseLostClaims,
  rescheduleOutbox,
} from "../db/outbox-store.ts";
import type { OutboxRow } from "../db/schema.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../services/context.ts";
import { classifySlackError, PermanentDeliveryError } from "./slack-errors.ts";

/**
 * Delivers one queued item to Slack. It returns what to record about the result; that
 * runs in the same transaction that marks the item delivered.
 */
export type DeliveryHandler = (
  item: OutboxRow,
) => Promise<((tx: Transaction) => Promise<void>) | undefined>;

export interface OutboxWorkerOptions {
  db: DatabaseHandle;
  handlers: Record<string, DeliveryHandler>;
  clock: Clock;
  logger: Logger;
  /** How often to look for due items when nothing woke the worker. */
  pollMs?: number;
  /** How long a claimed item stays this worker's; longer than any Slack call may take. */
  leaseMs?: number;
  /** Channels (queues) served per claim, one item each. */
  batchSize?: number;
  /** First retry delay after a transient failure; it doubles each attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Transient failures are retried until the item is this old, then it is marked failed. */
  giveUpAfterMs?: number;
  /** First wait before recording again what Slack accepted; doubles up to maxRecordBackoffMs. */
  baseRecordBackoffMs?: number;
  maxRecordBackoffMs?: number;
  /**
   * Tries at recording a delivery that fail for a reason other than the database being
   * unavailable (e.g. a constraint): after these the item is marked delivered without it.
   */
  recordAttempts?: number;
  /**
   * After the database comes back, how long this worker leaves items whose lease ran out
   * alone: their worker may be alive and about to record what Slack accepted.
   */
  recoveryGraceMs?: number;
  /**
   * Once Slack has answered 429 for a channel, each delivery to it holds the channel this
   * long (Slack: about one message a second per channel), for paceMemoryMs after the last 429.
   */
  channelPaceMs?: number;
  paceMemoryMs?: number;
  /** Kinds whose delivery posts nothing (chat.update): Slack's per-channel pace is for posts. */
  unpacedKinds?: ReadonlySet<string>;
  /**
   * Runs in the transaction that marks an item failed for good: what else should know (the
   * admins' Homes list failures; the Slack setup problem `error` names). Not for rate limits
   * or retries, only the final failure.
   */
  onFailedForGood?: (tx: Transaction, item: OutboxRow, error: unknown) => Promise<void>;
}

const DEFAULTS = {
  pollMs: 500,
  leaseMs: 60_000,
  batchSize: 20,
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
  baseRecordBackoffMs: 100,
  maxRecordBackoffMs: 2_000,
  recordAttempts: 5,
  recoveryGraceMs: 10_000,
  channelPaceMs: 1_000,
  paceMemoryMs: 5 * 60_000,
  unpacedKinds: new Set<string>(),
  onFailedForGood: async () => {},
};

type Recorder = Awaited<ReturnType<DeliveryHandler>>;

/**
 * Takes due Slack operations from the outbox and delivers them. Several replicas may run
 * one each: the database lease makes every item go to one worker at a time.
 */
export class OutboxWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly o: Required<OutboxWorkerOptions>;
  private running = false;
  /** stop() is under way: a record that keeps failing gets one more try, then is abandoned. */
  private stopping = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  /** Since when the database has answered this worker's claims without failing. */
  private healthySince: number | null = null;
  /**
   * A claim or a settle failed: it may have committed all the same, or not at all, leaving
   * items leased to this worker that it no longer works on.
   */
  private claimInDoubt = false;
  /** Items this worker is delivering now (a lease it must keep). */
  private readonly inFlight = new Set<number>();
  /**
   * Channels Slack rate-limited lately, and until when to pace them. Without pacing, a busy
   * channel's every other call is a 429 (the worker learns the pace only from refusals), and
   * each refused call still counts against Slack's per-minute limit for the workspace:
   * `npm run bench -- delivery` delivered about half of what the limits allow.
   */
  private readonly paced = new Map<string, number>();
  /** When the holds this worker set end: it wakes then rather than at the next poll. */
  private holdEnds: number[] = [];

  constructor(options: OutboxWorkerOptions) {
    this.o = { ...DEFAULTS, ...options } as Required<OutboxWorkerOptions>;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.loop = this.runLoop();
  }

  /** Something was queued: look now rather than at the next poll. */
  kick(): void {
    this.wake?.();
  }

  /** Stops the loop once what Slack already has is recorded; runOnce() still works after. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    this.kick();
    await this.loop;
    this.stopping = false;
  }

  /**
   * Claims one batch of due items and delivers them; returns how many it handled. A batch
   * holds at most one item per channel and per thread (see claimDueOutbox), so they go out
   * in parallel: one slow or rate-limited channel does not hold up the others.
   */
  async runOnce(): Promise<number> {
    const now = this.o.clock.now();
    let items: OutboxRow[];
    try {
      if (this.claimInDoubt) {
        // Its answer was lost (the database failed after committing it): those items are
        // leased to this worker, which never saw them. Give them back rather than leave
        // their channels waiting for the lease to run out.
        const released = await releaseLostClaims(this.o.db.db, this.id, [...this.inFlight]);
        if (released > 0) this.o.logger.warn("outbox.lost_claim_released", { items: released });
        this.claimInDoubt = false;
      }
      items = await claimDueOutbox(this.o.db, {
        now,
        workerId: this.id,
        leaseMs: this.o.leaseMs,
        limit: this.o.batchSize,
        reclaimExpired:
          this.healthySince !== null && now.getTime() - this.healthySince >= this.o.recoveryGraceMs,
      });
    } catch (error) {
      this.healthySince = null;
      this.claimInDoubt = true;
      throw error;
    }
    this.healthySince ??= now.getTime();
    const outcomes = await Promise.allSettled(items.map((item) => this.deliver(item)));
    const failed = outcomes.find((o) => o.status === "rejected");
    if (failed) {
      // Settling it failed (the database went away): its lease may be left behind too.
      this.claimInDoubt = true;
      throw failed.reason;
    }
    return items.length;
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (error) {
        this.o.logger.error("outbox.loop_failed", { error });
      }
      if (handled === 0 && this.running) await this.sleep(this.idleMs());
    }
  }

  /** Until the next poll, or until a channel this worker held is free again if sooner. */
  private idleMs(): number {
    const now = this.o.clock.now().getTime();
    this.holdEnds = this.holdEnds.filter((at) => at > now);
    if (this.holdEnds.length === 0) return this.o.pollMs;
    return Math.max(1, Math.min(this.o.pollMs, Math.min(...this.holdEnds) - now + 1));
  }

  private noteHold(until: Date): void {
    const now = this.o.clock.now().getTime();
    if (this.holdEnds.length >= 256) this.holdEnds = this.holdEnds.filter((at) => at > now);
    this.holdEnds.push(until.getTime());
  }

  /** Whether to space this channel's next call: Slack refused one for it lately. */
  private pacing(item: OutboxRow, now: Date): boolean {
    const { channel } = item;
    if (channel === null || this.o.unpacedKinds.has(item.kind)) return false;
    const until = this.paced.get(channel);
    if (until === undefined) return false;
    if (until > now.getTime()) return true;
    this.paced.delete(channel);
    return false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Delivers one item and records the outcome. */
  private async deliver(item: OutboxRow): Promise<void> {
    this.inFlight.add(item.id);
    try {
      await this.deliverOnce(item);
    } finally {
      this.inFlight.delete(item.id);
    }
  }

  private async deliverOnce(item: OutboxRow): Promise<void> {
    const handler = this.o.handlers[item.kind];
    let record: Recorder;
    try {
      if (!handler) throw new PermanentDeliveryError(`no delivery handler for kind ${item.kind}`);
      record = await handler(item);
    } catch (error) {
      await this.settleFailure(item, error);
      return;
    }
    await this.recordDelivery(item, record);
  }

  /**
   * Slack has accepted the call: from here on the item must never be sent again by this
   * process. Recording it is retried, in memory, until the database takes it, and the
   * lease is extended meanwhile so no other replica takes the item over. Only if this
   * process dies before the record lands can the item be sent a second time.
   */
  private async recordDelivery(item: OutboxRow, record: Recorder): Promise<void> {
    const { db, logger } = this.o;
    let refusals = 0;
    for (let attempt = 1; ; attempt += 1) {
      const giveUpRecord = refusals >= this.o.recordAttempts;
      try {
        const outcome = await db.db.transaction(async (tx) => {
          const note = giveUpRecord ? "delivered; recording its Slack ts failed" : null;
          const now = this.o.clock.now();
          if (await markOutboxDelivered(tx, item.id, this.id, now, note)) {
            if (!giveUpRecord) await record?.(tx);
            if (item.channel !== null && this.pacing(item, now)) {
              const until = new Date(now.getTime() + this.o.channelPaceMs);
              await holdChannel(tx, item.channel, until);
              this.noteHold(until);
            }
            return giveUpRecord ? "without_details" : "recorded";
          }
          // An earlier try committed, but its answer was lost with the connection.
          const row = await readOutboxOwner(tx, item.id);
          if (row?.status === "delivered" && row.lockedBy === this.id) return "recorded";
          throw new LeaseLost();
        });
        if (outcome === "without_details")
          logger.error("outbox.recorded_without_details", { id: item.id });
        else logger.debug("outbox.delivered", { id: item.id, kind: item.kind });
        return;
      } catch (error) {
        if (error instanceof LeaseLost) {
          logger.error("outbox.lease_lost", { id: item.id, kind: item.kind });
          return;
        }
        if (!isDatabaseUnavailable(error)) refusals += 1;
        if (this.stopping && attempt > 1) {
          logger.error("outbox.record_abandoned", { id: item.id, kind: item.kind, error });
          return;
        }
        logger.warn("outbox.record_retry", { id: item.id, kind: item.kind, attempt, error });
        await this.extendLease(item, error);
        // Well inside the lease, so each retry extends it before it can run out.
        const delay = Math.min(
          this.o.maxRecordBackoffMs,
          this.o.leaseMs / 4,
          this.o.baseRecordBackoffMs * 2 ** (attempt - 1),
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async extendLease(item: OutboxRow, error: unknown): Promise<void> {
    const until = new Date(this.o.clock.now().getTime() + this.o.leaseMs);
    const reason = error instanceof Error ? error.message : String(error);
    await extendOutboxLease(
      this.o.db.db,
      item.id,
      this.id,
      until,
      `sent; recording it: ${reason}`.slice(0, 500),
    ).catch(() => {}); // the database is likely down too: the next attempt tries again
  }

  private async settleFailure(item: OutboxRow, error: unknown): Promise<void> {
    const failure = classifySlackError(error);
    const now = this.o.clock.now();
    const { db, logger } = this.o;
    if (failure.type === "rate_limited") {
      const until = new Date(now.getTime() + failure.retryAfterMs);
      // One transaction: no replica may see the item due again without the hold.
      await db.db.transaction(async (tx) => {
        await rescheduleOutbox(tx, item.id, this.id, until, failure.error, true);
        if (item.channel) await holdChannel(tx, item.channel, until);
      });
      if (item.channel) this.paced.set(item.channel, now.getTime() + this.o.paceMemoryMs);
      this.noteHold(until);
      logger.warn("outbox.rate_limited", {
        id: item.id,
        channel: item.channel,
        retryAfterMs: failure.retryAfterMs,
      });
      return;
    }
    const age = now.getTime() - item.createdAt.getTime();
    if (failure.type === "permanent" || age >= this.o.giveUpAfterMs) {
      const reason =
        failure.type === "permanent"
          ? failure.error
          : `gave up after ${item.attempts} attempts: ${failure.error}`;
      await db.db.transaction(async (tx) => {
        if (!(await markOutboxFailed(tx, item.id, this.id, reason))) return;
        if (error instanceof PermanentDeliveryError) await error.record?.(tx);
        // In a savepoint: if telling the Homes fails, the item is still failed for good, once,
        // rather than rolled back and retried against Slack on every poll.
        await tx
          .transaction((savepoint) => this.o.onFailedForGood(savepoint, item, error))
          .catch((hookError: unknown) => {
            logger.warn("outbox.failed_hook_error", {
              id: item.id,
              error: hookError instanceof Error ? hookError.message : String(hookError),
            });
          });
      });
      logger.error("outbox.failed", {
        id: item.id,
        kind: item.kind,
        channel: item.channel,
        error: reason,
      });
      return;
    }
    const delay = Math.min(
      this.o.maxBackoffMs,
      this.o.baseBackoffMs * 2 ** Math.max(0, item.attempts - 1),
    );
    // Jitter spreads replicas' retries so they do not hit a recovering Slack together.
    const at = new Date(now.getTime() + delay * (0.5 + Math.random() / 2));
    await rescheduleOutbox(db.db, item.id, this.id, at, failure.error);
    logger.warn("outbox.retry", {
      id: item.id,
      kind: item.kind,
      attempt: item.attempts,
      error: failure.error,
    });
  }
}

/** The item was taken over by another worker while this one retried recording it. */
class LeaseLost extends Error {}
