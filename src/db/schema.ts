import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { SlaClock } from "../domain/sla-clock.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** One customer conversation on one source; every complaint in it belongs to this thread. */
export const threads = pgTable(
  "threads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    source: text("source").notNull(),
    /** The source's conversation id, or the first complaint's external id when there is none. */
    conversationKey: text("conversation_key").notNull(),
    department: text("department").notNull(),
    priority: text("priority").notNull(),
    routingRule: text("routing_rule"),
    routingReason: text("routing_reason").notNull(),
    priorityReasons: jsonb("priority_reasons").$type<string[]>().notNull(),
    state: text("state").notNull().default("open"),
    owner: text("owner"),
    /** Where the card was posted; set once Slack accepted it. */
    slackChannel: text("slack_channel"),
    slackTs: text("slack_ts"),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    /** Bumped on every change, so concurrent writers can detect lost updates. */
    version: integer("version").notNull().default(1),
    /** The thread's SLA clocks (claim, first/next response, resolution), as the domain models them. */
    clocks: jsonb("clocks").$type<StoredClock[]>().notNull().default(sql`'[]'::jsonb`),
    /** Who owned it before it was reopened, offered on the card. */
    suggestedOwner: text("suggested_owner"),
    dismissReason: text("dismiss_reason"),
    /** Link to the public reply, when "Responded" gave one. */
    responseUrl: text("response_url"),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /**
     * The complaint that opened the thread, which the card shows. Not "the earliest received":
     * a follow-up that waited on the opener's lock can carry an earlier timestamp.
     */
    openingComplaintId: uuid("opening_complaint_id"),
  },
  (t) => [
    uniqueIndex("threads_conversation_uq").on(t.source, t.conversationKey),
    index("threads_state_idx").on(t.state),
  ],
);

/** One public post, as the intake API received it. */
export const complaints = pgTable(
  "complaints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    source: text("source").notNull(),
    externalId: text("external_id").notNull(),
    conversationId: text("conversation_id"),
    text: text("text").notNull(),
    url: text("url"),
    authorHandle: text("author_handle"),
    authorName: text("author_name"),
    authorFollowers: integer("author_followers"),
    authorVerified: boolean("author_verified"),
    metrics: jsonb("metrics").$type<{ shares?: number; likes?: number; replies?: number }>(),
    language: text("language"),
    postedAt: timestamp("posted_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    /** ts of the Slack message that shows this complaint (the card, or a reply under it). */
    slackTs: text("slack_ts"),
  },
  (t) => [
    uniqueIndex("complaints_source_external_uq").on(t.source, t.externalId),
    index("complaints_thread_idx").on(t.threadId),
  ],
);

/** Append-only log of every change to a thread; a trigger refuses UPDATE and DELETE. */
export const threadEvents = pgTable(
  "thread_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** "system", "intake", or "slack:U123". */
    actor: text("actor").notNull(),
    kind: text("kind").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index("thread_events_thread_idx").on(t.threadId, t.id)],
);

/**
 * Slack operations waiting to be delivered. Written in the same transaction as the change
 * that causes them, so a Slack outage or a crash loses nothing.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** Operations of one thread are delivered in id order (a reply needs its card's ts). */
    threadId: uuid("thread_id").references(() => threads.id),
    kind: text("kind").notNull(),
    /** Target channel, so a 429 for one channel holds back that channel's other messages. */
    channel: text("channel"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending -> delivered | failed */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull(),
    /** A worker owns the row until then; another replica will not touch it meanwhile. */
    lockedUntil: timestamp("locked_until", { withTimezone: true }),
    lockedBy: text("locked_by"),
    lastError: text("last_error"),
    /** Optional key that makes enqueueing idempotent (e.g. one nudge per timer). */
    dedupeKey: text("dedupe_key"),
    createdAt: createdAt(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("outbox_pending_idx").on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`),
    index("outbox_thread_idx").on(t.threadId, t.id),
    /** Each channel is served in id order: the claim looks for an earlier pending item. */
    index("outbox_channel_idx").on(t.channel, t.id).where(sql`${t.status} = 'pending'`),
    uniqueIndex("outbox_dedupe_uq").on(t.dedupeKey),
  ],
);

/**
 * Nudges, breach notices and escalations waiting to fire. Due times live here, not in
 * memory, so a restart loses none; the sweep takes due rows with SKIP LOCKED so two
 * replicas never fire one twice.
 */
export const threadTimers = pgTable(
  "thread_timers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    /** Stable for one run of one clock, e.g. "firstResponse@2026-…:warn:0.5". */
    key: text("key").notNull(),
    clockKind: text("clock_kind").notNull(),
    step: text("step").notNull(),
    target: text("target").notNull(),
    fireAt: timestamp("fire_at", { withTimezone: true }).notNull(),
    /** pending -> fired | cancelled */
    status: text("status").notNull().default("pending"),
    firedAt: timestamp("fired_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("thread_timers_key_uq").on(t.threadId, t.key),
    index("thread_timers_due_idx").on(t.fireAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Every SLA breach, kept for reporting (digests, compliance by department). */
export const slaBreaches = pgTable(
  "sla_breaches",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    clockKind: text("clock_kind").notNull(),
    clockStartedAt: timestamp("clock_started_at", { withTimezone: true }).notNull(),
    department: text("department").notNull(),
    priority: text("priority").notNull(),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("sla_breaches_clock_uq").on(t.threadId, t.clockKind, t.clockStartedAt),
    index("sla_breaches_department_idx").on(t.department, t.dueAt),
  ],
);

/** An SlaClock as JSON: dates as ISO strings. */
export type StoredClock = Omit<
  SlaClock,
  "startedAt" | "runningSince" | "stoppedAt" | "breachedAt"
> & {
  startedAt: string;
  runningSince: string | null;
  stoppedAt: string | null;
  breachedAt?: string | undefined;
};

export type ThreadRow = typeof threads.$inferSelect;
export type ComplaintRow = typeof complaints.$inferSelect;
export type ThreadEventRow = typeof threadEvents.$inferSelect;
/**
 * Channels Slack rate-limited (429), and until when. The outbox claims nothing for a held
 * channel, including items queued after the 429, on any replica.
 */
export const channelHolds = pgTable("channel_holds", {
  channel: text("channel").primaryKey(),
  until: timestamp("until", { withTimezone: true }).notNull(),
});

export type OutboxRow = typeof outbox.$inferSelect;
export type ThreadTimerRow = typeof threadTimers.$inferSelect;
