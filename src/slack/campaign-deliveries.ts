import type { WebClient } from "@slack/web-api";
import { and, eq } from "drizzle-orm";
import { acknowledgementRound } from "../db/acknowledgement-round.ts";
import { campaignThreads, loadCampaignView } from "../db/campaign-store.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks } from "../db/clock-codec.ts";
import { campaignDepartments, campaignEvents, campaigns, type OutboxRow } from "../db/schema.ts";
import type { FieldChange } from "../domain/campaign.ts";
import { campaignOutcome } from "../domain/campaign-outcome.ts";
import {
  type CampaignDmPayload,
  type CardReplyPayload,
  campaignQueue,
  type HeadsUpReplyPayload,
} from "../services/campaign-outbox.ts";
import { CAMPAIGN_OUTBOX_KINDS as KINDS } from "../services/outbox-kinds.ts";
import { calendarOf, departmentOf } from "../services/workspace-lookups.ts";
import { campaignModel } from "./campaign-model.ts";
import { cardPermalink, updatePosted } from "./card-permalink.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { type PostedItem, postOnce } from "./post-once.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";
import { buildCampaignCard } from "./views/campaign-card.ts";
import {
  buildCancelled,
  buildChanged,
  buildEndSummary,
  buildLateAlert,
  buildLaunchReport,
  buildLiveNow,
  buildOwnerNotice,
  buildReminder,
  buildRemoved,
  buildSpikeAlert,
} from "./views/campaign-notes.ts";
import type { CampaignModel } from "./views/campaign-text.ts";
import type { SlackMessage } from "./views/complaint-card.ts";
import { buildHeadsUpCard } from "./views/headsup-card.ts";
import type { MissingCard } from "./views/missing-card.ts";

type Where = { channel: string; ts: string };

async function modelOf(deps: DeliveryDeps, campaignId: unknown) {
  const view =
    typeof campaignId === "string" ? await loadCampaignView(deps.db.db, campaignId) : null;
  if (!view) throw new PermanentDeliveryError(`campaign ${String(campaignId)} not found`);
  const model = campaignModel(view, deps.config, deps.clock.now());
  const round = await acknowledgementRound(deps.db.db, view.campaign.id);
  return { view, model: { ...model, acknowledgementRound: round } };
}

/**
 * Where a department's heads-up is; null when it never reached Slack. Its replies and updates
 * share its order key, so they are only delivered once its post is settled.
 */
function headsUpOf(model: CampaignModel, department: string): Where | null {
  return model.departments.find((d) => d.key === department)?.headsUp ?? null;
}

/** Where the campaign card is; null when it never reached Slack (ordered like the heads-ups). */
function cardOf(campaign: { slackChannel: string | null; slackTs: string | null }): Where | null {
  return campaign.slackChannel && campaign.slackTs
    ? { channel: campaign.slackChannel, ts: campaign.slackTs }
    : null;
}

/** Posts an item's one message (once: see postOnce), in a thread when given. */
function post(
  client: WebClient,
  item: PostedItem,
  channel: string,
  message: SlackMessage,
  thread?: { ts: string; broadcast?: boolean },
) {
  const base = { channel, ...message, unfurl_links: false, unfurl_media: false };
  return postOnce(
    client,
    item,
    thread ? { ...base, thread_ts: thread.ts, reply_broadcast: thread.broadcast === true } : base,
  );
}

/** Posts a department's heads-up card and remembers where it went. */
function postHeadsUp(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const department = String(item.payload.department);
    const { model } = await modelOf(deps, item.payload.campaignId);
    if (model.departments.find((d) => d.key === department)?.headsUp) return undefined;
    const channel = departmentOf(deps.config, department)?.channel;
    if (!channel) throw new PermanentDeliveryError(`department ${department} has no channel`);
    const posted = await post(deps.client, item, channel, buildHeadsUpCard(model, department));
    return async (tx) => {
      await tx
        .update(campaignDepartments)
        .set({ slackChannel: posted.channel, slackTs: posted.ts })
        .where(
          and(
            eq(campaignDepartments.campaignId, model.id),
            eq(campaignDepartments.department, department),
          ),
        );
    };
  };
}

/** Re-renders a heads-up in place from the campaign as it is now. */
function updateHeadsUp(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const department = String(item.payload.department);
    const { model } = await modelOf(deps, item.payload.campaignId);
    const where = headsUpOf(model, department);
    if (!where) return undefined;
    await updatePosted(
      deps.client,
      { channel: where.channel, ts: where.ts, ...buildHeadsUpCard(model, department) },
      "heads_up",
    );
    return undefined;
  };
}

