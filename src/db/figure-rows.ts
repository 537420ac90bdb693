import { and, gte, inArray, lt, sql } from "drizzle-orm";
import type {
  FigureBreach,
  FigureCampaign,
  FigureComplaint,
  FigureEvent,
  FigureThread,
} from "../domain/figures/figures-input.ts";
import type { ClockKind } from "../domain/sla-clock.ts";
import type { DatabaseHandle } from "./client.ts";
import { decodeClocks } from "./clock-codec.ts";
import { complaints, slaBreaches, threadEvents, threads } from "./schema.ts";

/** The rows the figures for [from, to) are computed from (see FiguresInput). */
export interface FigureRows {
  threads: FigureThread[];
  complaints: FigureComplaint[];
  events: FigureEvent[];
  breaches: FigureBreach[];
}

/** Above this many ids per query, the ids are sent in chunks (Postgres caps parameters at 65535). */
const CHUNK = 5_000;

/**
 * Loads every thread with an event, a complaint or a breach in [from, to), or still open,
 * with its whole event log and breaches, and the complaints received in the period.
 */
export async function loadFigureRows(
  handle: DatabaseHandle,
  period: { from: Date; to: Date },
): Promise<FigureRows> {
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const ids = await handle.query<{ id: string }>(sql`
    SELECT thread_id::text AS id FROM thread_events WHERE at >= ${from} AND at < ${to}
    UNION SELECT id::text FROM threads WHERE state NOT IN ('resolved', 'dismissed')
    UNION SELECT thread_id::text FROM sla_breaches WHERE due_at >= ${from} AND due_at < ${to}
    UNION SELECT thread_id::text FROM complaints WHERE received_at >= ${from} AND received_at < ${to}`);
  const threadIds = ids.map((r) => r.id);
  const rows: FigureRows = { threads: [], complaints: [], events: [], breaches: [] };
  for (let i = 0; i < threadIds.length; i += CHUNK) {
    const chunk = threadIds.slice(i, i + CHUNK);
    const [t, e, b] = await Promise.all([
      handle.db.select().from(threads).where(inArray(threads.id, chunk)),
      handle.db
        .select()
        .from(threadEvents)
        .where(inArray(threadEvents.threadId, chunk))
        .orderBy(threadEvents.id),
      handle.db.select().from(slaBreaches).where(inArray(slaBreaches.threadId, chunk)),
    ]);
    rows.threads.push(
      ...t.map((r) => ({
        id: r.id,
        department: r.department,
        priority: r.priority,
        state: r.state,
        owner: r.owner,
        openedAt: r.openedAt,
        clocks: decodeClocks(r.clocks),
        slackChannel: r.slackChannel,
        slackTs: r.slackTs,
        postKind: r.kind,
      })),
    );
    rows.events.push(
      ...e.map((r) => ({ threadId: r.threadId, at: r.at, kind: r.kind, details: r.details })),
    );
    rows.breaches.push(
      ...b.map((r) => ({
        threadId: r.threadId,
        clockKind: r.clockKind as ClockKind,
        clockStartedAt: r.clockStartedAt,
        department: r.department,
        priority: r.priority,
        dueAt: r.dueAt,
      })),
    );
  }
  rows.complaints = await handle.db
    .select({ threadId: complaints.threadId, receivedAt: complaints.receivedAt })
    .from(complaints)
    .where(and(gte(complaints.receivedAt, period.from), lt(complaints.receivedAt, period.to)));
  return rows;
}

/** Campaigns with the complaints linked to them that were received in [from, to). */
export async function loadFigureCampaigns(
  handle: DatabaseHandle,
  period: { from: Date; to: Date },
): Promise<FigureCampaign[]> {
  const rows = await handle.query<{
    id: string;
    name: string;
    thread_id: string;
    received_at: string | Date;
  }>(sql`
    SELECT ca.id::text AS id, ca.name, cc.thread_id::text AS thread_id, co.received_at
    FROM complaint_campaigns cc
    JOIN campaigns ca ON ca.id = cc.campaign_id
    JOIN complaints co ON co.id = cc.complaint_id
    WHERE co.received_at >= ${period.from.toISOString()} AND co.received_at < ${period.to.toISOString()}
    ORDER BY ca.id, co.received_at`);
  const byId = new Map<
    string,
    FigureCampaign & { linkedComplaints: FigureCampaign["linkedComplaints"][number][] }
  >();
  for (const r of rows) {
    const campaign = byId.get(r.id) ?? { id: r.id, name: r.name, linkedComplaints: [] };
    campaign.linkedComplaints.push({ threadId: r.thread_id, receivedAt: new Date(r.received_at) });
    byId.set(r.id, campaign);
  }
  return [...byId.values()];
}
