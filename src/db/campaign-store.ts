import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  type SQL,
  type SQLWrapper,
  sql,
} from "drizzle-orm";
import type { CampaignStatus } from "../domain/campaign.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { Executor, Transaction } from "./client.ts";
import { compiled } from "./compiled-query.ts";
import {
  type CampaignDepartmentRow,
  type CampaignRow,
  campaignDepartments,
  campaigns,
  complaintCampaigns,
  slaBreaches,
  threads,
} from "./schema.ts";
import { isRowId } from "./thread-queries.ts";

/** A campaign with its departments (active or not) and how many complaints are linked to it. */
export interface CampaignView {
  campaign: CampaignRow;
  departments: CampaignDepartmentRow[];
  linked: number;
}

/** Locks a campaign's row for the rest of the transaction (every change to a campaign does first). */
export async function lockCampaign(tx: Transaction, campaignId: string): Promise<CampaignRow> {
  const [row] = isRowId(campaignId)
    ? await tx.select().from(campaigns).where(eq(campaigns.id, campaignId)).for("update")
    : [];
  if (!row) throw new NotFoundError(`No campaign ${campaignId}`);
  return row;
}

/** A campaign as it is now, or null when there is none with that id. */
export async function loadCampaignView(
  executor: Executor,
  campaignId: string,
): Promise<CampaignView | null> {
  if (!isRowId(campaignId)) return null;
  const [campaign] = await executor.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) return null;
  const [views] = await viewsOf(executor, [campaign]);
  return views ?? null;
}

/**
 * Campaigns not cancelled that end after `endsAfter`, soonest launch first, with their views
 * (for the Slack list; the API pages with pageCampaignViews).
 */
export async function listCampaignViews(
  executor: Executor,
  filter: { endsAfter?: Date; limit?: number } = {},
): Promise<CampaignView[]> {
  const conditions = [
    isNull(campaigns.cancelledAt),
    ...(filter.endsAfter ? [gt(campaigns.endAt, filter.endsAfter)] : []),
  ];
  const rows = await executor
    .select()
    .from(campaigns)
    .where(and(...conditions))
    .orderBy(asc(campaigns.launchAt), asc(campaigns.id))
    .limit(filter.limit ?? 500);
  return viewsOf(executor, rows);
}

/** One page of campaigns, and whether more follow it. */
export interface CampaignPage {
  views: CampaignView[];
  /** The last campaign of the page, to continue after, when more follow. */
  continueAfter: string | null;
}

/**
 * A page of campaigns in the order they were announced (then by id), after the campaign
 * `after` when given. Announcement never changes, so a campaign keeps its place while a client
 * pages however it is edited, and campaigns announced since come last. Null when `after` names
 * no campaign.
 */
export async function pageCampaignViews(
  executor: Executor,
  page: CampaignPageRequest,
): Promise<CampaignPage | null> {
  const { after } = page;
  if (after !== undefined) {
    const [known] = isRowId(after)
      ? await executor.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, after))
      : [];
    if (!known) return null;
  }
  const rows = await campaignPageQuery(executor, page);
  const shown = rows.slice(0, page.limit);
  const more = rows.length > page.limit;
  return {
    views: await viewsOf(executor, shown),
    continueAfter: more ? (shown.at(-1)?.id ?? null) : null,
  };
}

/** What a page of the campaigns list asks for. */
export interface CampaignPageRequest {
  limit: number;
  after?: string | undefined;
  status?: { is: CampaignStatus; now: Date };
}

/**
 * The rows of a page, one more than it holds (which says whether another page follows). Its
 * order and the cursor's row comparison are the columns of campaigns_announced_idx, so
 * Postgres reads the page off the index instead of sorting every campaign.
 */
export function campaignPageQuery(executor: Executor, page: CampaignPageRequest) {
  const { after } = page;
  const conditions = [
    ...(page.status ? statusConditions(page.status.is, page.status.now) : []),
    // Compared in SQL with the stored instant: a client-side copy could lose its microseconds.
    ...(after !== undefined
      ? [
          sql`(${campaigns.announcedAt}, ${campaigns.id}) > (select c.announced_at, c.id from ${campaigns} c where c.id = ${after})`,
        ]
      : []),
  ];
  return executor
    .select()
    .from(campaigns)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(campaigns.announcedAt), asc(campaigns.id))
    .limit(page.limit + 1);
}

// In SQL, before the limit: filtering after it dropped every newer campaign once older ones
// filled the page.
function statusConditions(status: CampaignStatus, now: Date): SQL[] {
  if (status === "cancelled") return [isNotNull(campaigns.cancelledAt)];
  const notCancelled = isNull(campaigns.cancelledAt);
  if (status === "upcoming") return [notCancelled, gt(campaigns.launchAt, now)];
  if (status === "live")
    return [notCancelled, lte(campaigns.launchAt, now), gt(campaigns.endAt, now)];
  return [notCancelled, lte(campaigns.endAt, now)];
}

