import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { campaignIdsOfComplaint } from "../db/campaign-store.ts";
import type { Executor, Transaction } from "../db/client.ts";
import { encodeClocks } from "../db/clock-codec.ts";
import { compiled } from "../db/compiled-query.ts";
import { type ComplaintColumns, openThread } from "../db/open-thread.ts";
import { complaints, type ThreadRow, threads } from "../db/schema.ts";
import type { ComplaintFacts, Priority, RoutingDecision } from "../domain/complaint.ts";
import { ValidationError } from "../domain/errors.ts";
import type { KindDecision, PostKind } from "../domain/post-kinds.ts";
import { prioritizeComplaint } from "../domain/priority.ts";
import { startClocks } from "../domain/sla-clock.ts";
import { classifyNewPost } from "./classify-post.ts";
import { ComplaintInput, describeIssues } from "./complaint-input.ts";
import { describeActor, type ServiceContext } from "./context.ts";
import { THREAD_TIMERS } from "./fire-thread-timers.ts";
import { addFollowUp } from "./follow-up.ts";
import { firstPostTarget, keepKindClocks, kindOf, offDeskKinds } from "./kind-profiles.ts";
import { type LinkingCampaign, linkCampaigns } from "./link-campaigns.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";
import { refreshHomesOf, whoseHomesShow } from "./refresh-homes.ts";
import { routePost } from "./route-post.ts";
import { threadTimerPlan } from "./thread-transition.ts";
import { windowsFor } from "./workspace-lookups.ts";

export interface IngestResult {
  complaintId: string;
  threadId: string;
  department: string;
  priority: Priority;
  /** complaint, question, praise or other: what the post is, which decides its clocks. */
  kind: PostKind;
  /** True when this (source, externalId) was already received: nothing new was done. */
  duplicate: boolean;
  /** Campaigns whose keywords the complaint matched; empty when none. */
  campaignIds: string[];
}

/** Thrown inside the transaction to roll it back when the complaint turns out to be a resend. */
class DuplicateComplaint extends Error {}

function toFacts(input: ComplaintInput): ComplaintFacts {
  return {
    source: input.source,
    text: input.text,
    language: input.language,
    author: input.author,
    metrics: input.metrics,
  };
}

/**
 * Receives one public post: routes and prioritises it, files it in its conversation's
 * thread, and queues the Slack card (new thread) or thread reply (follow-up), all in one
 * transaction. A resend of the same (source, externalId) returns the first result and
 * changes nothing, even when copies arrive at the same moment.
 */
export async function ingestComplaint(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  rawInput: unknown,
): Promise<IngestResult> {
  const parsed = ComplaintInput.safeParse(rawInput);
  if (!parsed.success) throw new ValidationError(describeIssues(parsed.error));
  const input = parsed.data;
  // Before the transaction: routing may read the learned model, and PGlite runs one at a time.
  const decided = {
    route: await routePost(ctx, policy, toFacts(input)),
    kind: await classifyNewPost(ctx, policy, toFacts(input)),
  };
  // No lookup first: the complaint's insert finds a resend (its unique key), and the
  // transaction then rolls back. A lookup before it cost every new complaint a statement to
  // spare the rare resend three (`npm run bench -- intake`, statements per complaint).
  try {
    return await ctx.db.db.transaction((tx) => fileComplaint(ctx, policy, input, decided, tx));
  } catch (error) {
    if (!(error instanceof DuplicateComplaint)) throw error;
    const first = await findComplaint(ctx.db.db, input.source, input.externalId);
    if (!first) throw new Error("duplicate complaint vanished", { cause: error });
    return first;
  }
}

// The statements of a new complaint, built once (src/db/compiled-query.ts).
const selectComplaint = compiled((db, p) =>
  db
    .select({
      complaintId: complaints.id,
      threadId: threads.id,
      department: threads.department,
      priority: threads.priority,
      kind: threads.kind,
    })
    .from(complaints)
    .innerJoin(threads, eq(complaints.threadId, threads.id))
    .where(and(eq(complaints.source, p("source")), eq(complaints.externalId, p("externalId")))),
);

const insertComplaint = compiled((db, p) =>
  db
    .insert(complaints)
    .values({
      id: p("id"),
      threadId: p("threadId"),
      source: p("source"),
      externalId: p("externalId"),
      conversationId: p("conversationId"),
      text: p("text"),
      url: p("url"),
      authorHandle: p("authorHandle"),
      authorName: p("authorName"),
      authorFollowers: p("authorFollowers"),
      authorVerified: p("authorVerified"),
      metrics: p("metrics"),
      language: p("language"),
      postedAt: p("postedAt"),
      receivedAt: p("receivedAt"),
    })
    .onConflictDoNothing()
    .returning({ id: complaints.id }),
);

async function findComplaint(
  executor: Executor,
  source: string,
  externalId: string,
): Promise<IngestResult | null> {
  const [row] = await selectComplaint(executor, { source, externalId });
  if (!row) return null;
  const campaignIds = await campaignIdsOfComplaint(executor, row.complaintId);
  return {
    ...row,
    priority: row.priority as Priority,
    kind: kindOf(row.kind),
    duplicate: true,
    campaignIds,
  };
}