/** Posts the campaign's card in marketing's channel and remembers where it went. */
function postCard(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const { view, model } = await modelOf(deps, item.payload.campaignId);
    if (view.campaign.slackTs) return undefined;
    const channel = deps.config.campaigns?.channel;
    if (!channel) throw new PermanentDeliveryError("campaigns.channel is not configured");
    const posted = await post(deps.client, item, channel, buildCampaignCard(model));
    return async (tx) => {
      await tx
        .update(campaigns)
        .set({ slackChannel: posted.channel, slackTs: posted.ts })
        .where(eq(campaigns.id, model.id));
    };
  };
}

/** Re-renders the campaign card in place (acknowledgements, linked complaints, status). */
function updateCard(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const { view, model } = await modelOf(deps, item.payload.campaignId);
    const where = cardOf(view.campaign);
    if (!where) return undefined;
    await updatePosted(
      deps.client,
      { channel: where.channel, ts: where.ts, ...buildCampaignCard(model) },
      "campaign_card",
    );
    return undefined;
  };
}

async function editOf(deps: DeliveryDeps, eventId: unknown) {
  if (typeof eventId !== "number")
    return { changes: [] as FieldChange[], by: undefined, fresh: false };
  const [event] = await deps.db.db
    .select()
    .from(campaignEvents)
    .where(eq(campaignEvents.id, eventId));
  const details = (event?.details ?? {}) as {
    changes?: FieldChange[];
    freshAcknowledgement?: boolean;
  };
  return {
    changes: details.changes ?? [],
    by: /^slack:(.+)$/.exec(event?.actor ?? "")?.[1],
    fresh: details.freshAcknowledgement === true,
  };
}

/**
 * A reply under a department's heads-up, rendered now; nothing is sent when it no longer
 * applies (a reminder for a department that acknowledged meanwhile, "live" for a cancelled
 * campaign). Reminders are also shown in the channel, so the team sees them.
 */
function headsUpReply(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const p = item.payload as unknown as HeadsUpReplyPayload;
    const { model } = await modelOf(deps, p.campaignId);
    const department = model.departments.find((d) => d.key === p.department);
    const message = await replyFor(deps, model, p, department);
    if (!message) return undefined;
    const where = headsUpOf(model, p.department);
    const channel = where?.channel ?? departmentOf(deps.config, p.department)?.channel;
    if (!channel) throw new PermanentDeliveryError(`department ${p.department} has no channel`);
    const broadcast = p.note === "reminder" || p.note === "cancelled";
    await post(
      deps.client,
      item,
      channel,
      message,
      where ? { ts: where.ts, broadcast } : undefined,
    );
    return undefined;
  };
}

async function replyFor(
  deps: DeliveryDeps,
  model: CampaignModel,
  p: HeadsUpReplyPayload,
  department: CampaignModel["departments"][number] | undefined,
): Promise<SlackMessage | null> {
  const cancelled = model.status === "cancelled";
  switch (p.note) {
    case "reminder":
      if (
        cancelled ||
        model.status !== "upcoming" ||
        !department?.active ||
        department.acknowledgedBy
      )
        return null;
      return buildReminder(model, p.department, p.leadMs ?? 0);
    case "live":
      return cancelled || !department?.active ? null : buildLiveNow(model);
    case "changed": {
      if (cancelled || !department?.active) return null;
      const edit = await editOf(deps, p.eventId);
      const again = edit.fresh && !department.acknowledgedBy ? p.department : undefined;
      return buildChanged(model, { changes: edit.changes, by: edit.by, acknowledgeAgain: again });
    }
    case "cancelled":
      return buildCancelled(model, (await editOf(deps, p.eventId)).by);
    case "removed":
      return department?.active ? null : buildRemoved(model, p.department);
    default:
      return null;
  }
}

/** A reply under the campaign card: what changed, a spike, the end summary, the cancellation. */
function cardReply(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const p = item.payload as unknown as CardReplyPayload;
    const { view, model } = await modelOf(deps, p.campaignId);
    let message: SlackMessage;
    if (p.note === "changed") {
      const edit = await editOf(deps, p.eventId);
      message = buildChanged(model, { changes: edit.changes, by: edit.by });
    } else if (p.note === "spike" && p.spike) message = buildSpikeAlert(model, p.spike);
    else if (p.note === "summary") {
      const tailMs = deps.config.campaigns?.linkTailMs ?? 0;
      const linkedUntil = new Date(model.endAt.getTime() + tailMs);
      message = buildEndSummary(model, await outcomeOf(deps, model.id, model.endAt), linkedUntil);
    } else if (p.note === "cancelled")
      message = buildCancelled(model, (await editOf(deps, p.eventId)).by);
    else return undefined;
    const where = cardOf(view.campaign);
    const channel = where?.channel ?? deps.config.campaigns?.channel;
    if (!channel) throw new PermanentDeliveryError("campaigns.channel is not configured");
    await post(deps.client, item, channel, message, where ? { ts: where.ts } : undefined);
    return undefined;
  };
}

