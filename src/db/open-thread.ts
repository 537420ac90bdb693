import { sql } from "drizzle-orm";
import { linkingCondition } from "./campaign-store.ts";
import type { Executor } from "./client.ts";
import { compiledSql } from "./compiled-query.ts";
import { audienceCondition } from "./home-refresh-store.ts";
import { campaigns, homeTabs, type StoredClock } from "./schema.ts";
import {
  type PlannedStep,
  STEP_COLUMNS,
  STEP_FIELDS,
  STEP_RECORD,
  stepsJson,
} from "./timer-store.ts";

/** A complaint's columns as the intake API gives them (its ids and receipt time aside). */
export interface ComplaintColumns {
  source: string;
  externalId: string;
  conversationId: string | null;
  text: string;
  url: string | null;
  authorHandle: string | null;
  authorName: string | null;
  authorFollowers: number | null;
  authorVerified: boolean | null;
  metrics: Record<string, number> | null;
  language: string | null;
  postedAt: Date | null;
}

/** Everything a post that opens a conversation's thread writes, decided before it is written. */
export interface ThreadOpening {
  threadId: string;
  complaintId: string;
  now: Date;
  thread: {
    conversationKey: string;
    department: string;
    priority: string;
    routingRule: string | null;
    routingReason: string;
    routingModelVersion: number | null;
    priorityReasons: string[];
    kind: string;
    kindReason: string | null;
    clocks: StoredClock[];
  };
  complaint: ComplaintColumns;
  /** The thread.opened event. */
  event: { actor: string; details: Record<string, unknown> };
  /** The card (or note) to post, queued in the outbox; null posts nothing now. */
  card: { kind: string; channel: string | null } | null;
  /** The thread's timers (the subject is the new thread). */
  timers: { subjectType: string; plan: readonly PlannedStep[] };
  /**
   * Two questions the transaction asks next, answered by the same statement: the campaigns
   * linking now (those ended after `endedBefore` included; null: no campaigns configured)…
   */
  linking: { endedBefore: Date } | null;
  /** …and who of these people and departments has a Home to refresh (homeAudience). */
  homes: { users: readonly string[]; departments: readonly string[] };
}

export interface Opening {
  /** The thread opened; the conversation already had one (nothing written); the post is a resend. */
  outcome: "opened" | "conversation-has-thread" | "resend";
  /** Linking campaigns, latest launch first, as linkingCampaigns gives them. */
  linking: { id: string; keywords: string[] }[];
  /** Users whose Home shows the new thread; empty unless it opened. */
  audience: string[];
}

/**
 * Writes a new thread, its first complaint, the thread.opened event, the card's outbox row
 * and the timers in one statement: one round trip where they were five, and the statement
 * `npm run bench -- intake` counts per complaint. Each insert after the thread's reads the
 * thread's RETURNING, so when the conversation already has a thread (ON CONFLICT DO NOTHING,
 * which waits for a concurrent opener to commit) nothing is written; when the complaint is a
 * resend, the thread is written alone and the caller rolls the transaction back.
 */
export async function openThread(tx: Executor, opening: ThreadOpening): Promise<Opening> {
  const { thread, complaint: c, card, now } = opening;
  const [row] = await openThreadStatement(tx, {
    threadId: opening.threadId,
    complaintId: opening.complaintId,
    now: now.toISOString(),
    ...thread,
    priorityReasons: JSON.stringify(thread.priorityReasons),
    clocks: JSON.stringify(thread.clocks),
    ...c,
    metrics: c.metrics === null ? null : JSON.stringify(c.metrics),
    postedAt: c.postedAt?.toISOString() ?? null,
    actor: opening.event.actor,
    details: JSON.stringify(opening.event.details),
    cardKind: card?.kind ?? null,
    cardChannel: card?.channel ?? null,
    subjectType: opening.timers.subjectType,
    steps: stepsJson(opening.timers.plan),
    linking: opening.linking !== null,
    endedBefore: (opening.linking?.endedBefore ?? now).toISOString(),
    audienceUsers: JSON.stringify(opening.homes.users),
    audienceDepartments: JSON.stringify(opening.homes.departments),
  });
  if (!row) throw new Error("opening a thread returned no row");
  const linking = json<Opening["linking"]>(row.linking);
  if (!row.thread_id) return { outcome: "conversation-has-thread", linking, audience: [] };
  if (!row.complaint_id) return { outcome: "resend", linking, audience: [] };
  return { outcome: "opened", linking, audience: json<string[]>(row.audience) };
}

