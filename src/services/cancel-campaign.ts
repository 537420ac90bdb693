import { eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { lockCampaign } from "../db/campaign-store.ts";
import { campaignDepartments, campaigns } from "../db/schema.ts";
import { syncTimers } from "../db/timer-store.ts";
import { campaignStatus } from "../domain/campaign.ts";
import type { AnnouncerFacts } from "../domain/campaign-permissions.ts";
import { ConflictError } from "../domain/errors.ts";
import { requireAnnouncer } from "./campaign-access.ts";
import { campaignQueue, recordCampaignEvent, requireCampaignSettings } from "./campaign-outbox.ts";
import { describeActor, type ServiceContext } from "./context.ts";
import { CAMPAIGN_TIMERS } from "./fire-campaign-timers.ts";

/**
 * Cancels a campaign: every reminder, launch and end timer is dropped, each affected
 * department hears "cancelled" in its heads-up's thread, and the cards show it. Cancelling a
 * cancelled campaign changes nothing; an ended one cannot be cancelled.
 */
export async function cancelCampaign(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  input: { campaignId: string; announcer?: AnnouncerFacts },
): Promise<{ alreadyCancelled: boolean }> {
  const settings = requireCampaignSettings(config);
  const now = ctx.clock.now();
  const actor = describeActor(ctx.actor);
  const result = await ctx.db.db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, input.campaignId);
    requireAnnouncer(ctx, config, settings, input.announcer, campaign.owner);
    const status = campaignStatus(campaign, now);
    if (status === "cancelled") return { alreadyCancelled: true };
    if (status === "ended") throw new ConflictError("This campaign has already ended.");
    await tx
      .update(campaigns)
      .set({ cancelledAt: now, cancelledBy: actor, updatedAt: now, version: campaign.version + 1 })
      .where(eq(campaigns.id, campaign.id));
    await syncTimers(tx, { type: CAMPAIGN_TIMERS, id: campaign.id }, []);
    const eventId = await recordCampaignEvent(tx, {
      campaignId: campaign.id,
      at: now,
      actor,
      kind: "campaign.cancelled",
    });
    const departments = await tx
      .select()
      .from(campaignDepartments)
      .where(eq(campaignDepartments.campaignId, campaign.id));
    const queue = campaignQueue(tx, config, campaign.id, now);
    for (const { department } of departments.filter((d) => d.active)) {
      await queue.headsUpReply(
        { department, note: "cancelled", eventId },
        `cancelled:${department}`,
      );
      await queue.updateHeadsUp(department);
    }
    await queue.updateCard();
    await queue.cardReply({ note: "cancelled", eventId }, "cancelled");
    return { alreadyCancelled: false };
  });
  ctx.logger.info("campaign.cancelled", { campaignId: input.campaignId, ...result });
  return result;
}
