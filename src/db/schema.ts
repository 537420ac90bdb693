import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
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
    /** The learned model's version when it (not a rule) chose the department; see routing_models. */
    routingModelVersion: integer("routing_model_version"),
    /** complaint, question, praise or other: decides the thread's clocks and where it is shown. */
    kind: text("kind").notNull().default("complaint"),
    /** Why it has its kind: the rule, the model, the default, or who changed it. */
    kindReason: text("kind_reason"),
    /** What the message at slackChannel/slackTs is: "card" (the desk card) or "note" (e.g. #kudos). */
    slackSurface: text("slack_surface"),
    /**
     * When Slack first answered that the message at slackChannel/slackTs is gone (deleted in
     * Slack): its redraws are no longer queued. Cleared when a new card is posted.
     */
    cardDeletedAt: timestamp("card_deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("threads_conversation_uq").on(t.source, t.conversationKey),
    index("threads_state_idx").on(t.state),
    // The daily roll-up reads one kind's threads opened in a period.
    index("threads_kind_opened_idx").on(t.kind, t.openedAt),
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
    /**
     * Items with the same order key are delivered one at a time in id order, as a thread's
     * are: a campaign's replies and updates wait for the heads-up they belong under.
     */
    orderKey: text("order_key"),
    createdAt: createdAt(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    index("outbox_pending_idx").on(t.nextAttemptAt, t.id).where(sql`${t.status} = 'pending'`),
    index("outbox_thread_idx").on(t.threadId, t.id),
    index("outbox_order_idx").on(t.orderKey, t.id),
    /** Each channel is served in id order: the claim looks for an earlier pending item. */
    index("outbox_channel_idx").on(t.channel, t.id).where(sql`${t.status} = 'pending'`),
    uniqueIndex("outbox_dedupe_uq").on(t.dedupeKey),
  ],
);

/**
 * Everything that must happen at a due time: a thread's nudges, breach notices and
 * escalations, and (with other subject types) reminders and scheduled messages. Due times
 * live here, not in memory, so a restart loses none; the sweep locks each subject, then its
 * due rows (SKIP LOCKED), so two replicas never fire one twice.
 */
export const timers = pgTable(
  "timers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    /** What the timer belongs to: "thread", or another subject a sweep handler is registered for. */
    subjectType: text("subject_type").notNull(),
    /** The subject's id (a thread's uuid as text, …). */
    subjectId: text("subject_id").notNull(),
    /** Stable for one occurrence, e.g. "firstResponse@2026-…:warn:0.5"; unique per subject. */
    key: text("key").notNull(),
    /** What happens when it fires ("warning", "breach", …), for the subject's handler. */
    step: text("step").notNull(),
    /** Who it is for ("thread", "leads", a department key, …), for the subject's handler. */
    target: text("target").notNull(),
    /** The SLA clock a thread timer belongs to; null for other subjects. */
    clockKind: text("clock_kind"),
    /** Anything else the handler needs when it fires. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    fireAt: timestamp("fire_at", { withTimezone: true }).notNull(),
    /** pending -> fired | cancelled */
    status: text("status").notNull().default("pending"),
    firedAt: timestamp("fired_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("timers_subject_key_uq").on(t.subjectType, t.subjectId, t.key),
    index("timers_due_idx").on(t.fireAt).where(sql`${t.status} = 'pending'`),
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

/**
 * Models the learned router trained from the workspace's own history; the newest row is the
 * one in use. `id` is the version shown on cards and kept on each thread it routed.
 */
export const routingModels = pgTable("routing_models", {
  id: serial("id").primaryKey(),
  trainedAt: timestamp("trained_at", { withTimezone: true }).notNull(),
  /** Confirmed threads it learned from. */
  examples: integer("examples").notNull(),
  /** sha256 of `model`: retraining on an unchanged history adds no new version. */
  fingerprint: text("fingerprint").notNull(),
  /** The classifiers, as src/db/routing-model-store.ts writes and checks them. */
  model: jsonb("model").$type<Record<string, unknown>>().notNull(),
});

/**
 * Daily roll-ups of posts kept off the desk (kinds delivered by roll-up). One row per channel
 * and period: the unique key lets only one replica send each roll-up.
 */
export const kindRollups = pgTable(
  "kind_rollups",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull(),
    kinds: jsonb("kinds").$type<string[]>().notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("kind_rollups_channel_end_uq").on(t.channel, t.periodEnd)],
);

/**
 * The messages a roll-up was posted as, one per page, so that they can be redrawn when a
 * post they list changes kind (it leaves the list, or joins it).
 */
export const kindRollupMessages = pgTable(
  "kind_rollup_messages",
  {
    rollupId: bigint("rollup_id", { mode: "number" })
      .notNull()
      .references(() => kindRollups.id),
    page: integer("page").notNull(),
    pages: integer("pages").notNull(),
    daily: boolean("daily").notNull(),
    channel: text("channel").notNull(),
    ts: text("ts").notNull(),
  },
  (t) => [primaryKey({ columns: [t.rollupId, t.page] })],
);

/**
 * Nudges posted with a Claim button while their thread had no owner, and where they are, so
 * that the claim, hand-over or close that makes the button wrong can redraw them without it.
 * A row goes once its message is queued for that redraw.
 */
export const claimOffers = pgTable(
  "claim_offers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    /** The department the thread was in when the message offered it. */
    department: text("department").notNull(),
    /** Where Slack put it (a D… id for a DM). */
    channel: text("channel").notNull(),
    ts: text("ts").notNull(),
    /** The NudgePayload it was drawn from, so the redraw says what it said. */
    nudge: jsonb("nudge").$type<Record<string, unknown>>().notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("claim_offers_thread_idx").on(t.threadId)],
);

