import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Executor } from "../db/client.ts";
import { HOME_PUBLISH_KIND, homeAudience } from "../db/home-refresh-store.ts";
import type { OutboxRow } from "../db/schema.ts";
import { refreshHomesOf } from "./refresh-homes.ts";

/**
 * A Slack delivery failed for good: the admins who use their App Home see it there (with its
 * Retry button) without having to reopen it. Runs in the transaction that marks the failure.
 * A failed Home publish refreshes no Home: that would queue the publish that just failed.
 */
export async function showFailedDelivery(
  tx: Executor,
  config: WorkspaceConfig,
  item: Pick<OutboxRow, "kind">,
  now: Date,
): Promise<void> {
  if (item.kind === HOME_PUBLISH_KIND) return;
  await refreshHomesOf(tx, await homeAudience(tx, { users: config.admins, departments: [] }), now);
}
