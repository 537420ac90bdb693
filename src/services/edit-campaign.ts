import { and, eq, inArray } from "drizzle-orm";
import type { CampaignSettings, WorkspaceConfig } from "../config/workspace-types.ts";
import { lockCampaign } from "../db/campaign-store.ts";
import type { Transaction } from "../db/client.ts";
import {
  type CampaignDepartmentRow,
  type CampaignRow,
  campaignDepartments,
  campaigns,
} from "../db/schema.ts";
import { pendingTimers, syncTimers } from "../db/timer-store.ts";
import {
  campaignStatus,
  diffCampaign,
  type FieldChange,
  isLateNotice,
  isShownChange,
  type MarketingChannel,
  needsFreshAcknowledgement,
} from "../domain/campaign.ts";
import type { AnnouncerFacts } from "../domain/campaign-permissions.ts";
import { planCampaignTimers } from "../domain/campaign-plan.ts";
import { ConflictError, ValidationError } from "../domain/errors.ts";
import { requireAnnouncer } from "./campaign-access.ts";
import { type CampaignDraft, parseCampaignPatch } from "./campaign-input.ts";
import { noticeFromAfterEdit } from "./campaign-notice.ts";
import {
  campaignQueue,
  leadsOf,
  recordCampaignEvent,
  requireCampaignSettings,
} from "./campaign-outbox.ts";
import { describeActor, type ServiceContext } from "./context.ts";
import { CAMPAIGN_TIMERS, timerSteps } from "./fire-campaign-timers.ts";

/** What an edit changed. */
export interface EditResult {
  changes: FieldChange[];
  /** The departments were asked to acknowledge again (launch time or talking points changed, or a department added). */
  freshAcknowledgement: boolean;
  /**
   * The edit left departments less notice than campaigns.minimumNotice (the launch brought that
   * close, or a department added that close to it): their leads were alerted.
   */
  late: boolean;
}

const NO_CHANGES: EditResult = { changes: [], freshAcknowledgement: false, late: false };

function isEmptyObject(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && Object.keys(raw).length === 0;
}

/** A stored campaign in the shape of a draft, for applying an edit to it. */
export function draftOf(campaign: CampaignRow, departments: readonly string[]): CampaignDraft {
  return {
    name: campaign.name,
    description: campaign.description,
    launchAt: campaign.launchAt,
    endAt: campaign.endAt,
    channels: campaign.channels as MarketingChannel[],
    audienceSize: campaign.audienceSize,
    expectedVolume: campaign.expectedVolume,
    departments: [...departments],
    keywords: campaign.keywords,
    talkingPoints: campaign.talkingPoints,
    faqUrl: campaign.faqUrl,
    owner: campaign.owner,
  };
}

/**
 * Edits an upcoming or live campaign (postponing is an edit of its times; a live campaign's
 * launch stays where it was, its end may move). Every affected
 * department hears what changed in its heads-up's thread; a new launch time, new departments
 * or new talking points ask each of them to acknowledge again. Reminders, launch and end are
 * replanned; departments added get a heads-up, departments removed are told.
 */
export async function editCampaign(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  input: {
    campaignId: string;
    raw: unknown;
    announcer?: AnnouncerFacts;
    /**
     * The edit form sends only the fields the editor changed: none at all is nothing to save
     * (after the same checks of who may and whether it still can), not a bad request.
     */
    onlyTouched?: boolean;
  },
): Promise<EditResult> {
  const settings = requireCampaignSettings(config);
  const now = ctx.clock.now();
  const result = await ctx.db.db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, input.campaignId);
    requireAnnouncer(ctx, config, settings, input.announcer, campaign.owner);
    const status = campaignStatus(campaign, now);
    if (status === "cancelled") throw new ConflictError("This campaign was cancelled.");
    if (status === "ended") throw new ConflictError("This campaign has already ended.");
    if (input.onlyTouched && isEmptyObject(input.raw)) return NO_CHANGES;
    const rows = await tx
      .select()
      .from(campaignDepartments)
      .where(eq(campaignDepartments.campaignId, campaign.id));
    const active = rows.filter((r) => r.active).map((r) => r.department);
    const current = draftOf(campaign, active);
    const { draft } = parseCampaignPatch(input.raw, current, config, now);
    const changes = diffCampaign(current, draft);
    if (changes.length === 0) return NO_CHANGES;
    // Live is a fact, not a plan: moving the launch now would announce "live" a second time.
    if (status === "live" && changes.some((c) => c.field === "launchAt")) {
      throw new ValidationError([
        {
          path: "launchAt",
          message:
            "the campaign is already live, so its launch cannot move: change its end instead, or cancel it",
        },
      ]);
    }
    return applyEdit(ctx, config, settings, tx, { campaign, rows, draft, changes, now });
  });
  if (result.changes.length > 0)
    ctx.logger.info("campaign.edited", {
      campaignId: input.campaignId,
      fields: result.changes.map((c) => c.field),
    });
  return result;
}