async function fileComplaint(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  input: ComplaintInput,
  { route, kind }: { route: RoutingDecision; kind: KindDecision },
  tx: Transaction,
): Promise<IngestResult> {
  const now = ctx.clock.now();
  const facts = toFacts(input);
  const rank = prioritizeComplaint(facts, policy.priority);
  // A post without a conversation id starts its own, keyed by its id: on X/Twitter and
  // Facebook a reply's conversation id is the id of the post that started it.
  const conversationKey = input.conversationId ?? input.externalId;
  // Chosen here so a new thread names its opening complaint as it is inserted (no UPDATE after),
  // and its timers their subject, all in the one statement that opens it.
  const complaintId = randomUUID();
  const threadId = randomUUID();
  const actor = describeActor(ctx.actor);
  const complaint = complaintColumns(input);
  const clocks = keepKindClocks(
    policy,
    kind.kind,
    startClocks(now, windowsFor(policy, rank.priority)),
  );
  const opening = { department: route.department, kind: kind.kind, state: "open" };
  const card = firstPostTarget(policy, opening);
  const opened = await openThread(tx, {
    threadId,
    complaintId,
    now,
    thread: {
      conversationKey,
      department: route.department,
      priority: rank.priority,
      routingRule: route.rule,
      routingReason: route.reason,
      routingModelVersion: route.modelVersion ?? null,
      priorityReasons: rank.reasons,
      kind: kind.kind,
      kindReason: kind.reason,
      clocks: encodeClocks(clocks),
    },
    complaint,
    event: {
      actor,
      details: {
        complaintId,
        department: route.department,
        rule: route.rule,
        routingReason: route.reason,
        ...(route.modelVersion === undefined ? {} : { modelVersion: route.modelVersion }),
        priority: rank.priority,
        priorityReasons: rank.reasons,
        kind: kind.kind,
        kindReason: kind.reason,
      },
    },
    // Roll-up kinds post nothing now; every other kind gets its card or note.
    card: card && { kind: OUTBOX_KINDS.postCard, channel: card.channel },
    timers: { subjectType: THREAD_TIMERS, plan: threadTimerPlan(policy, opening, clocks) },
    linking: policy.campaigns
      ? { endedBefore: new Date(now.getTime() - policy.campaigns.linkTailMs) }
      : null,
    homes: whoseHomesShow(policy, { departments: [route.department], users: [] }),
  });
  const { outcome, linking } = opened;
  // A resend: the whole transaction rolls back, the thread it may have created included.
  if (outcome === "resend") throw new DuplicateComplaint();
  if (outcome === "opened") {
    const filed = { complaintId, threadId, department: route.department, kind: kind.kind, now };
    const campaignIds = await linkNew(ctx, policy, tx, input, filed, linking);
    await refreshHomesOf(tx, opened.audience, now);
    ctx.logger.info("thread.opened", {
      threadId,
      department: route.department,
      priority: rank.priority,
      kind: kind.kind,
    });
    return {
      complaintId,
      threadId,
      department: route.department,
      priority: rank.priority,
      kind: kind.kind,
      duplicate: false,
      campaignIds,
    };
  }
  // The conversation has its thread: file the post under it.
  const thread = await lockThread(tx, input.source, conversationKey);
  const [inserted] = await insertComplaint(tx, {
    ...complaint,
    id: complaintId,
    threadId: thread.id,
    receivedAt: now,
  });
  if (!inserted) throw new DuplicateComplaint();
  const filed = { complaintId, threadId: thread.id, department: thread.department, now };
  const campaignIds = await linkNew(ctx, policy, tx, input, { ...filed, kind: kind.kind }, linking);
  const after = await addFollowUp(ctx, policy, tx, {
    thread,
    complaintId,
    priority: rank,
    kind,
    channel: departmentChannel(policy, thread.department),
    now,
    actor,
  });
  return result(complaintId, after, after.priority as Priority, campaignIds);
}

/** Praise and chatter about a campaign are not complaints about it: no link, no spike. */
function linkNew(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  tx: Transaction,
  input: ComplaintInput,
  filed: { complaintId: string; threadId: string; department: string; kind: PostKind; now: Date },
  linking: readonly LinkingCampaign[],
): Promise<string[]> {
  if (offDeskKinds(policy).includes(filed.kind)) return Promise.resolve([]);
  return linkCampaigns(ctx, policy, tx, { ...filed, text: input.text }, linking);
}

function complaintColumns(input: ComplaintInput): ComplaintColumns {
  return {
    source: input.source,
    externalId: input.externalId,
    conversationId: input.conversationId ?? null,
    text: input.text,
    url: input.url ?? null,
    authorHandle: input.author?.handle ?? null,
    authorName: input.author?.name ?? null,
    authorFollowers: input.author?.followers ?? null,
    authorVerified: input.author?.verified ?? null,
    metrics: input.metrics ?? null,
    language: input.language ?? null,
    postedAt: input.postedAt ? new Date(input.postedAt) : null,
  };
}

async function lockThread(
  tx: Transaction,
  source: string,
  conversationKey: string,
): Promise<ThreadRow> {
  const [thread] = await tx
    .select()
    .from(threads)
    .where(and(eq(threads.source, source), eq(threads.conversationKey, conversationKey)))
    .for("update");
  if (!thread) throw new Error(`thread ${source}/${conversationKey} not found after conflict`);
  return thread;
}

function departmentChannel(policy: WorkspaceConfig, key: string): string | null {
  return policy.departments.find((d) => d.key === key)?.channel ?? null;
}

function result(
  complaintId: string,
  thread: ThreadRow,
  priority: Priority,
  campaignIds: string[],
): IngestResult {
  return {
    complaintId,
    threadId: thread.id,
    department: thread.department,
    priority,
    kind: kindOf(thread.kind),
    duplicate: false,
    campaignIds,
  };
}
