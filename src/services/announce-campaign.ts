import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { campaignDepartments, campaigns } from "../db/schema.ts";
import { syncTimers } from "../db/timer-store.ts";
import { type CampaignStatus, campaignStatus, isLateNotice, noticeMs } from "../domain/campaign.ts";
import type { AnnouncerFacts } from "../domain/campaign-permissions.ts";
import { planCampaignTimers } from "../domain/campaign-plan.ts";
import { requireAnnouncer } from "./campaign-access.ts";
import { parseCampaignInput } from "./campaign-input.ts";
import {
  campaignQueue,
  leadsOf,
  recordCampaignEvent,
  requireCampaignSettings,
} from "./campaign-outbox.ts";
import { describeActor, type ServiceContext } from "./context.ts";
import { CAMPAIGN_TIMERS, timerSteps } from "./fire-campaign-timers.ts";

/** What announcing a campaign did. */
export interface AnnounceResult {
  campaignId: string;
  status: CampaignStatus;
  /** Less notice than campaigns.minimumNotice: the departments' leads were alerted at once. */
  late: boolean;
  noticeMs: number;
  minimumNoticeMs: number;
  departments: string[];
}

/**
 * Announces a campaign: stores it, plans its reminders, launch and end as durable timers, and
 * queues a heads-up card in each affected department's channel and the campaign's own card in
 * marketing's channel, all in one transaction. A late announcement also alerts the affected
 * departments' leads at once (and the owner, when a marketing tool announced it).
 */
export async function announceCampaign(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  input: { raw: unknown; announcer?: AnnouncerFacts },
): Promise<AnnounceResult> {
  const settings = requireCampaignSettings(config);
  requireAnnouncer(ctx, config, settings, input.announcer);
  const now = ctx.clock.now();
  const draft = parseCampaignInput(input.raw, config, now);
  const late = isLateNotice(draft.launchAt, now, settings.minimumNoticeMs);
  const actor = describeActor(ctx.actor);
  const campaignId = await ctx.db.db.transaction(async (tx) => {
    const { departments, ...fields } = draft;
    const [row] = await tx
      .insert(campaigns)
      .values({
        ...fields,
        announcedBy: actor,
        announcedAt: now,
        noticeFrom: now,
        late,
        updatedAt: now,
      })
      .returning({ id: campaigns.id });
    if (!row) throw new Error("campaign not stored");
    await tx
      .insert(campaignDepartments)
      .values(departments.map((department) => ({ campaignId: row.id, department })));
    await recordCampaignEvent(tx, {
      campaignId: row.id,
      at: now,
      actor,
      kind: "campaign.announced",
      details: { departments, late, noticeMs: noticeMs(draft.launchAt, now) },
    });
    const plan = planCampaignTimers({ ...draft, now, remindersMs: settings.remindersMs });
    await syncTimers(tx, { type: CAMPAIGN_TIMERS, id: row.id }, timerSteps(plan));
    const queue = campaignQueue(tx, config, row.id, now);
    await queue.postCard();
    for (const department of departments) await queue.postHeadsUp(department);
    if (late) {
      for (const [user, led] of leadsOf(config, departments))
        await queue.dm({ user, note: "late", departments: led }, `late:${user}`);
      if (ctx.actor.type === "intake" && !leadsOf(config, departments).has(draft.owner))
        await queue.dm({ user: draft.owner, note: "late", departments: [] }, `late:${draft.owner}`);
    }
    return row.id;
  });
  ctx.logger.info("campaign.announced", { campaignId, departments: draft.departments, late });
  return {
    campaignId,
    status: campaignStatus({ ...draft, announcedAt: now }, now),
    late,
    noticeMs: noticeMs(draft.launchAt, now),
    minimumNoticeMs: settings.minimumNoticeMs,
    departments: draft.departments,
  };
}