/** jsonb comes back parsed from both drivers as set up here; a string is parsed, should one arrive. */
function json<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

interface OpeningRow {
  thread_id: string | null;
  complaint_id: string | null;
  linking: unknown;
  audience: unknown;
}

const openThreadStatement = compiledSql<OpeningRow>(
  (p) => sql`WITH opened AS (
    INSERT INTO threads (id, source, conversation_key, department, priority, routing_rule,
      routing_reason, routing_model_version, priority_reasons, kind, kind_reason, clocks,
      opened_at, updated_at, opening_complaint_id)
    VALUES (${p("threadId")}::uuid, ${p("source")}::text, ${p("conversationKey")}::text,
      ${p("department")}::text, ${p("priority")}::text, ${p("routingRule")}::text,
      ${p("routingReason")}::text, ${p("routingModelVersion")}::integer,
      ${p("priorityReasons")}::jsonb, ${p("kind")}::text, ${p("kindReason")}::text,
      ${p("clocks")}::jsonb, ${p("now")}::timestamptz, ${p("now")}::timestamptz,
      ${p("complaintId")}::uuid)
    ON CONFLICT DO NOTHING
    RETURNING id
  ), filed AS (
    INSERT INTO complaints (id, thread_id, source, external_id, conversation_id, text, url,
      author_handle, author_name, author_followers, author_verified, metrics, language,
      posted_at, received_at)
    SELECT ${p("complaintId")}::uuid, opened.id, ${p("source")}::text, ${p("externalId")}::text,
      ${p("conversationId")}::text, ${p("text")}::text, ${p("url")}::text,
      ${p("authorHandle")}::text, ${p("authorName")}::text, ${p("authorFollowers")}::integer,
      ${p("authorVerified")}::boolean, ${p("metrics")}::jsonb, ${p("language")}::text,
      ${p("postedAt")}::timestamptz, ${p("now")}::timestamptz
    FROM opened
    ON CONFLICT DO NOTHING
    RETURNING id
  ), logged AS (
    INSERT INTO thread_events (thread_id, at, actor, kind, details)
    SELECT opened.id, ${p("now")}::timestamptz, ${p("actor")}::text, 'thread.opened',
      ${p("details")}::jsonb
    FROM opened, filed
  ), carded AS (
    INSERT INTO outbox (kind, thread_id, channel, payload, created_at, next_attempt_at)
    SELECT ${p("cardKind")}::text, opened.id, ${p("cardChannel")}::text,
      jsonb_build_object('threadId', opened.id), ${p("now")}::timestamptz, ${p("now")}::timestamptz
    FROM opened, filed
    WHERE ${p("cardKind")}::text IS NOT NULL
    ON CONFLICT DO NOTHING
  ), planned AS (
    INSERT INTO timers (${sql.raw(STEP_COLUMNS)})
    SELECT ${p("subjectType")}::text, opened.id::text, ${sql.raw(STEP_FIELDS)}
    FROM opened, filed, jsonb_to_recordset(${p("steps")}::jsonb) AS ${sql.raw(STEP_RECORD)}
  )
  SELECT (SELECT id FROM opened) AS thread_id, (SELECT id FROM filed) AS complaint_id,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('id', ${campaigns.id}, 'keywords', ${campaigns.keywords})
        ORDER BY ${campaigns.launchAt} DESC), '[]'::jsonb)
      FROM ${campaigns}
      WHERE ${p("linking")}::boolean
        AND ${linkingCondition(sql`${p("endedBefore")}::timestamptz`, sql`${p("now")}::timestamptz`)}
    ) AS linking,
    (SELECT coalesce(jsonb_agg(${homeTabs.userId}), '[]'::jsonb)
      FROM ${homeTabs}
      WHERE ${audienceCondition(p("audienceDepartments"), p("audienceUsers"))}
    ) AS audience`,
);