export type ClaimOfferRow = typeof claimOffers.$inferSelect;

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
export type TimerRow = typeof timers.$inferSelect;

/**
 * Every executive digest queued: its period, which departments it covers, and (once Slack
 * has it) the chart's file id, which the App Home shows and a retried delivery reuses.
 * A scheduled digest is one per slot: `slot` is the schedule's instant.
 */
export const digests = pgTable(
  "digests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    executive: text("executive").notNull(),
    /** "scheduled" or "on_demand" (/switchboard digest). */
    reason: text("reason").notNull(),
    /** The schedule's slot (ISO instant) for scheduled digests; null on demand. */
    slot: text("slot"),
    periodFrom: timestamp("period_from", { withTimezone: true }).notNull(),
    periodTo: timestamp("period_to", { withTimezone: true }).notNull(),
    /** Department keys covered; null means every department. */
    departments: jsonb("departments").$type<string[] | null>(),
    timezone: text("timezone").notNull(),
    /** The chart shared in the executive's DM (shown on their Home). */
    chartFileId: text("chart_file_id"),
    /**
     * The chart Slack gave a file id for, saved before files.completeUploadExternal: when its
     * answer is lost, a retry asks Slack (files.info) whether it was shared before uploading again.
     */
    chartUploadFileId: text("chart_upload_file_id"),
    createdAt: createdAt(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("digests_slot_uq").on(t.executive, t.slot),
    index("digests_executive_idx").on(t.executive, t.id),
  ],
);

/**
 * People who have opened Switchboard's App Home, and what it shows them: a change to a
 * thread republishes the Home of those it concerns (its owner, its department's members and
 * leads, executives, admins) instead of every member of the workspace.
 */
export const homeTabs = pgTable("home_tabs", {
  userId: text("user_id").primaryKey(),
  /** Department keys the user belongs to or leads, as Slack said when they last opened it. */
  departments: jsonb("departments").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
  /** A private note shown at the top until the next refresh (a refused click). */
  notice: text("notice"),
});

export type DigestRow = typeof digests.$inferSelect;
export type HomeTabRow = typeof homeTabs.$inferSelect;

/**
 * A marketing campaign announced to the departments it will affect. Its status (upcoming,
 * live, ended) follows from launch_at and end_at; only cancellation is stored.
 */
export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    description: text("description"),
    launchAt: timestamp("launch_at", { withTimezone: true }).notNull(),
    endAt: timestamp("end_at", { withTimezone: true }).notNull(),
    /** Marketing channels used: "email", "social", "tv", "in-store", "push", "other". */
    channels: jsonb("channels").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    audienceSize: integer("audience_size"),
    /** Complaints and questions marketing expects over the whole campaign. */
    expectedVolume: integer("expected_volume"),
    /** Phrases, hashtags and promo codes customers will write; complaints matching one are linked. */
    keywords: jsonb("keywords").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    talkingPoints: text("talking_points"),
    faqUrl: text("faq_url"),
    /** Slack user id of the person responsible; told at launch who never acknowledged. */
    owner: text("owner").notNull(),
    /** "slack:U123" or "intake:token#1". */
    announcedBy: text("announced_by").notNull(),
    announcedAt: timestamp("announced_at", { withTimezone: true }).notNull(),
    /**
     * When the departments learned of the current launch time: the announcement, or the edit
     * that last brought the launch forward (null: the announcement). Notice is launch minus this.
     */
    noticeFrom: timestamp("notice_from", { withTimezone: true }),
    /** Announced with less notice than campaigns.minimumNotice. */
    late: boolean("late").notNull().default(false),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancelledBy: text("cancelled_by"),
    /** Where the campaign's own card was posted (marketing's channel), once Slack accepted it. */
    slackChannel: text("slack_channel"),
    slackTs: text("slack_ts"),
    /** False after a spike alert, until the linked-complaint rate falls back below the threshold. */
    spikeArmed: boolean("spike_armed").notNull().default(true),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("campaigns_end_idx").on(t.endAt),
    // The campaigns API's paging order and its cursor's row comparison (campaign-store.ts).
    index("campaigns_announced_idx").on(t.announcedAt, t.id),
  ],
);

