import { loadRollup } from "../db/rollup-store.ts";
import { ROLLUP_PAGE_SIZE } from "../domain/post-kinds.ts";
import { kindOf } from "../services/kind-profiles.ts";
import { departmentOf } from "../services/workspace-lookups.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";
import { buildKindRollup } from "./views/kind-rollup.ts";

/** Posts one page of a roll-up, drawn from the threads as they are now. */
export function kindRollup(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const id = item.payload.rollupId;
    const index = typeof item.payload.page === "number" ? item.payload.page : 0;
    const of = typeof item.payload.pages === "number" ? item.payload.pages : 1;
    const page = { limit: ROLLUP_PAGE_SIZE, offset: index * ROLLUP_PAGE_SIZE };
    const rollup = typeof id === "number" ? await loadRollup(deps.db.db, id, page) : null;
    if (!rollup) throw new PermanentDeliveryError(`roll-up ${String(id)} not found`);
    const name = (key: string) => departmentOf(deps.config, key)?.name ?? key;
    const message = buildKindRollup({
      kinds: rollup.kinds.map(kindOf),
      periodStart: rollup.periodStart,
      periodEnd: rollup.periodEnd,
      page: { index, of },
      daily: item.payload.daily !== false,
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
    await deps.client.chat.postMessage({
      channel: rollup.channel,
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
    return undefined;
  };
}
