import { and, eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { acknowledgementRound } from "../db/acknowledgement-round.ts";
import { lockCampaign, lockCampaignDepartment } from "../db/campaign-store.ts";
import { campaignDepartments } from "../db/schema.ts";
import { campaignStatus } from "../domain/campaign.ts";
import {
  type AcknowledgeDecision,
  decideAcknowledgement,
} from "../domain/campaign-acknowledgement.ts";
import type { ActorFacts } from "../domain/permissions.ts";
import { campaignQueue, recordCampaignEvent } from "./campaign-outbox.ts";
import { describeActor, type ServiceContext } from "./context.ts";

/**
 * Someone acknowledges a heads-up for their department. Under the campaign's row lock, so
 * simultaneous clicks apply one at a time: the first is recorded, the others are told who
 * already did. The heads-up and the campaign card are re-rendered in place.
 */
export async function acknowledgeCampaign(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  input: {
    campaignId: string;
    department: string;
    actor: ActorFacts;
    /** The request to acknowledge the clicked button answers (absent on older buttons). */
    round?: number | undefined;
  },
): Promise<AcknowledgeDecision> {
  const now = ctx.clock.now();
  const decision = await ctx.db.db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, input.campaignId);
    const current = await lockCampaignDepartment(tx, campaign.id, input.department);
    const decision = decideAcknowledgement({
      status: campaignStatus(campaign, now),
      actor: input.actor,
      department: input.department,
      current,
      rounds: { clicked: input.round, latest: await acknowledgementRound(tx, campaign.id) },
    });
    if (!decision.ok) return decision;
    await tx
      .update(campaignDepartments)
      .set({ acknowledgedBy: input.actor.userId, acknowledgedAt: now })
      .where(
        and(
          eq(campaignDepartments.campaignId, campaign.id),
          eq(campaignDepartments.department, input.department),
        ),
      );
    await recordCampaignEvent(tx, {
      campaignId: campaign.id,
      at: now,
      actor: describeActor(ctx.actor),
      kind: "campaign.acknowledged",
      details: { department: input.department, by: input.actor.userId },
    });
    const queue = campaignQueue(tx, config, campaign.id, now);
    await queue.updateHeadsUp(input.department);
    await queue.updateCard();
    return decision;
  });
  ctx.logger.info("campaign.acknowledge", {
    campaignId: input.campaignId,
    department: input.department,
    ok: decision.ok,
  });
  return decision;
}
