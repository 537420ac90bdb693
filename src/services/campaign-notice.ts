import { and, asc, eq } from "drizzle-orm";
import type { Transaction } from "../db/client.ts";
import { type CampaignRow, campaignEvents } from "../db/schema.ts";
import { type FieldChange, noticeFromLaunches, type ToldLaunch } from "../domain/campaign.ts";

/**
 * Since when every affected department has had notice of the launch an edit now sets, read
 * from the campaign's edit log: the launch times they were told (announced, then each edit
 * that moved it, then this edit's), and when each department now affected was last added (a
 * department added hears of the launch only then). The log, not the stored notice, because a
 * launch brought forward and then put back must count from when they first heard of that
 * launch, which one stored instant cannot remember.
 */
export async function noticeFromAfterEdit(
  tx: Transaction,
  campaign: CampaignRow,
  edit: { launchAt: Date; departments: readonly string[]; before: readonly string[]; now: Date },
): Promise<Date> {
  const { launchAt, now } = edit;
  const edits = await tx
    .select({ at: campaignEvents.at, details: campaignEvents.details })
    .from(campaignEvents)
    .where(
      and(eq(campaignEvents.campaignId, campaign.id), eq(campaignEvents.kind, "campaign.edited")),
    )
    .orderBy(asc(campaignEvents.id));
  const logged = edits.map(({ at, details }) => ({ at, changes: changesOf(details) }));
  const moves = logged.flatMap(({ at, changes }) => {
    const change = launchChangeOf(changes);
    return change ? [{ at, ...change }] : [];
  });
  const told: ToldLaunch[] = [
    // The first move's "from" is the launch announced; with no move yet it is still the stored one.
    { at: campaign.announcedAt, launchAt: moves[0]?.from ?? campaign.launchAt },
    ...moves.map((m) => ({ at: m.at, launchAt: m.to })),
    { at: now, launchAt },
  ];
  const added = new Map<string, Date>();
  for (const { at, changes } of logged)
    for (const department of addedBy(changes)) added.set(department, at);
  for (const department of edit.departments)
    if (!edit.before.includes(department)) added.set(department, now);
  const since = edit.departments.map((d) => added.get(d) ?? campaign.announcedAt);
  return latest([noticeFromLaunches(told, launchAt, now), ...since]);
}

function latest(dates: readonly Date[]): Date {
  return dates.reduce((a, b) => (b.getTime() > a.getTime() ? b : a));
}

function changesOf(details: Record<string, unknown>): FieldChange[] {
  return Array.isArray(details.changes) ? (details.changes as FieldChange[]) : [];
}

/** An edit's launch move, when it has one with readable instants. */
function launchChangeOf(changes: readonly FieldChange[]): { from: Date; to: Date } | undefined {
  const change = changes.find((c) => c?.field === "launchAt");
  if (!change || typeof change.from !== "string" || typeof change.to !== "string") return undefined;
  const from = new Date(change.from);
  const to = new Date(change.to);
  return Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) ? undefined : { from, to };
}

/** The departments an edit added (re-adding one removed earlier counts: it hears of it anew). */
function addedBy(changes: readonly FieldChange[]): string[] {
  const change = changes.find((c) => c?.field === "departments");
  if (!change || !Array.isArray(change.to)) return [];
  const before = Array.isArray(change.from) ? change.from : [];
  return change.to.filter((d): d is string => typeof d === "string" && !before.includes(d));
}
