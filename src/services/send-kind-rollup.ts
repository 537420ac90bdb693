import type { Executor } from "../db/client.ts";
import { enqueueOutbox } from "../db/outbox-store.ts";
import { claimRollup, countRollupThreads, lockRollups } from "../db/rollup-store.ts";
import { isLocalTime } from "../domain/digest-schedule.ts";
import { rollupPageCount } from "../domain/post-kinds.ts";
import type { ServiceContext } from "./context.ts";
import type { RollupGroup } from "./kind-profiles.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";

const DAY_MS = 86_400_000;

/**
 * Sends one roll-up of posts kept off the desk (the kinds in `group`): claims the period
 * ending at this minute and queues the message through the outbox, in one transaction. Every
 * replica's job calls it at the same minute; one sends, the others find the period claimed.
 * The message is drawn at delivery from the threads as they are then. A daily roll-up is
 * posted even when empty (so people know it ran); one on a cron schedule, which may run every
 * few minutes, only when it has posts to list (the empty period is still claimed).
 */
export async function sendKindRollup(
  ctx: ServiceContext,
  group: RollupGroup,
): Promise<{ sent: boolean; rollupId?: number }> {
  const now = ctx.clock.now();
  const periodEnd = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const daily = isLocalTime(group.at);
  const sent = await ctx.db.db.transaction(async (tx) => {
    // Waits for kind changes under way to commit: the pages are drawn after them, or they see
    // this roll-up and queue its redraw.
    await lockRollups(tx, "claim");
    const claimed = await claimRollup(tx, {
      channel: group.channel,
      kinds: group.kinds,
      periodEnd,
      fallbackStart: new Date(periodEnd.getTime() - DAY_MS),
    });
    if (!claimed) return null;
    // One message per page of posts, so every post of the day can be reached from Slack (a
    // post taken off the desk later adds pages: queueMissingRollupPages).
    const total = await countRollupThreads(tx, group.kinds, claimed.periodStart, periodEnd);
    if (total === 0 && !daily) return null;
    const pages = rollupPageCount(total);
    for (let page = 0; page < pages; page++) {
      await queueRollupPage(
        tx,
        { rollupId: claimed.id, channel: group.channel, daily },
        page,
        pages,
        now,
      );
    }
    return claimed.id;
  });
  if (sent === null) return { sent: false };
  ctx.logger.info("kinds.rollup_queued", {
    rollupId: sent,
    channel: group.channel,
    kinds: group.kinds,
  });
  return { sent: true, rollupId: sent };
}

/**
 * Queues the post of one page of a roll-up (`pages` in all, as counted now). Once per page: a
 * page queued again (its roll-up grew twice) keeps the first item.
 */
export async function queueRollupPage(
  tx: Executor,
  rollup: { rollupId: number; channel: string; daily: boolean },
  page: number,
  pages: number,
  now: Date,
): Promise<void> {
  await enqueueOutbox(
    tx,
    {
      kind: OUTBOX_KINDS.kindRollup,
      threadId: null,
      channel: rollup.channel,
      payload: { rollupId: rollup.rollupId, page, pages, daily: rollup.daily },
      dedupeKey: `rollup:${rollup.rollupId}:${page}`,
    },
    now,
  );
}
