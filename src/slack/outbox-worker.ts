import { randomUUID } from "node:crypto";
import type { DatabaseHandle, Transaction } from "../db/client.ts";
import {
  claimDueOutbox,
  holdChannel,
  markOutboxDelivered,
  markOutboxFailed,
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
  batchSize?: number;
  /** First retry delay after a transient failure; it doubles each attempt up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Transient failures are retried until the item is this old, then it is marked failed. */
  giveUpAfterMs?: number;
}

const DEFAULTS = {
  pollMs: 500,
  leaseMs: 60_000,
  batchSize: 20,
  baseBackoffMs: 1_000,
  maxBackoffMs: 5 * 60_000,
  giveUpAfterMs: 24 * 60 * 60_000,
};

/**
 * Takes due Slack operations from the outbox and delivers them. Several replicas may run
 * one each: the database lease makes every item go to one worker at a time.
 */
export class OutboxWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly o: Required<OutboxWorkerOptions>;
  private running = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(options: OutboxWorkerOptions) {
    this.o = { ...DEFAULTS, ...options } as Required<OutboxWorkerOptions>;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.runLoop();
  }

  /** Something was queued: look now rather than at the next poll. */
  kick(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /**
   * Claims one batch of due items and delivers them; returns how many it handled. Channels
   * are served in parallel, each channel's items in order, so one slow or rate-limited
   * channel does not hold up the others (Slack limits posting per channel).
   */
  async runOnce(): Promise<number> {
    const items = await claimDueOutbox(this.o.db, {
      now: this.o.clock.now(),
      workerId: this.id,
      leaseMs: this.o.leaseMs,
      limit: this.o.batchSize,
    });
    const byChannel = new Map<string, OutboxRow[]>();
    for (const item of items) {
      const key = item.channel ?? `item:${item.id}`;
      byChannel.set(key, [...(byChannel.get(key) ?? []), item]);
    }
    await Promise.all(
      [...byChannel.values()].map(async (queue) => {
        let heldUntil: Date | null = null;
        for (const item of queue) heldUntil = await this.deliverUnlessHeld(item, heldUntil);
      }),
    );
    return items.length;
  }

  /**
   * After a 429 the rest of that channel's claimed items are put back untried, with their
   * attempt given back, instead of each earning its own 429.
   */
  private async deliverUnlessHeld(item: OutboxRow, heldUntil: Date | null): Promise<Date | null> {
    if (heldUntil) {
      await rescheduleOutbox(this.o.db.db, item.id, this.id, heldUntil, "ratelimited", true);
      return heldUntil;
    }
    return this.deliver(item);
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (error) {
        this.o.logger.error("outbox.loop_failed", { error });
      }
      if (handled === 0 && this.running) await this.sleep(this.o.pollMs);
    }
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

  /** Delivers one item; returns the instant its channel is held until when Slack said 429. */
  private async deliver(item: OutboxRow): Promise<Date | null> {
    const handler = this.o.handlers[item.kind];
    try {
      if (!handler) throw new PermanentDeliveryError(`no delivery handler for kind ${item.kind}`);
      const record = await handler(item);
      const now = this.o.clock.now();
      await this.o.db.db.transaction(async (tx) => {
        await record?.(tx);
        await markOutboxDelivered(tx, item.id, this.id, now);
      });
      this.o.logger.debug("outbox.delivered", { id: item.id, kind: item.kind });
      return null;
    } catch (error) {
      return this.settleFailure(item, error);
    }
  }

  private async settleFailure(item: OutboxRow, error: unknown): Promise<Date | null> {
    const failure = classifySlackError(error);
    const now = this.o.clock.now();
    const { db, logger } = this.o;
    if (failure.type === "rate_limited") {
      const until = new Date(now.getTime() + failure.retryAfterMs);
      await rescheduleOutbox(db.db, item.id, this.id, until, failure.error, true);
      if (item.channel) await holdChannel(db.db, item.channel, until);
      logger.warn("outbox.rate_limited", {
        id: item.id,
        channel: item.channel,
        retryAfterMs: failure.retryAfterMs,
      });
      return until;
    }
    const age = now.getTime() - item.createdAt.getTime();
    if (failure.type === "permanent" || age >= this.o.giveUpAfterMs) {
      const reason =
        failure.type === "permanent"
          ? failure.error
          : `gave up after ${item.attempts} attempts: ${failure.error}`;
      await markOutboxFailed(db.db, item.id, this.id, reason);
      logger.error("outbox.failed", {
        id: item.id,
        kind: item.kind,
        channel: item.channel,
        error: reason,
      });
      return null;
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
    return null;
  }
}