/** A department a campaign affects: its heads-up message and who acknowledged it. */
export const campaignDepartments = pgTable(
  "campaign_departments",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    department: text("department").notNull(),
    /** False once an edit took the department off the campaign (its heads-up says so). */
    active: boolean("active").notNull().default(true),
    slackChannel: text("slack_channel"),
    slackTs: text("slack_ts"),
    acknowledgedBy: text("acknowledged_by"),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.department] })],
);

/** Append-only log of a campaign's life (announced, acknowledged, edited, reminded…). */
export const campaignEvents = pgTable(
  "campaign_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actor: text("actor").notNull(),
    kind: text("kind").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index("campaign_events_campaign_idx").on(t.campaignId, t.id)],
);

/** A complaint whose words matched a campaign's keywords while the campaign was linking. */
export const complaintCampaigns = pgTable(
  "complaint_campaigns",
  {
    complaintId: uuid("complaint_id")
      .notNull()
      .references(() => complaints.id),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    /** The thread's department when the complaint arrived. */
    department: text("department").notNull(),
    /** The keyword that matched. */
    keyword: text("keyword").notNull(),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.complaintId, t.campaignId] }),
    index("complaint_campaigns_campaign_idx").on(t.campaignId, t.linkedAt),
    index("complaint_campaigns_thread_idx").on(t.threadId),
  ],
);

export type CampaignRow = typeof campaigns.$inferSelect;
export type CampaignDepartmentRow = typeof campaignDepartments.$inferSelect;
export type CampaignEventRow = typeof campaignEvents.$inferSelect;

/**
 * A hand-over DM Slack accepted, so that it can be redrawn when its thread changes: closed
 * or handed on, it shows the thread's state without buttons (settled_at set, never redrawn
 * again).
 */
export const handOverDms = pgTable(
  "handover_dms",
  {
    id: serial("id").primaryKey(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => threads.id),
    /** Slack user id of who the DM told. */
    userId: text("user_id").notNull(),
    slackChannel: text("slack_channel").notNull(),
    slackTs: text("slack_ts").notNull(),
    postedAt: timestamp("posted_at", { withTimezone: true }).notNull(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [index("handover_dms_thread_idx").on(t.threadId)],
);

export type HandOverDmRow = typeof handOverDms.$inferSelect;

/**
 * A problem with the Slack setup the bot met while working (a department's channel archived,
 * its user group deleted, a lead's or executive's account deactivated, the bot not in a
 * channel, a scope missing): one row per kind and subject, so a repeat updates it. It clears
 * itself (cleared_at) when the same thing later works; met again, it opens again.
 */
export const integrationProblems = pgTable(
  "integration_problems",
  {
    id: serial("id").primaryKey(),
    /** What is wrong: channel_archived, usergroup_gone, user_deactivated, not_in_channel, missing_scope. */
    kind: text("kind").notNull(),
    /** What it is wrong with: a channel (id or "#name"), a user group id, a user id, a scope. */
    subject: text("subject").notNull(),
    /** How an admin reads the subject ("#sb-service"); the subject itself when null. */
    label: text("label"),
    /** What it affects, as the workspace file names it (a department's or executive's name). */
    affects: text("affects"),
    /** The workspace-file key that would fix it (departments[2].usergroup), when one would. */
    configKey: text("config_key"),
    firstSeen: timestamp("first_seen", { withTimezone: true }).notNull(),
    lastSeen: timestamp("last_seen", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(1),
    clearedAt: timestamp("cleared_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("integration_problems_kind_subject_idx").on(t.kind, t.subject)],
);

export type IntegrationProblemRow = typeof integrationProblems.$inferSelect;
