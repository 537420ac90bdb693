import type { Transaction } from "../db/client.ts";
import { enqueueOutbox } from "../db/outbox-store.ts";
import {
  countRollupThreads,
  findRollup,
  lockRollups,
  rollupMessagesOf,
  rollupsCovering,
} from "../db/rollup-store.ts";
import type { ThreadRow } from "../db/schema.ts";
import { rollupPageCount } from "../domain/post-kinds.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";
import { queueRollupPage } from "./send-kind-rollup.ts";

/**
 * Queues a redraw of every roll-up of its old or new kind whose period covers the thread's
 * opening time, in the transaction that changed its kind: a post put on the desk from a
 * roll-up leaves it for everyone (its picker would otherwise still say "Other"), and one
 * taken off joins it.
 *
 * One item per roll-up, in the roll-up's own channel queue, whether its pages were posted yet
 * or not: the outbox keeps a channel's order, so the item runs only once every page queued
 * before it has been posted and recorded. A page drawn before this change and recorded after
 * it (its post was in flight) is redrawn too; looking for posted pages now would miss it.
 */
export async function queueRollupRedraws(
  tx: Transaction,
  thread: Pick<ThreadRow, "id" | "openedAt">,
  /** The kind it had and the kind it has: only roll-ups of those list it, before or after. */
  kinds: { from: string; to: string },
  now: Date,
): Promise<void> {
  // A roll-up being claimed now is committed before this looks, or waits for this to commit.
  await lockRollups(tx, "kind-change");
  for (const rollup of await rollupsCovering(tx, thread.openedAt, [kinds.from, kinds.to])) {
    await queueRedraw(tx, rollup, {}, now);
  }
}

/** Queues a chat.update of each posted page of a roll-up, in the same channel queue. */
export async function queueRollupPageRedraws(
  tx: Transaction,
  rollup: { id: number; channel: string | null },
  now: Date,
): Promise<void> {
  for (const page of await rollupMessagesOf(tx, rollup.id)) {
    await queueRedraw(tx, rollup, { page: page.page }, now);
  }
}

/**
 * Queues a post of each page a posted roll-up lacks now: a post taken off the desk into its
 * period is listed among the others by age, and on a full last page it pushed the oldest post
 * off every page, leaving it out of Slack's view ("1 older post is not listed here").
 * The pages already posted are redrawn to say how many there are now (rollup-delivery.ts). A
 * roll-up never posted (a cron period that was empty) gets none: the post keeps its own card.
 */
export async function queueMissingRollupPages(
  tx: Transaction,
  rollupId: number,
  now: Date,
): Promise<void> {
  const posted = await rollupMessagesOf(tx, rollupId);
  const [first] = posted;
  const rollup = await findRollup(tx, rollupId);
  if (!first || !rollup) return;
  const total = await countRollupThreads(tx, rollup.kinds, rollup.periodStart, rollup.periodEnd);
  const pages = rollupPageCount(total);
  const have = new Set(posted.map((p) => p.page));
  const target = { rollupId, channel: rollup.channel, daily: first.daily };
  for (let page = 0; page < pages; page++) {
    if (!have.has(page)) await queueRollupPage(tx, target, page, pages, now);
  }
}

/** One redraw item in the roll-up's channel queue: of a page, or (no page) of the whole. */
async function queueRedraw(
  tx: Transaction,
  rollup: { id: number; channel: string | null },
  which: { page?: number },
  now: Date,
): Promise<void> {
  await enqueueOutbox(
    tx,
    {
      kind: OUTBOX_KINDS.updateKindRollup,
      threadId: null,
      channel: rollup.channel,
      payload: { rollupId: rollup.id, ...which },
    },
    now,
  );
}
