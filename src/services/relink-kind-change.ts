import { asc, eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { complaintCampaigns, complaints, type ThreadRow } from "../db/schema.ts";
import type { PostKind } from "../domain/post-kinds.ts";
import { campaignQueue } from "./campaign-outbox.ts";
import type { ServiceContext } from "./context.ts";
import { offDeskKinds } from "./kind-profiles.ts";
import { linkCampaigns } from "./link-campaigns.ts";

/**
 * A thread's campaign links after its kind moves on or off the desk. Only complaints on the
 * desk are linked (praise about a sale is not a complaint about it): taken off, its links
 * go and each campaign's card is refreshed; put on, its posts are linked as they would have
 * been when they arrived. Runs in the transaction that changes the kind.
 */
export async function relinkForKindChange(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  change: { from: PostKind; to: PostKind; now: Date },
): Promise<void> {
  if (!config.campaigns) return;
  const offDesk = offDeskKinds(config);
  const wasOff = offDesk.includes(change.from);
  if (wasOff === offDesk.includes(change.to)) return;
  if (!wasOff) {
    const removed = await tx
      .delete(complaintCampaigns)
      .where(eq(complaintCampaigns.threadId, thread.id))
      .returning({ campaignId: complaintCampaigns.campaignId });
    for (const campaignId of [...new Set(removed.map((r) => r.campaignId))].sort()) {
      await campaignQueue(tx, config, campaignId, change.now).updateCard();
    }
    return;
  }
  const posts = await tx
    .select({ id: complaints.id, text: complaints.text, receivedAt: complaints.receivedAt })
    .from(complaints)
    .where(eq(complaints.threadId, thread.id))
    .orderBy(asc(complaints.receivedAt));
  for (const post of posts) {
    await linkCampaigns(ctx, config, tx, {
      complaintId: post.id,
      threadId: thread.id,
      department: thread.department,
      text: post.text,
      now: post.receivedAt,
    });
  }
}
