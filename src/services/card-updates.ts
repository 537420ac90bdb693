import { and, desc, eq, isNull } from "drizzle-orm";
import type { Transaction } from "../db/client.ts";
import { enqueueCardOp, enqueueOutbox } from "../db/outbox-store.ts";
import { handOverDms, outbox, type ThreadRow } from "../db/schema.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";

/** What a thread's card redraw needs to know: the thread, and whether Slack still has its card. */
type CardOwner = Pick<ThreadRow, "id" | "cardDeletedAt">;

/**
 * Queues a redraw of the thread's card. Once Slack has said the card was deleted
 * (threads.card_deleted_at) nothing is queued: every redraw would fail the same way, and
 * admins would see one failed delivery per clock tick, claim or hand-over instead of one.
 */
export async function queueCardUpdate(
  tx: Transaction,
  thread: CardOwner,
  channel: string | null,
  now: Date,
): Promise<void> {
  if (thread.cardDeletedAt !== null) return;
  await enqueueCardOp(tx, OUTBOX_KINDS.updateCard, thread.id, channel, now);
}

/**
 * Queues a new message for the thread in `channel`, saying why: a kind change (skipped at
 * delivery when an earlier post already put it where its kind goes) or a deleted card posted
 * again.
 */
export async function queueCardPost(
  tx: Transaction,
  threadId: string,
  channel: string | null,
  reason: "kind" | "repost",
  now: Date,
): Promise<void> {
  await enqueueOutbox(
    tx,
    { kind: OUTBOX_KINDS.postCard, threadId, channel, payload: { threadId, reason } },
    now,
  );
}

/**
 * After the thread's message moved (another department's desk, or from a #kudos note to a
 * card): the old message becomes a link to the new one, unless Slack said it was deleted.
 */
export async function queueLeaveLink(
  tx: Transaction,
  thread: CardOwner & Pick<ThreadRow, "slackChannel" | "slackTs">,
  payload: { from: string; reason?: "kind" },
  now: Date,
): Promise<void> {
  if (!thread.slackChannel || !thread.slackTs || thread.cardDeletedAt !== null) return;
  await enqueueOutbox(
    tx,
    {
      kind: OUTBOX_KINDS.leaveLink,
      threadId: thread.id,
      channel: thread.slackChannel,
      payload: {
        threadId: thread.id,
        channel: thread.slackChannel,
        ts: thread.slackTs,
        ...payload,
      },
    },
    now,
  );
}

/**
 * A thread's card posted again after Slack refused or lost it (Retry after unarchiving, a
 * deleted card reposted): the message the thread last left behind (queueLeaveLink) said its
 * card's channel could not be seen, or linked to the card lost. It is drawn again, now that
 * the new card exists, so that it links to it as a hand-over's old card does.
 */
export async function redrawLeftBehind(
  tx: Transaction,
  threadId: string,
  now: Date,
): Promise<void> {
  const [left] = await tx
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.threadId, threadId),
        eq(outbox.kind, OUTBOX_KINDS.leaveLink),
        // One Slack refused (the old card deleted since) would only fail again.
        eq(outbox.status, "delivered"),
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!left) return;
  await enqueueOutbox(
    tx,
    { kind: left.kind, threadId, channel: left.channel, payload: left.payload },
    now,
  );
}

/**
 * With a card redraw: the thread's hand-over DMs still showing buttons are redrawn too, in
 * the thread's order, so one closed or handed on since says so without its reader clicking.
 * Nothing is queued for a thread without such a DM.
 */
export async function queueHandOverDmUpdates(
  tx: Transaction,
  threadId: string,
  now: Date,
): Promise<void> {
  const [live] = await tx
    .select({ id: handOverDms.id, channel: handOverDms.slackChannel })
    .from(handOverDms)
    .where(and(eq(handOverDms.threadId, threadId), isNull(handOverDms.settledAt)))
    .limit(1);
  if (!live) return;
  await enqueueOutbox(
    tx,
    {
      kind: OUTBOX_KINDS.updateHandOverDms,
      threadId,
      channel: live.channel,
      payload: { threadId },
    },
    now,
  );
}
