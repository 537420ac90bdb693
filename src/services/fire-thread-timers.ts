import { eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks, encodeClocks } from "../db/clock-codec.ts";
import { enqueueOutbox, type OutboxItem } from "../db/outbox-store.ts";
import { slaBreaches, type ThreadRow, type TimerRow, threadEvents, threads } from "../db/schema.ts";
import { fireDueTimers } from "../db/timer-store.ts";
import { deferToWorkingHours } from "../domain/escalation-plan.ts";
import { dueAt, recordBreaches } from "../domain/sla-clock.ts";
import { queueCardUpdate } from "./card-updates.ts";
import type { ServiceContext } from "./context.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";
import { refreshHomesAbout } from "./refresh-homes.ts";
import type { TimerSubjectHandler } from "./timer-subjects.ts";
import { calendarOf, departmentOf, personCalendar } from "./workspace-lookups.ts";

/** The subject type of a thread's SLA timers. */
export const THREAD_TIMERS = "thread";

/** One nudge message to deliver; the delivery renders it with the thread as it is then. */
export type NudgePayload = {
  threadId: string;
  timerKey: string;
  step: "warning" | "breach" | "escalation";
  clockKind: string;
  /** The clock's start, so a nudge for an earlier run of a restarted clock is dropped. */
  clockStartedAt: string;
  dueAt: string;
  /** thread: reply under the card; broadcast: that, also shown in the channel; dm; channel: a post in `channel`. */
  via: "thread" | "broadcast" | "dm" | "channel";
  user?: string;
  channel?: string;
  /** Slack mentions to put in the text: user ids, or "here" / "subteam^S…". */
  mention: string[];
  /** The department whose people it was addressed to; absent in nudges queued before this was kept. */
  department?: string;
};

const CLOSED = new Set(["resolved", "dismissed"]);
/** A warning this late, with its breach due too, was missed while no bot ran: it is not sent. */
const STALE_WARNING_MS = 60_000;

/**
 * A thread's warnings, breach notices and escalations: queues each message through the
 * outbox, records breaches and refreshes the card. The thread row is locked first, as every
 * state change does, so a sweep and a click never deadlock.
 */
export function threadTimerHandler(
  ctx: ServiceContext,
  config: WorkspaceConfig,
): TimerSubjectHandler {
  return { fire: (tx, threadId, now) => fireThreadTimers(ctx, config, tx, threadId, now) };
}

async function fireThreadTimers(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  threadId: string,
  now: Date,
): Promise<number> {
  const [thread] = await tx
    .select()
    .from(threads)
    .where(eq(threads.id, threadId))
    .for("update", { skipLocked: true });
  if (!thread) return 0;
  return fireDueTimers(tx, { type: THREAD_TIMERS, id: threadId }, now, async (due) => {
    if (CLOSED.has(thread.state)) return;
    // A warning long overdue (no bot ran) and due in the same sweep as its clock's breach
    // would only say "breached just now" a moment before the breach notice does.
    const breached = new Set(due.filter((t) => t.step === "breach").map((t) => t.clockKind));
    const stale = (t: TimerRow) =>
      t.step === "warning" &&
      breached.has(t.clockKind) &&
      now.getTime() - t.fireAt.getTime() > STALE_WARNING_MS;
    for (const timer of due) {
      if (!stale(timer)) await fireTimer(ctx, config, tx, thread, timer, now);
    }
    if (due.some((t) => t.step === "breach")) await recordBreach(ctx, config, tx, thread, due, now);
    // Re-render the card so its due line ("in 12 min", "overdue by 5 min") is current.
    const channel = departmentOf(config, thread.department)?.channel ?? null;
    await queueCardUpdate(tx, thread, channel, now);
    // Homes show threads at risk and today's breaches.
    await refreshHomesAbout(
      tx,
      config,
      { departments: [thread.department], users: [thread.owner] },
      now,
    );
  });
}

async function fireTimer(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  timer: TimerRow,
  now: Date,
): Promise<void> {
  const sending = { dedupe: `timer:${timer.id}` };
  if (!(await queueTimerMessages(config, tx, thread, timer, now, sending))) return;
  ctx.logger.info("timer.fired", {
    threadId: thread.id,
    step: timer.step,
    clock: timer.clockKind,
    target: timer.target,
  });
}

/** How a step is sent: once when it fires, or again after it was dropped while paused. */
export interface TimerSending {
  /** Names this sending, so that sending a step again is a new message. */
  dedupe: string;
  /** Sent again after it was held while the thread waited on the customer (the log says so). */
  resent?: boolean;
  /** Only the messages with these recipient tags (see `recipientTag`); absent: all of them. */
  only?: readonly string[];
}

/** Which of a step's messages a nudge is: "thread", "broadcast", "channel" or "dm:U…". */
export function recipientTag(p: Pick<NudgePayload, "via" | "user">): string {
  return p.via === "dm" ? `dm:${p.user}` : p.via;
}

