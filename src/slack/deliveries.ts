import type { WebClient } from "@slack/web-api";
import { eq } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import { type ComplaintRow, complaints, threads } from "../db/schema.ts";
import { loadComplaintWithThread, loadThreadView, type ThreadView } from "../db/thread-queries.ts";
import type { Priority } from "../domain/complaint.ts";
import { OUTBOX_KINDS } from "../services/outbox-kinds.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";
import {
  buildComplaintCard,
  buildFollowUpReply,
  type ComplaintCardModel,
} from "./views/complaint-card.ts";

export interface DeliveryDeps {
  db: DatabaseHandle;
  client: WebClient;
  departments: Array<{ key: string; name: string; channel: string }>;
}

function authorOf(c: ComplaintRow) {
  if (!c.authorHandle) return undefined;
  return {
    handle: c.authorHandle,
    ...(c.authorName ? { name: c.authorName } : {}),
    ...(c.authorFollowers !== null ? { followers: c.authorFollowers } : {}),
    ...(c.authorVerified !== null ? { verified: c.authorVerified } : {}),
  };
}

function cardModel(view: ThreadView, deps: DeliveryDeps): ComplaintCardModel {
  const { thread, first } = view;
  const department = deps.departments.find((d) => d.key === thread.department);
  return {
    threadId: thread.id,
    source: first.source,
    text: first.text,
    url: first.url ?? undefined,
    author: authorOf(first),
    metrics: first.metrics ?? undefined,
    postedAt: first.postedAt ?? undefined,
    priority: thread.priority as Priority,
    priorityReasons: thread.priorityReasons,
    department: { key: thread.department, name: department?.name ?? thread.department },
    routing: {
      department: thread.department,
      rule: thread.routingRule,
      reason: thread.routingReason,
    },
    state: thread.state,
    owner: thread.owner ?? undefined,
    followUps: view.followUps,
  };
}

async function requireThreadView(deps: DeliveryDeps, threadId: unknown): Promise<ThreadView> {
  const view = typeof threadId === "string" ? await loadThreadView(deps.db.db, threadId) : null;
  if (!view) throw new PermanentDeliveryError(`thread ${String(threadId)} not found`);
  return view;
}

/** Posts a new thread's card in its department's channel and remembers where it went. */
function postCard(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const view = await requireThreadView(deps, item.payload.threadId);
    const channel = deps.departments.find((d) => d.key === view.thread.department)?.channel;
    if (!channel)
      throw new PermanentDeliveryError(`department ${view.thread.department} has no channel`);
    const card = buildComplaintCard(cardModel(view, deps));
    const res = await deps.client.chat.postMessage({
      channel,
      ...card,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!res.ts || !res.channel)
      throw new PermanentDeliveryError("chat.postMessage returned no ts");
    const { ts, channel: channelId } = res;
    return async (tx) => {
      await tx
        .update(threads)
        .set({ slackChannel: channelId, slackTs: ts })
        .where(eq(threads.id, view.thread.id));
      await tx.update(complaints).set({ slackTs: ts }).where(eq(complaints.id, view.first.id));
    };
  };
}

/** Posts a follow-up under its thread's card. */
function postReply(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const id = item.payload.complaintId;
    const found = typeof id === "string" ? await loadComplaintWithThread(deps.db.db, id) : null;
    if (!found) throw new PermanentDeliveryError(`complaint ${String(id)} not found`);
    const { complaint, thread } = found;
    if (!thread.slackChannel || !thread.slackTs) {
      // The card itself failed permanently (earlier items of a thread go first).
      throw new PermanentDeliveryError("card_not_posted: the thread's card never reached Slack");
    }
    const reply = buildFollowUpReply({
      text: complaint.text,
      author: authorOf(complaint),
      url: complaint.url ?? undefined,
      postedAt: complaint.postedAt ?? undefined,
      source: complaint.source,
    });
    const res = await deps.client.chat.postMessage({
      channel: thread.slackChannel,
      thread_ts: thread.slackTs,
      ...reply,
      unfurl_links: false,
      unfurl_media: false,
    });
    const ts = res.ts;
    return async (tx) => {
      if (ts)
        await tx.update(complaints).set({ slackTs: ts }).where(eq(complaints.id, complaint.id));
    };
  };
}

/** Re-renders a thread's card in place, from the thread as it is now. */
function updateCard(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const view = await requireThreadView(deps, item.payload.threadId);
    const { slackChannel, slackTs } = view.thread;
    if (!slackChannel || !slackTs)
      throw new PermanentDeliveryError("card_not_posted: nothing to update");
    await deps.client.chat.update({
      channel: slackChannel,
      ts: slackTs,
      ...buildComplaintCard(cardModel(view, deps)),
    });
    return undefined;
  };
}

/** The delivery handler for every outbox kind. */
export function createDeliveryHandlers(deps: DeliveryDeps): Record<string, DeliveryHandler> {
  return {
    [OUTBOX_KINDS.postCard]: postCard(deps),
    [OUTBOX_KINDS.postReply]: postReply(deps),
    [OUTBOX_KINDS.updateCard]: updateCard(deps),
  };
}
