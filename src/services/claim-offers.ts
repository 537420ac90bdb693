import { eq } from "drizzle-orm";
import { insertClaimOffer, takeClaimOffers } from "../db/claim-offer-store.ts";
import type { Transaction } from "../db/client.ts";
import { enqueueOutbox } from "../db/outbox-store.ts";
import { type ClaimOfferRow, threads } from "../db/schema.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";

/** The redraw of a nudge that offered Claim: where it is and what it said. */
export type WithdrawClaimPayload = {
  threadId: string;
  /** The department the message offered the thread in. */
  department: string;
  channel: string;
  ts: string;
  /** The NudgePayload it was drawn from. */
  nudge: Record<string, unknown>;
  postedAt: string;
};

const CLOSED = new Set(["resolved", "dismissed"]);

/** Whether a thread is still up for claiming: nobody owns it and it is not closed. */
export function offersClaim(thread: { owner: string | null; state: string }): boolean {
  return thread.owner === null && !CLOSED.has(thread.state);
}

/**
 * Once a thread is owned, closed or handed to another department, every message still
 * offering its Claim button is queued for a redraw without it, in the transaction of that
 * change: a click there would only be told privately who owns it. The thread is locked.
 */
export async function withdrawClaimOffers(
  tx: Transaction,
  thread: { id: string; owner: string | null; state: string; department: string },
  now: Date,
): Promise<void> {
  const over = await takeClaimOffers(tx, thread.id, thread.department, !offersClaim(thread));
  for (const offer of over) await queueRedraw(tx, offer, now);
}

/**
 * A nudge offering Claim reached Slack: remember it, in the transaction that records the
 * delivery. It locks the thread as a claim does, so a claim that committed while the nudge
 * was on its way (drawn before it, posted after) is seen here and the redraw queued at once.
 */
export async function recordClaimOffer(
  tx: Transaction,
  offer: Omit<ClaimOfferRow, "id">,
  now: Date,
): Promise<void> {
  const [thread] = await tx
    .select()
    .from(threads)
    .where(eq(threads.id, offer.threadId))
    .for("update");
  if (!thread) return;
  await insertClaimOffer(tx, offer);
  await withdrawClaimOffers(tx, thread, now);
}

async function queueRedraw(tx: Transaction, offer: ClaimOfferRow, now: Date): Promise<void> {
  const payload: WithdrawClaimPayload = {
    threadId: offer.threadId,
    department: offer.department,
    channel: offer.channel,
    ts: offer.ts,
    nudge: offer.nudge,
    postedAt: offer.postedAt.toISOString(),
  };
  // After the thread's queued card update, so both show the same owner.
  await enqueueOutbox(
    tx,
    { kind: OUTBOX_KINDS.withdrawClaim, threadId: offer.threadId, channel: offer.channel, payload },
    now,
  );
}