/** The end summary's figures, as of the campaign's end. */
async function outcomeOf(deps: DeliveryDeps, campaignId: string, endAt: Date) {
  const rows = await campaignThreads(deps.db.db, campaignId);
  return campaignOutcome({
    ...rows,
    threads: rows.threads.map((t) => ({ ...t, clocks: decodeClocks(t.clocks) })),
    asOf: endAt,
    calendarOf: (department) => calendarOf(deps.config, department),
  });
}

/** A direct message: a late announcement, the launch report, a spike alert. */
function dm(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const p = item.payload as unknown as CampaignDmPayload;
    const { view, model } = await modelOf(deps, p.campaignId);
    const unposted = p.note === "late" && model.status !== "cancelled" && headsUpToAwait(model, p);
    if (unposted) return (tx) => awaitHeadsUp(tx, deps, item, p, unposted);
    const message = await dmFor(deps, view.campaign, model, p);
    if (!message) return undefined;
    const im = await deps.client.conversations.open({ users: p.user });
    if (!im.channel?.id) throw new PermanentDeliveryError(`could not open a DM with ${p.user}`);
    await post(deps.client, item, im.channel.id, message);
    return undefined;
  };
}

/**
 * A department in a late alert whose heads-up is not in Slack yet, and not waited for before.
 * The alert links each heads-up, but it goes through the lead's own queue while the heads-ups
 * go through theirs, so it can come first; a second wait would be for a post that failed.
 */
function headsUpToAwait(model: CampaignModel, p: CampaignDmPayload): string | undefined {
  return (p.departments ?? []).find(
    (key) => !p.waitedFor?.includes(key) && !model.departments.find((d) => d.key === key)?.headsUp,
  );
}

/**
 * Queues the alert again behind the department's heads-up (its order key), where it is
 * delivered once the heads-up is posted, or has failed for good. One DM item per lead may
 * wait so in turn for each of its departments; this item is settled without a message.
 */
async function awaitHeadsUp(
  tx: Transaction,
  deps: DeliveryDeps,
  item: OutboxRow,
  p: CampaignDmPayload,
  department: string,
): Promise<void> {
  const { campaignId, ...payload } = p;
  const waitedFor = [...(p.waitedFor ?? []), department];
  await campaignQueue(tx, deps.config, campaignId, deps.clock.now()).dm(
    { ...payload, waitedFor },
    `late-after:${item.id}:${department}`,
    department,
  );
}

async function dmFor(
  deps: DeliveryDeps,
  campaign: { id: string; slackChannel: string | null; slackTs: string | null },
  model: CampaignModel,
  p: CampaignDmPayload,
): Promise<SlackMessage | null> {
  if (model.status === "cancelled") return null;
  switch (p.note) {
    case "late": {
      const links: Record<string, string> = {};
      const missing: Record<string, MissingCard> = {};
      for (const key of p.departments ?? []) {
        const where = model.departments.find((d) => d.key === key)?.headsUp;
        const link = where ? await cardPermalink(deps.client, where) : {};
        if (link.permalink) links[key] = link.permalink;
        if (link.missing) missing[key] = link.missing;
      }
      return buildLateAlert(model, {
        departments: p.departments ?? [],
        headsUpLinks: links,
        missingHeadsUps: missing,
        noticeMs: p.noticeMs,
      });
    }
    case "launch":
      return buildLaunchReport(model, p.unacknowledged ?? []);
    case "spike": {
      if (!p.spike) return null;
      const where = cardOf(campaign);
      const link = where ? await cardPermalink(deps.client, where) : {};
      return buildSpikeAlert(model, p.spike, link.permalink, link.missing);
    }
    case "owner": {
      // Handed on again before this was delivered: the later owner gets their own DM.
      if (model.owner !== p.user) return null;
      const where = cardOf(campaign);
      const link = where ? await cardPermalink(deps.client, where) : {};
      return buildOwnerNotice(model, {
        by: (await editOf(deps, p.eventId)).by,
        cardLink: link.permalink,
        missingCard: link.missing,
      });
    }
    default:
      return null;
  }
}

/** The delivery handler for every campaign outbox kind. */
export function createCampaignDeliveryHandlers(
  deps: DeliveryDeps,
): Record<string, DeliveryHandler> {
  return {
    [KINDS.postHeadsUp]: postHeadsUp(deps),
    [KINDS.updateHeadsUp]: updateHeadsUp(deps),
    [KINDS.postCard]: postCard(deps),
    [KINDS.updateCard]: updateCard(deps),
    [KINDS.headsUpReply]: headsUpReply(deps),
    [KINDS.cardReply]: cardReply(deps),
    [KINDS.dm]: dm(deps),
  };
}
