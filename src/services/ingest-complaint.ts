import { and, eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { campaignIdsOfComplaint } from "../db/campaign-store.ts";
import type { Executor, Transaction } from "../db/client.ts";
import { compiled } from "../db/compiled-query.ts";
import { openThread, type ThreadOpening } from "../db/open-thread.ts";
import { complaints, type ThreadRow, threads } from "../db/schema.ts";
import type { ComplaintFacts, Priority } from "../domain/complaint.ts";
import { ValidationError } from "../domain/errors.ts";
import type { PostKind } from "../domain/post-kinds.ts";
import { prioritizeComplaint } from "../domain/priority.ts";
import { adoptOpeningPost } from "./adopt-opening-post.ts";
import { classifyNewPost } from "./classify-post.ts";
import {
  blanksAsAbsent,
  ComplaintInput,
  describeIssues,
  postedAtAheadIssue,
} from "./complaint-input.ts";
import { describeActor, type ServiceContext } from "./context.ts";
import { addFollowUp } from "./follow-up.ts";
import { kindOf, offDeskKinds } from "./kind-profiles.ts";
import { type LinkingCampaign, linkCampaigns } from "./link-campaigns.ts";
import { refreshHomesOf } from "./refresh-homes.ts";
import { routePost } from "./route-post.ts";
import { type PostDecisions, threadOpening } from "./thread-opening.ts";

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
  const parsed = ComplaintInput.safeParse(blanksAsAbsent(rawInput));
  if (!parsed.success) throw new ValidationError(describeIssues(parsed.error));
  const input = parsed.data;
  const ahead = postedAtAheadIssue(input.postedAt, ctx.clock.now());
  if (ahead) throw new ValidationError([ahead]);
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

// A resend's lookup and a follow-up's insert, built once (src/db/compiled-query.ts); what a post
// opening a thread writes is one statement of its own (src/db/open-thread.ts).
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
  decided: Omit<PostDecisions, "rank">,
  tx: Transaction,
): Promise<IngestResult> {
  const now = ctx.clock.now();
  const decisions = { ...decided, rank: prioritizeComplaint(toFacts(input), policy.priority) };
  const opening = threadOpening(policy, input, decisions, describeActor(ctx.actor), now);
  const opened = await openThread(tx, opening);
  // A resend: the whole transaction rolls back, the thread it may have created included.
  if (opened.outcome === "resend") throw new DuplicateComplaint();
  if (opened.outcome === "conversation-has-thread")
    return fileFollowUp(ctx, policy, tx, input, opening, decisions);
  const { complaintId, threadId } = opening;
  const { department } = decided.route;
  const { kind } = decided.kind;
  const filed = { complaintId, threadId, department, kind, now };
  const campaignIds = await linkNew(ctx, policy, tx, input, filed, opened.linking);
  await refreshHomesOf(tx, opened.audience, now);
  const priority = decisions.rank.priority;
  ctx.logger.info("thread.opened", { threadId, department, priority, kind });
  return { complaintId, threadId, department, priority, kind, duplicate: false, campaignIds };
}

/** The conversation has its thread: the post is filed under it, as a follow-up. */
async function fileFollowUp(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  tx: Transaction,
  input: ComplaintInput,
  { complaintId, complaint, thread: { conversationKey }, event, now }: ThreadOpening,
  decisions: PostDecisions,
): Promise<IngestResult> {
  const thread = await lockThread(tx, input.source, conversationKey);
  const [inserted] = await insertComplaint(tx, {
    ...complaint,
    id: complaintId,
    threadId: thread.id,
    receivedAt: now,
  });
  if (!inserted) throw new DuplicateComplaint();
  const { department } = thread;
  const filed = { complaintId, threadId: thread.id, department, kind: decisions.kind.kind, now };
  // Campaigns read again: the opening statement read them before waiting for this lock.
  const campaignIds = await linkNew(ctx, policy, tx, input, filed);
  const followUp = {
    thread,
    complaintId,
    priority: decisions.rank,
    kind: decisions.kind,
    channel: departmentChannel(policy, department),
    now,
    actor: event.actor,
  };
  // The conversation's own first post, after a reply in it opened the thread: its id is the
  // conversation's, whether or not it came with a conversation id (a starter often has none).
  const after = isFirstPost(input, thread)
    ? await adoptOpeningPost(ctx, policy, tx, followUp)
    : await addFollowUp(ctx, policy, tx, followUp);
  return result(complaintId, after, after.priority as Priority, campaignIds);
}

/**
 * Whether a post filed in a known conversation is the one that started it. A thread opened by
 * a post without a conversation id is keyed by that post's id, and its resend never gets here.
 */
function isFirstPost(input: ComplaintInput, thread: ThreadRow): boolean {
  return input.externalId === thread.conversationKey;
}

/** Praise and chatter about a campaign are not complaints about it: no link, no spike. */
function linkNew(
  ctx: ServiceContext,
  policy: WorkspaceConfig,
  tx: Transaction,
  input: ComplaintInput,
  filed: { complaintId: string; threadId: string; department: string; kind: PostKind; now: Date },
  /** The campaigns linking now, when already read; read here when not. */
  linking?: readonly LinkingCampaign[],
): Promise<string[]> {
  if (offDeskKinds(policy).includes(filed.kind)) return Promise.resolve([]);
  return linkCampaigns(ctx, policy, tx, { ...filed, text: input.text }, linking);
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
