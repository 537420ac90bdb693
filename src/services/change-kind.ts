import { and, eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks, encodeClocks } from "../db/clock-codec.ts";
import { type ThreadRow, threadEvents } from "../db/schema.ts";
import { changeLockedThread } from "../db/thread-change.ts";
import { type ActorFacts, mayPerform } from "../domain/permissions.ts";
import {
  clocksForKindChange,
  deskWeight,
  type KindDecision,
  type PostKind,
} from "../domain/post-kinds.ts";
import type { ThreadState } from "../domain/thread-lifecycle.ts";
import { queueCardPost, queueCardUpdate, queueLeaveLink } from "./card-updates.ts";
import { describeActor, type ServiceContext } from "./context.ts";
import { kindOf, profileOf } from "./kind-profiles.ts";
import { queueRollupRedraws } from "./redraw-rollups.ts";
import { refreshHomesAbout } from "./refresh-homes.ts";
import { relinkForKindChange } from "./relink-kind-change.ts";
import { lockThreadById, replanTimers, snapshotOf } from "./thread-transition.ts";
import { calendarOf, departmentOf, windowsFor } from "./workspace-lookups.ts";

/** The outcome of a kind change: the thread after it, or why it was refused (nothing changed). */
export type KindChangeOutcome =
  | { ok: true; thread: ThreadRow; from: PostKind }
  | { ok: false; reason: string; thread: ThreadRow };

/**
 * A person changes a thread's kind from Slack. Putting a post on the desk (praise → complaint)
 * is open to anyone who sees it: a missed complaint must be easy to rescue. Taking one off
 * (complaint → praise, or to a kind with fewer clocks) is like dismissing it: its department's
 * members while unowned, then only the owner, a lead or an admin. Recorded in the timeline;
 * the clocks are replanned for the new kind.
 */
export async function changeKind(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  input: { threadId: string; kind: PostKind; actor: ActorFacts },
): Promise<KindChangeOutcome> {
  return ctx.db.db.transaction(async (tx) => {
    const thread = await lockThreadById(tx, input.threadId);
    const from = kindOf(thread.kind);
    if (from === input.kind) {
      return { ok: false, reason: `This is already marked as ${from}.`, thread };
    }
    if (deskWeight(input.kind) <= deskWeight(from)) {
      const name = departmentOf(config, thread.department)?.name;
      const allowed = mayPerform(input.actor, snapshotOf(thread), "dismiss", name);
      if (!allowed.ok) return { ok: false, reason: allowed.reason, thread };
    }
    const by = `changed by <@${input.actor.userId}>`;
    const updated = await applyKindChange(ctx, config, tx, thread, { to: input.kind, reason: by });
    return { ok: true, thread: updated, from };
  });
}

/**
 * A follow-up that a kind rule (or the model) finds more pressing than its thread (a question
 * or a complaint after a thank-you) moves the thread to that kind; a follow-up never lowers
 * it, and one that matched no rule changes nothing. Returns the thread after it.
 */
export async function raiseKindForFollowUp(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  decision: KindDecision,
  /** How the post came, for the timeline. */
  why = "the customer wrote again",
): Promise<ThreadRow> {
  const byRuleOrModel = decision.rule !== null || decision.reason.startsWith("learned:");
  if (!byRuleOrModel || deskWeight(decision.kind) <= deskWeight(kindOf(thread.kind))) return thread;
  return applyKindChange(ctx, config, tx, thread, {
    to: decision.kind,
    reason: `${why}: ${decision.reason}`,
  });
}

/**
 * Changes a locked thread's kind: its clocks for the new kind, the event, the nudges, and
 * its message: a card on the desk when the new kind has one (moving a #kudos note there),
 * else the message it has, re-rendered.
 */
async function applyKindChange(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  change: { to: PostKind; reason: string },
): Promise<ThreadRow> {
  const now = ctx.clock.now();
  const from = kindOf(thread.kind);
  const clocks = clocksForKindChange(
    decodeClocks(thread.clocks),
    profileOf(config, change.to),
    { state: thread.state as ThreadState, answered: await wasAnswered(tx, thread.id) },
    now,
    calendarOf(config, thread.department),
    windowsFor(config, thread.priority),
  );
  const updated = await changeLockedThread(
    tx,
    thread,
    { kind: change.to, kindReason: change.reason, clocks: encodeClocks(clocks) },
    {
      at: now,
      actor: describeActor(ctx.actor),
      kind: "thread.kind_changed",
      details: { from, to: change.to, reason: change.reason },
    },
  );
  await replanTimers(config, tx, updated, clocks);
  await relinkForKindChange(ctx, config, tx, updated, { from, to: change.to, now });
  await queueKindMessages(tx, config, updated, now);
  await queueRollupRedraws(tx, updated, { from, to: change.to }, now);
  // Homes list only the kinds on the desk, and name each thread's kind: a post put on the desk
  // joins its department's lists, one taken off leaves them.
  await refreshHomesAbout(
    tx,
    config,
    { departments: [updated.department], users: [updated.owner] },
    now,
  );
  ctx.logger.info("thread.kind_changed", { threadId: thread.id, from, to: change.to });
  return updated;
}

async function wasAnswered(tx: Transaction, threadId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: threadEvents.id })
    .from(threadEvents)
    .where(and(eq(threadEvents.threadId, threadId), eq(threadEvents.kind, "thread.respond")))
    .limit(1);
  return row !== undefined;
}

/**
 * What Slack should show after a kind change. A kind with a desk card gets one (posted now if
 * the thread has none; a #kudos note it had becomes a link to it). Any other kind keeps the
 * message it has, re-rendered, or gets its first note; a roll-up kind with no message waits
 * for the roll-up.
 */
async function queueKindMessages(
  tx: Transaction,
  config: WorkspaceConfig,
  thread: ThreadRow,
  now: Date,
): Promise<void> {
  const delivery = profileOf(config, thread.kind).delivery;
  const deskChannel = departmentOf(config, thread.department)?.channel ?? null;
  const posted = thread.slackChannel !== null && thread.slackTs !== null;
  if (delivery.to === "card" && thread.slackSurface !== "card") {
    await queueCardPost(tx, thread.id, deskChannel, "kind", now);
    await queueLeaveLink(tx, thread, { from: thread.department, reason: "kind" }, now);
    return;
  }
  if (posted) {
    await queueCardUpdate(tx, thread, thread.slackChannel, now);
    return;
  }
  if (delivery.to === "channel") {
    await queueCardPost(tx, thread.id, delivery.channel, "kind", now);
  }
}