async function viewsOf(executor: Executor, rows: CampaignRow[]): Promise<CampaignView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const departments = await executor
    .select()
    .from(campaignDepartments)
    .where(inArray(campaignDepartments.campaignId, ids));
  const counts = await executor
    .select({ campaignId: complaintCampaigns.campaignId, n: count() })
    .from(complaintCampaigns)
    .where(inArray(complaintCampaigns.campaignId, ids))
    .groupBy(complaintCampaigns.campaignId);
  return rows.map((campaign) => ({
    campaign,
    departments: departments.filter((d) => d.campaignId === campaign.id),
    linked: counts.find((c) => c.campaignId === campaign.id)?.n ?? 0,
  }));
}

/** One department's row of a campaign, locked. */
export async function lockCampaignDepartment(
  tx: Transaction,
  campaignId: string,
  department: string,
): Promise<CampaignDepartmentRow | undefined> {
  const [row] = await tx
    .select()
    .from(campaignDepartments)
    .where(
      and(
        eq(campaignDepartments.campaignId, campaignId),
        eq(campaignDepartments.department, department),
      ),
    )
    .for("update");
  return row;
}

/** The campaigns linked to any complaint of a thread, for its card. */
export async function campaignsOfThread(
  executor: Executor,
  threadId: string,
): Promise<Array<{ id: string; name: string }>> {
  return executor
    .selectDistinct({ id: campaigns.id, name: campaigns.name })
    .from(complaintCampaigns)
    .innerJoin(campaigns, eq(complaintCampaigns.campaignId, campaigns.id))
    .where(eq(complaintCampaigns.threadId, threadId))
    .orderBy(campaigns.name, campaigns.id);
}

/** The ids of the campaigns a complaint is linked to. */
export async function campaignIdsOfComplaint(
  executor: Executor,
  complaintId: string,
): Promise<string[]> {
  const rows = await executor
    .select({ id: complaintCampaigns.campaignId })
    .from(complaintCampaigns)
    .where(eq(complaintCampaigns.complaintId, complaintId))
    .orderBy(complaintCampaigns.campaignId);
  return rows.map((r) => r.id);
}

/** Complaints linked to a campaign in (since, until]. */
export async function countLinkedSince(
  executor: Executor,
  campaignId: string,
  since: Date,
): Promise<number> {
  const [row] = await executor
    .select({ n: count() })
    .from(complaintCampaigns)
    .where(
      and(eq(complaintCampaigns.campaignId, campaignId), gt(complaintCampaigns.linkedAt, since)),
    );
  return row?.n ?? 0;
}

/**
 * What the end summary counts: the threads of the complaints linked to a campaign, with
 * their department and clocks now, and the breaches recorded for them.
 */
export async function campaignThreads(executor: Executor, campaignId: string) {
  const linkedThreads = executor
    .selectDistinct({ id: complaintCampaigns.threadId })
    .from(complaintCampaigns)
    .where(eq(complaintCampaigns.campaignId, campaignId));
  const linked = await executor
    .select({ threadId: complaintCampaigns.threadId, department: threads.department, n: count() })
    .from(complaintCampaigns)
    .innerJoin(threads, eq(complaintCampaigns.threadId, threads.id))
    .where(eq(complaintCampaigns.campaignId, campaignId))
    .groupBy(complaintCampaigns.threadId, threads.department);
  const rows = await executor
    .select({ id: threads.id, department: threads.department, clocks: threads.clocks })
    .from(threads)
    .where(inArray(threads.id, linkedThreads));
  const breaches = await executor
    .select()
    .from(slaBreaches)
    .where(inArray(slaBreaches.threadId, linkedThreads));
  return { linked, threads: rows, breaches };
}

/** Campaigns whose keywords may link a complaint arriving at `now` (announced, not cancelled, within the tail). */
export async function linkingCampaigns(
  executor: Executor,
  now: Date,
  tailMs: number,
): Promise<CampaignRow[]> {
  const endedBefore = new Date(now.getTime() - tailMs);
  // Every complaint asks (its SQL is built once: compiled-query.ts).
  return selectLinking(executor, {
    endedBefore: endedBefore.toISOString(),
    now: now.toISOString(),
  });
}

const selectLinking = compiled((db, p) =>
  db
    .select()
    .from(campaigns)
    .where(linkingCondition(p("endedBefore"), p("now")))
    .orderBy(desc(campaigns.launchAt)),
);

/**
 * A campaign links complaints from its announcement until the link tail after its end
 * (`endedBefore` is now minus the tail), unless cancelled. Shared with the statement that
 * opens a thread (open-thread.ts), which reads the linking campaigns as it writes.
 */
export function linkingCondition(endedBefore: SQLWrapper, now: SQLWrapper): SQL {
  return sql`${campaigns.cancelledAt} IS NULL AND ${campaigns.endAt} >= ${endedBefore}
    AND ${campaigns.announcedAt} <= ${now}`;
}

/** The channel id a department's heads-ups were posted to, for a department configured by "#name". */
export async function headsUpChannelOf(
  executor: Executor,
  department: string,
): Promise<string | null> {
  const [row] = await executor
    .select({ channel: campaignDepartments.slackChannel })
    .from(campaignDepartments)
    .where(
      and(
        eq(campaignDepartments.department, department),
        isNotNull(campaignDepartments.slackChannel),
      ),
    )
    .limit(1);
  return row?.channel ?? null;
}
