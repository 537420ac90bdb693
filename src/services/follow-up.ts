import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks, encodeClocks } from "../db/clock-codec.ts";
import { enqueueCardOp, enqueueOutbox } from "../db/outbox-store.ts";
import { type ThreadRow, threadEvents } from "../db/schema.ts";
import { changeLockedThread } from "../db/thread-change.ts";
import { PRIORITIES, type Priority } from "../domain/complaint.ts";
import type { KindDecision } from "../domain/post-kinds.ts";
import { budgetFor } from "../domain/sla-clock.ts";
import { raiseKindForFollowUp } from "./change-kind.ts";
import type { ServiceContext } from "./context.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";
import { applyTransition } from "./thread-transition.ts";
import { departmentOf, windowsFor } from "./workspace-lookups.ts";

/** The more urgent of two priorities. */
function moreUrgent(a: Priority, b: Priority): Priority {
  return PRIORITIES.indexOf(a) <= PRIORITIES.indexOf(b) ? a : b;
}

/** A later post in a known conversation, already stored, and what intake decided about it. */
export interface FollowUp {
  thread: ThreadRow;
  complaintId: string;
  priority: { priority: Priority; reasons: string[] };
  /** What intake made of the follow-up on its own; it may raise the thread's kind. */
  kind: KindDecision;
  channel: string | null;
  now: Date;
  actor: string;
}

/**
 * A later post in a known conversation: a reply under the card, a raised priority or kind if
 * it warrants one, and the customer-replied transition (fresh window; reopens a closed
 * thread). The department stays the thread's, whatever the follow-up says. Returns the
 * thread after it.
 */
export async function addFollowUp(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  tx: Transaction,
  f: FollowUp,
): Promise<ThreadRow> {
  await tx.insert(threadEvents).values({
    threadId: f.thread.id,
    at: f.now,
    actor: f.actor,
    kind: "thread.follow_up",
    details: { complaintId: f.complaintId },
  });
  const thread = await raiseFromPost(ctx, policy, tx, f);
  // The customer wrote again: a fresh response window, and a closed thread reopens.
  const replied = keptAsSpam(thread)
    ? await keepDismissed(tx, policy, f, thread)
    : await applyTransition(ctx, policy, tx, thread, { type: "customer_replied" });
  // After the kind: when the follow-up puts a #kudos post on the desk, its new card is queued
  // first in the department's channel, and the reply goes under that card, not the old note.
  // After the reopening too: the reply waits for the last owner's return, and mentions them.
  await enqueueOutbox(
    tx,
    {
      kind: OUTBOX_KINDS.postReply,
      threadId: f.thread.id,
      channel: f.channel,
      payload: { complaintId: f.complaintId },
    },
    f.now,
  );
  ctx.logger.info("thread.follow_up", { threadId: f.thread.id, complaintId: f.complaintId });
  return replied.thread;
}

/**
 * A conversation dismissed as spam stays dismissed when it posts again: a bot must not put it
 * back on the desk, chase the department and mention whoever dismissed it each time (a help
 * desk files a spammer's later mail as spam too). The post is kept and shown under the card;
 * Reopen still brings the thread back by hand.
 */
function keptAsSpam(thread: ThreadRow): boolean {
  return thread.state === "dismissed" && thread.dismissReason === "spam";
}

async function keepDismissed(
  tx: Transaction,
  policy: WorkspaceConfig,
  f: FollowUp,
  thread: ThreadRow,
): Promise<{ thread: ThreadRow }> {
  await tx.insert(threadEvents).values({
    threadId: thread.id,
    at: f.now,
    actor: f.actor,
    kind: "thread.kept_dismissed",
    details: { reason: "spam" },
  });
  // The card's count of follow-ups.
  const channel = departmentOf(policy, thread.department)?.channel ?? null;
  await enqueueCardOp(tx, OUTBOX_KINDS.updateCard, thread.id, channel, f.now);
  return { thread };
}

/**
 * What a later-filed post of the conversation may raise: its priority, when the post is more
 * urgent, and its kind, when a rule or the model says the post is more than the thread was.
 */
export async function raiseFromPost(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  tx: Transaction,
  f: FollowUp,
  why?: string,
): Promise<ThreadRow> {
  const current = f.thread.priority as Priority;
  const next = moreUrgent(current, f.priority.priority);
  let thread = f.thread;
  if (next !== current) thread = await raisePriority(policy, tx, f, next);
  return raiseKindForFollowUp(ctx, policy, tx, thread, f.kind, why);
}

/** A more urgent follow-up tightens the thread's running SLA windows to the new priority's. */
async function raisePriority(
  policy: WorkspaceConfig,
  tx: Transaction,
  f: FollowUp,
  next: Priority,
): Promise<ThreadRow> {
  const windows = windowsFor(policy, next);
  const clocks = decodeClocks(f.thread.clocks).map((c) => ({
    ...c,
    budgetMs: budgetFor(c.kind, windows) ?? c.budgetMs,
  }));
  return changeLockedThread(
    tx,
    f.thread,
    {
      priority: next,
      // Once each: a follow-up by the same widely-followed author names the same reach again.
      priorityReasons: [...new Set([...f.thread.priorityReasons, ...f.priority.reasons])],
      clocks: encodeClocks(clocks),
    },
    {
      at: f.now,
      actor: f.actor,
      kind: "thread.priority_raised",
      details: {
        from: f.thread.priority,
        to: next,
        reasons: f.priority.reasons,
        complaintId: f.complaintId,
      },
    },
  );
}
