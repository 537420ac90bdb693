import { and, eq } from "drizzle-orm";
import type { CampaignSettings, WorkspaceConfig } from "../config/workspace-types.ts";
import { countLinkedSince, linkingCampaigns } from "../db/campaign-store.ts";
import type { Transaction } from "../db/client.ts";
import {
  type CampaignRow,
  campaignDepartments,
  campaigns,
  complaintCampaigns,
} from "../db/schema.ts";
import { detectSpike, expectedInWindow, spikeThreshold } from "../domain/campaign-spike.ts";
import { findPhrase } from "../domain/text-match.ts";
import { campaignQueue, leadsOf, recordCampaignEvent, type SpikeFacts } from "./campaign-outbox.ts";
import type { ServiceContext } from "./context.ts";

/** A complaint just filed, inside the transaction that files it. */
export interface LinkableComplaint {
  complaintId: string;
  threadId: string;
  department: string;
  text: string;
  now: Date;
}

/** What linking needs of a campaign: its id and keywords. */
export type LinkingCampaign = Pick<CampaignRow, "id" | "keywords">;

/**
 * Links a complaint to every campaign whose keywords it contains (whole words, ignoring case,
 * as routing's phrases: hashtags and promo codes included), from the campaign's announcement
 * until campaigns.linkTail after its end. Each link refreshes the campaign's card (coalesced)
 * and is checked for a spike. Returns the linked campaigns' ids, in id order.
 */
export async function linkCampaigns(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  complaint: LinkableComplaint,
  /** The campaigns linking now, when the caller's statement already read them (open-thread.ts). */
  linking?: readonly LinkingCampaign[],
): Promise<string[]> {
  const settings = config.campaigns;
  if (!settings) return [];
  const candidates = linking ?? (await linkingCampaigns(tx, complaint.now, settings.linkTailMs));
  const matches = candidates
    .map((campaign) => ({ campaign, keyword: findPhrase(complaint.text, campaign.keywords) }))
    .filter((m): m is { campaign: LinkingCampaign; keyword: string } => m.keyword !== undefined)
    // One lock order for every transaction that links to several campaigns: no deadlocks.
    .sort((a, b) => (a.campaign.id < b.campaign.id ? -1 : 1));
  const linked: string[] = [];
  for (const { campaign, keyword } of matches) {
    if (await linkOne(ctx, config, settings, tx, complaint, campaign.id, keyword))
      linked.push(campaign.id);
  }
  if (linked.length > 0)
    ctx.logger.info("campaign.linked", { complaintId: complaint.complaintId, campaigns: linked });
  return linked;
}

async function linkOne(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  settings: CampaignSettings,
  tx: Transaction,
  complaint: LinkableComplaint,
  campaignId: string,
  keyword: string,
): Promise<boolean> {
  // The row lock serialises links to one campaign, so each sees the last one's count.
  const [campaign] = await tx
    .select()
    .from(campaigns)
    .where(eq(campaigns.id, campaignId))
    .for("update");
  if (!campaign || campaign.cancelledAt) return false;
  const [link] = await tx
    .insert(complaintCampaigns)
    .values({
      complaintId: complaint.complaintId,
      campaignId,
      threadId: complaint.threadId,
      department: complaint.department,
      keyword,
      linkedAt: complaint.now,
    })
    .onConflictDoNothing()
    .returning({ campaignId: complaintCampaigns.campaignId });
  if (!link) return true;
  const queue = campaignQueue(tx, config, campaignId, complaint.now);
  await queue.updateCard();
  // A post linked after the fact (its kind changed by hand) keeps its arrival time: outside
  // the current window it says nothing about the rate now, and a window ending at its arrival
  // would count every link made since as "in the last hour".
  const now = ctx.clock.now();
  if (complaint.now.getTime() > now.getTime() - settings.spike.windowMs)
    await checkSpike(ctx, config, settings, tx, campaign, now);
  return true;
}

/** Counts the window's links and alerts the owner and leads once per spike. */
async function checkSpike(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  settings: CampaignSettings,
  tx: Transaction,
  campaign: CampaignRow,
  now: Date,
): Promise<void> {
  const { windowMs } = settings.spike;
  const countNow = await countLinkedSince(tx, campaign.id, new Date(now.getTime() - windowMs));
  const expected = expectedInWindow({ ...campaign, windowMs });
  const threshold = spikeThreshold(expected, settings.spike);
  const decision = detectSpike({
    armed: campaign.spikeArmed,
    countBefore: countNow - 1,
    countNow,
    threshold,
  });
  if (decision.armed !== campaign.spikeArmed) {
    await tx
      .update(campaigns)
      .set({ spikeArmed: decision.armed })
      .where(eq(campaigns.id, campaign.id));
  }
  if (!decision.alert) return;
  const spike: SpikeFacts = { count: countNow, threshold, expected, windowMs };
  const eventId = await recordCampaignEvent(tx, {
    campaignId: campaign.id,
    at: now,
    actor: "system",
    kind: "campaign.spike",
    details: { ...spike },
  });
  const departments = await tx
    .select({ department: campaignDepartments.department })
    .from(campaignDepartments)
    .where(
      and(eq(campaignDepartments.campaignId, campaign.id), eq(campaignDepartments.active, true)),
    );
  const recipients = new Set([
    campaign.owner,
    ...leadsOf(
      config,
      departments.map((d) => d.department),
    ).keys(),
  ]);
  const queue = campaignQueue(tx, config, campaign.id, now);
  for (const user of recipients)
    await queue.dm({ user, note: "spike", spike }, `spike:${eventId}:${user}`);
  await queue.cardReply({ note: "spike", spike }, `spike:${eventId}`);
  ctx.logger.warn("campaign.spike", { campaignId: campaign.id, count: countNow, threshold });
}