/**
 * Queues the messages a timer step sends, with what the thread's clock says now, and records
 * the step in the thread's log; false when the thread no longer has that clock.
 */
export async function queueTimerMessages(
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  timer: TimerRow,
  now: Date,
  sending: TimerSending,
): Promise<boolean> {
  const { dedupe, resent, only } = sending;
  const clock = decodeClocks(thread.clocks).find((c) => c.kind === timer.clockKind);
  if (!clock) return false;
  const base = {
    threadId: thread.id,
    timerKey: timer.key,
    step: timer.step as NudgePayload["step"],
    clockKind: clock.kind,
    clockStartedAt: clock.startedAt.toISOString(),
    dueAt: (dueAt(clock, calendarOf(config, thread.department)) ?? timer.fireAt).toISOString(),
    department: thread.department,
  };
  // Numbered among all the step's messages, so that two re-sends of different ones at the
  // same instant (the note under the card, then a DM dropped a moment later) are both sent.
  const items = recipients(config, thread, timer, base)
    .map((item, i) => ({ ...item, dedupeKey: `${dedupe}:${i}` }))
    .filter((item) => !only || only.includes(recipientTag(item.payload as NudgePayload)));
  for (const item of items) await enqueueOutbox(tx, item, now);
  await tx.insert(threadEvents).values({
    threadId: thread.id,
    at: now,
    actor: "system",
    kind: `sla.${timer.step}`,
    details: {
      clock: timer.clockKind,
      target: timer.target,
      key: timer.key,
      messages: items.length,
      ...(resent ? { resent: true } : {}),
    },
  });
  return true;
}

function recipients(
  config: WorkspaceConfig,
  thread: ThreadRow,
  timer: TimerRow,
  base: Omit<NudgePayload, "via" | "mention">,
): Array<Omit<OutboxItem, "dedupeKey">> {
  const department = departmentOf(config, thread.department);
  const channel = department?.channel ?? null;
  const inThread = (via: "thread" | "broadcast", mention: string[]) => ({
    kind: OUTBOX_KINDS.nudge,
    threadId: thread.id,
    channel,
    payload: { ...base, via, mention } satisfies NudgePayload,
  });
  // DMs are not ordered behind the thread's queue: one held until morning must not hold the card.
  const dm = (user: string) => ({
    kind: OUTBOX_KINDS.nudge,
    threadId: null,
    channel: user,
    payload: { ...base, via: "dm", user, mention: [] } satisfies NudgePayload,
    notBefore: deferToWorkingHours(timer.fireAt, personCalendar(config, user)),
  });
  switch (timer.target) {
    case "thread":
      return [inThread("thread", thread.owner ? [thread.owner] : [])];
    case "owner_or_channel":
      if (thread.owner) return [dm(thread.owner)];
      return [inThread("broadcast", [shiftMention(department)])];
    case "leads": {
      const leads = department?.leads ?? [];
      return [inThread("thread", leads), ...leads.map(dm)];
    }
    case "executives_channel":
      // No executives' channel: the escalation still reaches someone, as an on-call tool's
      // default escalation does. It goes to the department's own channel (under the card, also
      // shown in the channel) for its leads, or for whoever is on shift when it has none.
      if (!config.executivesChannel) {
        const leads = department?.leads ?? [];
        return [inThread("broadcast", leads.length > 0 ? leads : [shiftMention(department)])];
      }
      return [
        {
          kind: OUTBOX_KINDS.nudge,
          threadId: null,
          channel: config.executivesChannel,
          payload: {
            ...base,
            via: "channel",
            channel: config.executivesChannel,
            mention: [],
          } satisfies NudgePayload,
        },
      ];
    default:
      return [];
  }
}

/** Whoever is on shift in a department's channel: its user group, or @here. */
function shiftMention(department: { usergroup?: string | undefined } | undefined): string {
  return department?.usergroup ? `subteam^${department.usergroup}` : "here";
}

/** Marks breached clocks on the thread and keeps a row per breach for reporting. */
async function recordBreach(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  due: TimerRow[],
  now: Date,
): Promise<void> {
  const clocks = recordBreaches(
    decodeClocks(thread.clocks),
    now,
    calendarOf(config, thread.department),
  );
  for (const timer of due.filter((t) => t.step === "breach")) {
    const clock = clocks.find((c) => c.kind === timer.clockKind);
    if (!clock) continue;
    await tx
      .insert(slaBreaches)
      .values({
        threadId: thread.id,
        clockKind: clock.kind,
        clockStartedAt: clock.startedAt,
        department: thread.department,
        priority: thread.priority,
        dueAt: clock.breachedAt ?? timer.fireAt,
        recordedAt: now,
      })
      .onConflictDoNothing();
  }
  await tx
    .update(threads)
    .set({ clocks: encodeClocks(clocks), updatedAt: now })
    .where(eq(threads.id, thread.id));
  ctx.logger.warn("sla.breached", { threadId: thread.id, department: thread.department });
}
