import { findRollupMessage, loadRollup, recordRollupMessage } from "../db/rollup-store.ts";
import { ROLLUP_PAGE_SIZE, rollupPageCount } from "../domain/post-kinds.ts";
import { kindOf } from "../services/kind-profiles.ts";
import { queueMissingRollupPages, queueRollupPageRedraws } from "../services/redraw-rollups.ts";
import { departmentOf } from "../services/workspace-lookups.ts";
import { updatePosted } from "./card-permalink.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { postOnce } from "./post-once.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";
import type { SlackMessage } from "./views/complaint-card.ts";
import { buildKindRollup } from "./views/kind-rollup.ts";

/** Which page of which roll-up, as an outbox payload names it. */
interface PageRef {
  rollupId: number;
  index: number;
  of: number;
  daily: boolean;
}

function pageOf(payload: Record<string, unknown>): PageRef {
  const id = payload.rollupId;
  if (typeof id !== "number") throw new PermanentDeliveryError(`roll-up ${String(id)} not found`);
  return {
    rollupId: id,
    index: typeof payload.page === "number" ? payload.page : 0,
    of: typeof payload.pages === "number" ? payload.pages : 1,
    daily: payload.daily !== false,
  };
}

/** Posts one page of a roll-up, drawn from the threads as they are now, and remembers where. */
export function kindRollup(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const ref = pageOf(item.payload);
    const { channel, message } = await drawPage(deps, ref);
    const posted = await postOnce(deps.client, item, {
      channel,
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
    return async (tx) => {
      await recordRollupMessage(tx, {
        rollupId: ref.rollupId,
        page: ref.index,
        pages: ref.of,
        daily: ref.daily,
        channel: posted.channel,
        ts: posted.ts,
      });
    };
  };
}

/**
 * Redraws a posted page of a roll-up after a post it covers changed kind: a post put on the
 * desk leaves the list, one taken off it joins, and the counts follow. A page not posted yet
 * needs nothing: it is drawn as things are when it is. An item naming no page (what a kind
 * change queues) stands for the whole roll-up: it calls nothing, and queues one per posted
 * page; the channel's queue has delivered every page queued before it by then.
 */
export function updateKindRollup(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const { rollupId, index } = pageOf(item.payload);
    if (typeof item.payload.page !== "number") {
      return async (tx) => {
        const now = deps.clock.now();
        await queueRollupPageRedraws(tx, { id: rollupId, channel: item.channel }, now);
        await queueMissingRollupPages(tx, rollupId, now);
      };
    }
    const posted = await findRollupMessage(deps.db.db, rollupId, index);
    if (!posted) return undefined;
    const ref = { rollupId, index, of: posted.pages, daily: posted.daily };
    const { message } = await drawPage(deps, ref);
    // A page deleted in Slack fails once, saying so, and does not hold the channel.
    const where = { channel: posted.channel, ts: posted.ts };
    await updatePosted(deps.client, { ...where, ...message }, "rollup_page");
    return undefined;
  };
}

async function drawPage(
  deps: DeliveryDeps,
  ref: PageRef,
): Promise<{ channel: string; message: SlackMessage }> {
  const page = { limit: ROLLUP_PAGE_SIZE, offset: ref.index * ROLLUP_PAGE_SIZE };
  const rollup = await loadRollup(deps.db.db, ref.rollupId, page);
  if (!rollup) throw new PermanentDeliveryError(`roll-up ${ref.rollupId} not found`);
  const name = (key: string) => departmentOf(deps.config, key)?.name ?? key;
  // The pages posted, or more when posts joined since ("1 of 2" while 3 are posted misleads);
  // never fewer, as a page emptied by posts leaving is still in the channel.
  const total = rollup.counts.reduce((n, c) => n + c.threads, 0);
  const of = Math.max(ref.of, rollupPageCount(total));
  const message = buildKindRollup({
    kinds: rollup.kinds.map(kindOf),
    periodStart: rollup.periodStart,
    periodEnd: rollup.periodEnd,
    page: { index: ref.index, of },
    daily: ref.daily,
    counts: rollup.counts.map((c) => ({
      kind: kindOf(c.kind),
      department: name(c.department),
      threads: c.threads,
    })),
    items: rollup.items.map(({ thread, first }) => ({
      threadId: thread.id,
      kind: kindOf(thread.kind),
      source: first.source,
      text: first.text,
      url: first.url ?? undefined,
      authorHandle: first.authorHandle ?? undefined,
      department: name(thread.department),
    })),
  });
  return { channel: rollup.channel, message };
}
