import { and, asc, eq } from "drizzle-orm";
import type { Transaction } from "../db/client.ts";
import { type CampaignRow, campaignEvents } from "../db/schema.ts";
import { type FieldChange, noticeFromLaunches, type ToldLaunch } from "../domain/campaign.ts";

/**
 * Since when the departments have had notice of the launch an edit now sets, read from the
 * campaign's edit log: every launch time they were told (announced, then each edit that moved
 * it) plus this edit's. The log, not the stored notice, because a launch brought forward and
 * then put back must count from when they first heard of that launch, which one stored instant
 * cannot remember.
 */
export async function noticeFromAfterEdit(
  tx: Transaction,
  campaign: CampaignRow,
  launchAt: Date,
  now: Date,
): Promise<Date> {
  const edits = await tx
    .select({ at: campaignEvents.at, details: campaignEvents.details })
    .from(campaignEvents)
    .where(
      and(eq(campaignEvents.campaignId, campaign.id), eq(campaignEvents.kind, "campaign.edited")),
    )
    .orderBy(asc(campaignEvents.id));
  const moves = edits.flatMap(({ at, details }) => {
    const change = launchChangeOf(details);
    return change ? [{ at, ...change }] : [];
  });
  const told: ToldLaunch[] = [
    // The first move's "from" is the launch announced; with no move yet it is still the stored one.
    { at: campaign.announcedAt, launchAt: moves[0]?.from ?? campaign.launchAt },
    ...moves.map((m) => ({ at: m.at, launchAt: m.to })),
    { at: now, launchAt },
  ];
  return noticeFromLaunches(told, launchAt, now);
}

/** An edit event's launch move, when it has one with readable instants. */
function launchChangeOf(details: Record<string, unknown>): { from: Date; to: Date } | undefined {
  const changes = Array.isArray(details.changes) ? (details.changes as FieldChange[]) : [];
  const change = changes.find((c) => c?.field === "launchAt");
  if (!change || typeof change.from !== "string" || typeof change.to !== "string") return undefined;
  const from = new Date(change.from);
  const to = new Date(change.to);
  return Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) ? undefined : { from, to };
}
