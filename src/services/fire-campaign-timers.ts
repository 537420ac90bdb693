import { eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { type CampaignRow, campaignDepartments, campaigns, type TimerRow } from "../db/schema.ts";
import { fireDueTimers, type PlannedStep } from "../db/timer-store.ts";
import { waitingDepartments } from "../domain/campaign-acknowledgement.ts";
import { type CampaignTimerStep, supersededReminders } from "../domain/campaign-plan.ts";
import { campaignQueue, recordCampaignEvent } from "./campaign-outbox.ts";
import type { ServiceContext } from "./context.ts";
import type { TimerSubjectHandler } from "./timer-subjects.ts";

/** The subject type of a campaign's reminders, launch and end. */
export const CAMPAIGN_TIMERS = "campaign";

/** The domain's plan as timer rows: a reminder carries its lead time for the message. */
export function timerSteps(plan: readonly CampaignTimerStep[]): PlannedStep[] {
  return plan.map((s) => ({
    key: s.key,
    step: s.step,
    target: "campaign",
    fireAt: s.fireAt,
    payload: s.leadMs === undefined ? {} : { leadMs: s.leadMs },
  }));
}

/**
 * A campaign's due reminders, launch and end. The campaign row is locked first (SKIP LOCKED:
 * a campaign someone is editing right now waits for the next sweep), then its due timers;
 * what they cause is queued through the outbox and the timers marked fired in the same
 * transaction, so each fires once even with several bot processes sweeping.
 */
export function campaignTimerHandler(
  ctx: ServiceContext,
  config: WorkspaceConfig,
): TimerSubjectHandler {
  return { fire: (tx, campaignId, now) => fireCampaignTimers(ctx, config, tx, campaignId, now) };
}

async function fireCampaignTimers(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  campaignId: string,
  now: Date,
): Promise<number> {
  const [campaign] = await tx
    .select()
    .from(campaigns)
    .where(eq(campaigns.id, campaignId))
    .for("update", { skipLocked: true });
  if (!campaign) return 0;
  return fireDueTimers(tx, { type: CAMPAIGN_TIMERS, id: campaignId }, now, async (due) => {
    // Cancelling plans no timers, so this only guards a race with nothing left to say.
    if (campaign.cancelledAt) return;
    // Superseded reminders are still marked fired: they must not go out later either.
    const superseded = supersededReminders(due);
    for (const timer of due)
      if (!superseded.has(timer)) await fireTimer(ctx, config, tx, campaign, timer, now);
  });
}

async function fireTimer(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  campaign: CampaignRow,
  timer: TimerRow,
  now: Date,
): Promise<void> {
  const departments = await tx
    .select()
    .from(campaignDepartments)
    .where(eq(campaignDepartments.campaignId, campaign.id));
  const active = departments.filter((d) => d.active).map((d) => d.department);
  const waiting = waitingDepartments(departments);
  const queue = campaignQueue(tx, config, campaign.id, now);
  const once = (what: string) => `timer:${timer.id}:${what}`;
  const event = (kind: string, details: Record<string, unknown>) =>
    recordCampaignEvent(tx, { campaignId: campaign.id, at: now, actor: "system", kind, details });
  switch (timer.step) {
    case "reminder": {
      const leadMs = Number(timer.payload.leadMs ?? 0);
      for (const department of waiting)
        await queue.headsUpReply({ department, note: "reminder", leadMs }, once(department));
      await event("campaign.reminded", { departments: waiting, leadMs, key: timer.key });
      break;
    }
    case "launch": {
      for (const department of active) {
        await queue.headsUpReply({ department, note: "live" }, once(department));
        await queue.updateHeadsUp(department);
      }
      await queue.dm(
        { user: campaign.owner, note: "launch", unacknowledged: waiting },
        once("owner"),
      );
      await queue.updateCard();
      await event("campaign.launched", { unacknowledged: waiting });
      break;
    }
    case "end": {
      await queue.cardReply({ note: "summary" }, once("summary"));
      await queue.updateCard();
      for (const department of active) await queue.updateHeadsUp(department);
      await event("campaign.ended", {});
      break;
    }
    default:
      return;
  }
  ctx.logger.info("campaign.timer_fired", { campaignId: campaign.id, step: timer.step });
}
