import type { CampaignSettings, WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { enqueueCoalesced } from "../db/outbox-coalesce.ts";
import { enqueueOutbox } from "../db/outbox-store.ts";
import { campaignEvents } from "../db/schema.ts";
import { NotFoundError } from "../domain/errors.ts";
import { CAMPAIGN_OUTBOX_KINDS as KINDS } from "./outbox-kinds.ts";
import { departmentOf } from "./workspace-lookups.ts";

/** What a reply under a department's heads-up says. */
export type HeadsUpNote = "reminder" | "live" | "changed" | "cancelled" | "removed";
/** What a reply under the campaign card says. */
export type CardNote = "changed" | "spike" | "summary" | "cancelled";
/** Why a campaign DMs someone. */
export type DmNote = "late" | "launch" | "spike" | "owner";

/** A spike as the detector saw it when it alerted. */
export interface SpikeFacts {
  count: number;
  threshold: number;
  expected: number;
  windowMs: number;
}

export interface HeadsUpReplyPayload {
  campaignId: string;
  department: string;
  note: HeadsUpNote;
  /** The campaign event the reply is about (an edit's changes). */
  eventId?: number;
  /** A reminder's lead time before launch. */
  leadMs?: number;
}

export interface CardReplyPayload {
  campaignId: string;
  note: CardNote;
  eventId?: number;
  spike?: SpikeFacts;
}

export interface CampaignDmPayload {
  campaignId: string;
  user: string;
  note: DmNote;
  /** late: the recipient's affected departments (empty for the owner). */
  departments?: string[];
  /** late: the notice those departments got, when not the campaign's (a department added late). */
  noticeMs?: number;
  /** launch: departments that had not acknowledged when the campaign went live. */
  unacknowledged?: string[];
  spike?: SpikeFacts;
  /** owner: the edit that handed the campaign over (who did it). */
  eventId?: number;
  /** late: departments whose heads-up this DM already waited for (see campaign-deliveries). */
  waitedFor?: string[];
}

/** The campaigns section, or a NotFoundError saying how to turn the feature on. */
export function requireCampaignSettings(config: WorkspaceConfig): CampaignSettings {
  if (!config.campaigns) {
    throw new NotFoundError(
      "Campaign heads-ups are not set up: add a campaigns section to the workspace file (see docs/configuration.md#campaigns).",
    );
  }
  return config.campaigns;
}

/** Appends to a campaign's event log; returns the event's id. */
export async function recordCampaignEvent(
  tx: Transaction,
  event: {
    campaignId: string;
    at: Date;
    actor: string;
    kind: string;
    details?: Record<string, unknown>;
  },
): Promise<number> {
  const [row] = await tx
    .insert(campaignEvents)
    .values({ ...event, details: event.details ?? {} })
    .returning({ id: campaignEvents.id });
  if (!row) throw new Error("campaign event not recorded");
  return row.id;
}

/**
 * Queues a campaign's Slack messages inside the caller's transaction. Updates in place are
 * coalesced (one waiting update shows every change); posts with a dedupe key are queued once.
 */
export function campaignQueue(
  tx: Transaction,
  config: WorkspaceConfig,
  campaignId: string,
  now: Date,
) {
  const cardChannel = config.campaigns?.channel ?? null;
  const channelOf = (department: string) => departmentOf(config, department)?.channel ?? null;
  const dedupe = (key: string | undefined) => (key ? `campaign:${campaignId}:${key}` : null);
  // The card's messages, and each heads-up's, go one at a time: a reply waits for its post.
  const cardOrder = `campaign:${campaignId}:card`;
  const headsUpOrder = (department: string) => `campaign:${campaignId}:headsup:${department}`;
  return {
    postCard: () =>
      enqueueOutbox(
        tx,
        {
          kind: KINDS.postCard,
          channel: cardChannel,
          orderKey: cardOrder,
          payload: { campaignId },
          dedupeKey: dedupe("card"),
        },
        now,
      ),
    updateCard: () =>
      enqueueCoalesced(
        tx,
        {
          kind: KINDS.updateCard,
          channel: cardChannel,
          orderKey: cardOrder,
          payload: { campaignId },
        },
        now,
      ),
    postHeadsUp: (department: string, key = `headsup:${department}`) =>
      enqueueOutbox(
        tx,
        {
          kind: KINDS.postHeadsUp,
          channel: channelOf(department),
          orderKey: headsUpOrder(department),
          payload: { campaignId, department },
          dedupeKey: dedupe(key),
        },
        now,
      ),
    updateHeadsUp: (department: string) =>
      enqueueCoalesced(
        tx,
        {
          kind: KINDS.updateHeadsUp,
          channel: channelOf(department),
          orderKey: headsUpOrder(department),
          payload: { campaignId, department },
        },
        now,
      ),
    headsUpReply: (payload: Omit<HeadsUpReplyPayload, "campaignId">, key?: string) =>
      enqueueOutbox(
        tx,
        {
          kind: KINDS.headsUpReply,
          channel: channelOf(payload.department),
          orderKey: headsUpOrder(payload.department),
          payload: { campaignId, ...payload } satisfies HeadsUpReplyPayload,
          dedupeKey: dedupe(key),
        },
        now,
      ),
    cardReply: (payload: Omit<CardReplyPayload, "campaignId">, key?: string) =>
      enqueueOutbox(
        tx,
        {
          kind: KINDS.cardReply,
          channel: cardChannel,
          orderKey: cardOrder,
          payload: { campaignId, ...payload } satisfies CardReplyPayload,
          dedupeKey: dedupe(key),
        },
        now,
      ),
    /** A DM; `after` a department: delivered only once its heads-up's earlier items are settled. */
    dm: (payload: Omit<CampaignDmPayload, "campaignId">, key?: string, after?: string) =>
      enqueueOutbox(
        tx,
        {
          kind: KINDS.dm,
          channel: payload.user,
          orderKey: after === undefined ? null : headsUpOrder(after),
          payload: { campaignId, ...payload } satisfies CampaignDmPayload,
          dedupeKey: dedupe(key),
        },
        now,
      ),
  };
}

/** The leads of the given departments, each with the departments they lead among them. */
export function leadsOf(config: WorkspaceConfig, departments: readonly string[]) {
  const leads = new Map<string, string[]>();
  for (const key of departments) {
    for (const lead of departmentOf(config, key)?.leads ?? []) {
      leads.set(lead, [...(leads.get(lead) ?? []), key]);
    }
  }
  return leads;
}
