import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Executive, WorkspaceConfig } from "../config/workspace-types.ts";
import type { Executor, Transaction } from "../db/client.ts";
import { enqueueOutbox } from "../db/outbox-store.ts";
import { digests, timers } from "../db/schema.ts";
import {
  addTimer,
  fireDueTimers,
  type PlannedStep,
  pendingTimers,
  syncTimers,
} from "../db/timer-store.ts";
import {
  nextDigestSlot,
  parseDigestSchedule,
  previousDigestSlot,
  sameTimeDayBefore,
} from "../domain/digest-schedule.ts";
import type { ServiceContext } from "./context.ts";
import { OUTBOX_KINDS_DIGESTS } from "./digest-outbox-kinds.ts";
import type { TimerSubjectHandler } from "./timer-subjects.ts";

/** The subject type of digest schedules: one subject per executive (their Slack user id). */
export const DIGEST_TIMERS = "digest";

/** Payload of a digest outbox item: the digest row, rendered at delivery. */
export interface DigestDelivery {
  digestId: number;
  user: string;
}

const subjectOf = (user: string) => ({ type: DIGEST_TIMERS, id: user });

/** The next slot of an executive's schedule after `after`, as a timer; null without a schedule. */
export function nextDigestStep(executive: Executive, after: Date): PlannedStep | null {
  if (!executive.digest) return null;
  const parsed = parseDigestSchedule(executive.digest);
  if ("problem" in parsed) return null;
  const slot = nextDigestSlot(parsed.schedule, after, executive.timezone);
  if (!slot) return null;
  return {
    key: slot.toISOString(),
    step: "send",
    target: executive.user,
    fireAt: slot,
    payload: { schedule: executive.digest, timezone: executive.timezone },
  };
}

/**
 * At start: every executive with a digest gets a pending timer for their next slot. A
 * pending timer that is already overdue (the bot was down at its slot) is kept, so it fires
 * once on the next sweep, however many slots were missed; one for a schedule that changed
 * since is replaced. Executives no longer configured lose their pending timers. Two
 * processes doing this at once agree: the slot's instant is the timer's key.
 */
export async function ensureDigestSchedules(
  ctx: ServiceContext,
  config: WorkspaceConfig,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.db.transaction(async (tx) => {
    for (const executive of config.executives) {
      const subject = subjectOf(executive.user);
      const pending = await pendingTimers(tx, subject);
      if (pending.some((t) => t.fireAt.getTime() <= now.getTime())) continue;
      const next = nextDigestStep(executive, now);
      const current = pending.find((t) => t.key === next?.key);
      if (current && pending.length === 1) continue;
      await syncTimers(tx, subject, next ? [next] : []);
    }
    const configured = new Set(config.executives.map((e) => e.user));
    const stale = await tx
      .selectDistinct({ id: timers.subjectId })
      .from(timers)
      .where(and(eq(timers.subjectType, DIGEST_TIMERS), eq(timers.status, "pending")));
    for (const { id } of stale) {
      if (!configured.has(id)) await syncTimers(tx, subjectOf(id), []);
    }
  });
  ctx.logger.info("digests.scheduled", {
    executives: config.executives.filter((e) => e.digest).length,
  });
}

/**
 * Fires an executive's due digest: queues one digest for the period since their last one
 * (however many slots were missed), then plans the next slot after now. The timer rows are
 * locked SKIP LOCKED: a replica firing the same executive is not waited on, and the rows it
 * marked fired are not due any more.
 */
export function digestTimerHandler(
  ctx: ServiceContext,
  config: WorkspaceConfig,
): TimerSubjectHandler {
  return {
    fire: async (tx, user, now) => {
      const executive = config.executives.find((e) => e.user === user);
      const fired = await fireDueTimers(
        tx,
        subjectOf(user),
        now,
        async (due) => {
          const last = due.at(-1);
          if (!executive?.digest || !last) return;
          // A first digest covers the period before its (earliest missed) slot, and the outage after it.
          const since = firstPeriodStart(executive, (due[0] ?? last).fireAt);
          await queueDigest(tx, executive, { reason: "scheduled", slot: last.key, now, since });
          ctx.logger.info("digest.due", { user, slot: last.key, missed: due.length - 1 });
        },
        { skipLocked: true },
      );
      if (fired === 0) return 0;
      const next = executive ? nextDigestStep(executive, now) : null;
      if (next) await addTimer(tx, subjectOf(user), next);
      return fired;
    },
  };
}

/**
 * Where an executive's first scheduled digest starts: the slot of their schedule before it,
 * as if a digest had been sent then (a daily one covers the local day before, a weekly one
 * the week before: 23, 25, 167 or 169 hours across a daylight-saving change).
 */
function firstPeriodStart(executive: Executive, slot: Date): Date {
  const parsed = parseDigestSchedule(executive.digest ?? "");
  const previous =
    "schedule" in parsed ? previousDigestSlot(parsed.schedule, slot, executive.timezone) : null;
  return previous ?? sameTimeDayBefore(slot, executive.timezone);
}

/**
 * Records a digest for `executive` covering the time since their last scheduled digest (or
 * `since`, or the same local time the day before, in their zone) up to `now`, and queues its
 * delivery. Returns the digest's id.
 */
export async function queueDigest(
  tx: Transaction,
  executive: Pick<Executive, "user" | "timezone" | "departments">,
  options: { reason: "scheduled" | "on_demand"; slot?: string; now: Date; since?: Date },
): Promise<number | null> {
  const { now } = options;
  const dayBefore = sameTimeDayBefore(now, executive.timezone);
  const from = (await lastScheduledDigestEnd(tx, executive.user)) ?? options.since ?? dayBefore;
  const [row] = await tx
    .insert(digests)
    .values({
      executive: executive.user,
      reason: options.reason,
      slot: options.slot ?? null,
      periodFrom: from < now ? from : dayBefore,
      periodTo: now,
      departments: executive.departments ?? null,
      timezone: executive.timezone,
    })
    .onConflictDoNothing()
    .returning({ id: digests.id });
  if (!row) return null;
  await enqueueOutbox(
    tx,
    {
      kind: OUTBOX_KINDS_DIGESTS.sendDigest,
      channel: executive.user,
      payload: { digestId: row.id, user: executive.user } satisfies DigestDelivery,
      dedupeKey: `digest:${row.id}`,
    },
    now,
  );
  return row.id;
}

/** Where the executive's last scheduled digest ended; on-demand digests do not move it. */
async function lastScheduledDigestEnd(executor: Executor, user: string): Promise<Date | null> {
  const [row] = await executor
    .select({ to: digests.periodTo })
    .from(digests)
    .where(
      and(eq(digests.executive, user), eq(digests.reason, "scheduled"), isNotNull(digests.slot)),
    )
    .orderBy(desc(digests.periodTo))
    .limit(1);
  return row?.to ?? null;
}