async function applyEdit(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  settings: CampaignSettings,
  tx: Transaction,
  e: {
    campaign: CampaignRow;
    rows: CampaignDepartmentRow[];
    draft: CampaignDraft;
    changes: FieldChange[];
    now: Date;
  },
): Promise<EditResult> {
  const { campaign, rows, draft, changes, now } = e;
  const fresh = needsFreshAcknowledgement(changes);
  const before = rows.filter((r) => r.active).map((r) => r.department);
  const removed = before.filter((d) => !draft.departments.includes(d));
  // A launch moved within its minute is stored, but nobody was told of a new time: it keeps the
  // notice, lateness and acknowledgements the shown time had.
  const moved = changes.some((c) => c.field === "launchAt" && isShownChange(c));
  const shown = changes.filter(isShownChange);
  const added = draft.departments.filter((d) => !before.includes(d));
  // Only a new launch or a change of departments changes who was told what, and when.
  const retold = moved || added.length > 0 || removed.length > 0;
  const noticeFrom = retold
    ? await noticeFromAfterEdit(tx, campaign, { ...draft, before, now })
    : (campaign.noticeFrom ?? campaign.announcedAt);
  const alertAll =
    moved &&
    draft.launchAt.getTime() < campaign.launchAt.getTime() &&
    isLateNotice(draft.launchAt, now, settings.minimumNoticeMs);
  const alertAdded =
    !alertAll && added.length > 0 && isLateNotice(draft.launchAt, now, settings.minimumNoticeMs);
  // Late while some department affected has had less than the minimum notice: a late campaign
  // postponed far enough, or rid of the department added late, gave them their notice after all.
  const late = retold
    ? isLateNotice(draft.launchAt, noticeFrom, settings.minimumNoticeMs)
    : campaign.late;
  const { departments, ...fields } = draft;
  await tx
    .update(campaigns)
    .set({
      ...fields,
      noticeFrom,
      late,
      updatedAt: now,
      version: campaign.version + 1,
    })
    .where(eq(campaigns.id, campaign.id));
  await updateDepartments(tx, campaign.id, { departments, removed, fresh });
  const eventId = await recordCampaignEvent(tx, {
    campaignId: campaign.id,
    at: now,
    actor: describeActor(ctx.actor),
    kind: "campaign.edited",
    details: { changes, freshAcknowledgement: fresh, removed },
  });
  const subject = { type: CAMPAIGN_TIMERS, id: campaign.id };
  const plan = planCampaignTimers({
    ...draft,
    now,
    remindersMs: settings.remindersMs,
    // Not launched when the edit came (its launch was still ahead): launch it now, if moved past.
    launchOverdue: campaign.launchAt > now,
    unfired: new Set((await pendingTimers(tx, subject)).map((t) => t.key)),
  });
  await syncTimers(tx, subject, timerSteps(plan));
  const queue = campaignQueue(tx, config, campaign.id, now);
  for (const department of departments) {
    if (!rows.some((r) => r.department === department)) {
      await queue.postHeadsUp(department);
      continue;
    }
    await queue.updateHeadsUp(department);
    if (shown.length > 0)
      await queue.headsUpReply(
        { department, note: "changed", eventId },
        `edit:${eventId}:${department}`,
      );
  }
  for (const department of removed) {
    await queue.updateHeadsUp(department);
    await queue.headsUpReply(
      { department, note: "removed", eventId },
      `edit:${eventId}:${department}`,
    );
  }
  await queue.updateCard();
  // A note that would read "Launch: 10:00 → 10:00" tells nobody anything.
  if (shown.length > 0) await queue.cardReply({ note: "changed", eventId }, `edit:${eventId}`);
  // The new owner gets the launch report and spike alerts: tell them it is theirs now
  // (unless they took it themselves).
  const tookIt = ctx.actor.type === "slack" && ctx.actor.userId === draft.owner;
  if (changes.some((c) => c.field === "owner") && !tookIt)
    await queue.dm({ user: draft.owner, note: "owner", eventId }, `owner:${eventId}`);
  if (alertAll) {
    for (const [user, led] of leadsOf(config, departments))
      await queue.dm({ user, note: "late", departments: led }, `late:${eventId}:${user}`);
  } else if (alertAdded) {
    // A department added now hears of the launch only now: its leads get the late alert too.
    const noticeMs = draft.launchAt.getTime() - now.getTime();
    for (const [user, led] of leadsOf(config, added))
      await queue.dm({ user, note: "late", departments: led, noticeMs }, `late:${eventId}:${user}`);
  }
  return {
    changes,
    freshAcknowledgement: fresh,
    late: alertAll || alertAdded,
  };
}

/** Adds, re-activates and removes departments; a fresh acknowledgement clears every one. */
async function updateDepartments(
  tx: Transaction,
  campaignId: string,
  change: { departments: string[]; removed: string[]; fresh: boolean },
): Promise<void> {
  const ofCampaign = eq(campaignDepartments.campaignId, campaignId);
  if (change.removed.length > 0) {
    await tx
      .update(campaignDepartments)
      .set({ active: false })
      .where(and(ofCampaign, inArray(campaignDepartments.department, change.removed)));
  }
  await tx
    .insert(campaignDepartments)
    .values(change.departments.map((department) => ({ campaignId, department })))
    .onConflictDoUpdate({
      target: [campaignDepartments.campaignId, campaignDepartments.department],
      set: { active: true },
    });
  if (change.fresh) {
    await tx
      .update(campaignDepartments)
      .set({ acknowledgedBy: null, acknowledgedAt: null })
      .where(ofCampaign);
  }
}
