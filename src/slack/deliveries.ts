import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { campaignsOfThread } from "../db/campaign-store.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks } from "../db/clock-codec.ts";
import { enqueueCardOp, enqueueOutbox } from "../db/outbox-store.ts";
import { type ComplaintRow, complaints, type OutboxRow, outbox, threads } from "../db/schema.ts";
import { loadComplaintWithThread, type ThreadView } from "../db/thread-queries.ts";
import type { Priority } from "../domain/complaint.ts";
import { dueAt, isBreached } from "../domain/sla-clock.ts";
import type { DismissReason, ThreadState } from "../domain/thread-lifecycle.ts";
import { redrawLeftBehind } from "../services/card-updates.ts";
import { firstPostTarget, kindOf, offDeskKinds } from "../services/kind-profiles.ts";
import { CAMPAIGN_OUTBOX_KINDS, OUTBOX_KINDS } from "../services/outbox-kinds.ts";
import { deactivatedUserProblem } from "../services/setup-problem-subjects.ts";
import type { HandOverNoticePayload } from "../services/thread-transition.ts";
import {
  calendarOf,
  departmentOf,
  officeHoursLeft,
  timezoneOf,
} from "../services/workspace-lookups.ts";
import { archivedChannelFailure, isArchivedChannel } from "./archived-channel.ts";
import { createCampaignDeliveryHandlers } from "./campaign-deliveries.ts";
import { type CardLink, cardPermalink, isThreadGone, updatePosted } from "./card-permalink.ts";
import {
  cardRefused,
  type DeliveryDeps,
  requirePosted,
  requireThreadView,
} from "./delivery-support.ts";
import { digestDeliveryHandlers } from "./digest-deliveries.ts";
import { isHandOverStale } from "./handover-dm.ts";
import { recordHandOverDm, updateHandOverDms } from "./handover-dm-updates.ts";
import { nudge, withdrawClaim } from "./nudge-delivery.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { noteOwnerGone } from "./owner-gone-delivery.ts";
import { returnToOwner } from "./owner-return-delivery.ts";
import { postOnce } from "./post-once.ts";
import { kindRollup, updateKindRollup } from "./rollup-delivery.ts";
import { isUserDeactivated, PermanentDeliveryError } from "./slack-errors.ts";
import { renderThreadMessage, surfaceOf } from "./thread-message.ts";
import {
  buildFollowUpReply,
  type ComplaintCardModel,
  type SlackMessage,
} from "./views/complaint-card.ts";
import { buildHandOverNotice } from "./views/handover-notice.ts";
import { buildMovedNote } from "./views/kind-note.ts";
import type { MissingCard } from "./views/missing-card.ts";
import { buildMovedCard } from "./views/moved-card.ts";

function authorOf(c: ComplaintRow) {
  if (!c.authorHandle) return undefined;
  return {
    handle: c.authorHandle,
    ...(c.authorName ? { name: c.authorName } : {}),
    ...(c.authorFollowers !== null ? { followers: c.authorFollowers } : {}),
    ...(c.authorVerified !== null ? { verified: c.authorVerified } : {}),
  };
}

/**
 * The card as the thread is now: state, owner, a due line per clock still running or paused,
 * and, after a hand-over, where it came from, who sent it and why.
 */
export function cardModel(
  view: ThreadView,
  config: WorkspaceConfig,
  now: Date,
): ComplaintCardModel {
  const { thread, first } = view;
  const name = (key: string) => departmentOf(config, key)?.name ?? key;
  // Routing chose the department the first hand-over left; the last one brought it here.
  const routedTo = view.handOvers[0]?.from ?? thread.department;
  const last = view.handOvers.at(-1);
  const handedOver = last?.to === thread.department ? last : undefined;
  const calendar = calendarOf(config, thread.department);
  const dues = decodeClocks(thread.clocks)
    .filter((c) => c.stoppedAt === null)
    .map((c) => ({
      kind: c.kind,
      dueAt: dueAt(c, calendar),
      breached: isBreached(c, now, calendar),
      workingLeftMs: officeHoursLeft(config, thread.department, c, now),
    }));
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
    department: {
      key: thread.department,
      name: name(thread.department),
    },
    routing: {
      department: routedTo,
      rule: thread.routingRule,
      reason: thread.routingReason,
    },
    handedOver: handedOver && {
      from: name(handedOver.from),
      by: handedOver.by,
      note: handedOver.note,
      at: handedOver.at,
    },
    routedTo: routedTo === thread.department ? undefined : name(routedTo),
    state: thread.state as ThreadState,
    owner: thread.owner ?? undefined,
    suggestedOwner: thread.suggestedOwner ?? undefined,
    changedBy: changedBy(view),
    dismissReason: (thread.dismissReason as DismissReason | null) ?? undefined,
    responseUrl: thread.responseUrl ?? undefined,
    followUps: view.followUps,
    dues,
    now,
    timezone: timezoneOf(config, thread.department),
    kind: { kind: kindOf(thread.kind), reason: thread.kindReason ?? undefined },
    offDesk: offDeskKinds(config).includes(kindOf(thread.kind)),
  };
}

/** The changes whose author the card names (when not its owner); others are in the timeline. */
const NAMED_CHANGES: Record<string, ThreadState[]> = {
  "thread.resolve": ["resolved"],
  "thread.dismiss": ["dismissed"],
  "thread.hand_over_person": ["claimed", "responded", "waiting_on_customer"],
};

/** Who resolved or dismissed the thread, or handed it to its owner, if that is where it stands. */
function changedBy(view: ThreadView): string | undefined {
  const last = view.lastChange;
  const states = last && NAMED_CHANGES[last.kind];
  return states?.includes(view.thread.state as ThreadState) ? last?.by : undefined;
}

/**
 * Posts a thread's message and remembers where it went: its card in its department's
 * channel, or, for a kind off the desk, a note in that kind's channel (roll-up kinds: none).
 */
function postCard(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const view = await requireThreadView(deps, item.payload.threadId);
    const target = firstPostTarget(deps.config, view.thread);
    if (!target) return undefined;
    // A kind change queued this; an earlier queued post may already have put it there.
    if (item.payload.reason === "kind" && view.thread.slackSurface === target.surface)
      return undefined;
    const { channel, surface } = target;
    if (!channel)
      throw new PermanentDeliveryError(`department ${view.thread.department} has no channel`);
    const now = deps.clock.now();
    const campaigns = await campaignsOfThread(deps.db.db, view.thread.id);
    const card = renderThreadMessage(
      view,
      deps.config,
      (v) => ({ ...cardModel(v, deps.config, now), campaigns }),
      surface,
    );
    const { ts, channel: channelId } = await postOnce(deps.client, item, {
      channel,
      ...card,
      unfurl_links: false,
      unfurl_media: false,
    }).catch(async (error: unknown) => {
      if (!isArchivedChannel(error)) throw error;
      throw await archivedChannelFailure(deps, channel, view.thread, now);
    });
    return async (tx) => {
      // The update waits for an intake holding the thread, and returns the row as it is then.
      const [row] = await tx
        .update(threads)
        // A new card: whatever Slack said about a deleted one is past.
        .set({ slackChannel: channelId, slackTs: ts, slackSurface: surface, cardDeletedAt: null })
        .where(eq(threads.id, view.thread.id))
        .returning({ opening: threads.openingComplaintId });
      // The conversation's first post may have arrived while this card was on its way, drawn
      // from the post before it: the card is redrawn, and that post goes under it as a reply.
      const opening = row?.opening ?? view.first.id;
      await tx.update(complaints).set({ slackTs: ts }).where(eq(complaints.id, opening));
      if (opening !== view.first.id)
        await enqueueCardOp(tx, OUTBOX_KINDS.updateCard, view.thread.id, channelId, now);
      // A roll-up post had no message to reply under: what the customer wrote meanwhile goes
      // under its first message now, in order, or it would be counted but never shown.
      if (!view.thread.slackTs)
        await queueUnpostedReplies(tx, view.thread.id, opening, channelId, now);
      // Retried after Slack refused or lost the card: the card left behind links to this one.
      if (view.thread.cardDeletedAt !== null) await redrawLeftBehind(tx, view.thread.id, now);
    };
  };
}

async function queueUnpostedReplies(
  tx: Transaction,
  threadId: string,
  /** The post the card shows. */
  opening: string,
  channel: string,
  now: Date,
): Promise<void> {
  const unposted = await tx
    .select({ id: complaints.id })
    .from(complaints)
    .where(
      and(
        eq(complaints.threadId, threadId),
        isNull(complaints.slackTs),
        ne(complaints.id, opening),
        // One already waiting to be posted (a follow-up that put the post on the desk) is not
        // queued twice.
        sql`NOT EXISTS (SELECT 1 FROM ${outbox} WHERE ${outbox.kind} = ${OUTBOX_KINDS.postReply}
          AND ${outbox.status} <> 'delivered'
          AND ${outbox.payload}->>'complaintId' = ${complaints.id}::text)`,
      ),
    )
    .orderBy(complaints.receivedAt, complaints.id);
  for (const { id } of unposted) {
    await enqueueOutbox(
      tx,
      {
        kind: OUTBOX_KINDS.postReply,
        threadId,
        channel,
        payload: { complaintId: id },
      },
      now,
    );
  }
}

/** Posts a follow-up under its thread's card. */
function postReply(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const id = item.payload.complaintId;
    const found = typeof id === "string" ? await loadComplaintWithThread(deps.db.db, id) : null;
    if (!found) throw new PermanentDeliveryError(`complaint ${String(id)} not found`);
    const { complaint, thread } = found;
    // A roll-up kind's thread has no message to reply under; the roll-up counts the follow-up.
    if (!thread.slackTs && firstPostTarget(deps.config, thread) === null) return undefined;
    // Its card was refused (archived channel): posting the card later posts this under it.
    if (cardRefused(thread)) return undefined;
    const { slackChannel, slackTs } = requirePosted(thread);
    const keptDismissed = thread.state === "dismissed" && thread.dismissReason === "spam";
    const reply = (missingCard?: MissingCard) =>
      buildFollowUpReply({
        text: complaint.text,
        author: authorOf(complaint),
        url: complaint.url ?? undefined,
        postedAt: complaint.postedAt ?? undefined,
        source: complaint.source,
        // The customer wrote again: the owner has to answer, so they are told, not left to look.
        // A thread kept dismissed (spam) asks nothing of anyone.
        owner: keptDismissed ? undefined : (thread.owner ?? undefined),
        missingCard,
        keptClosed: keptDismissed ? "dismissed as spam: not reopened" : undefined,
      });
    const post = (args: { thread_ts?: string }, message: SlackMessage) =>
      postOnce(deps.client, item, {
        channel: slackChannel,
        ...args,
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
    const { ts } = await post({ thread_ts: slackTs }, reply()).catch((error: unknown) => {
      // The card was deleted in Slack, which refuses a reply under it: the customer's words
      // go to the channel, saying why, rather than nowhere.
      if (!isThreadGone(error)) throw error;
      return post({}, reply("deleted"));
    });
    return async (tx) => {
      await tx.update(complaints).set({ slackTs: ts }).where(eq(complaints.id, complaint.id));
    };
  };
}

/**
 * Re-renders a thread's card in place, from the thread as it is now. A card Slack said was
 * deleted is left alone (a redraw queued before Slack said so); the first redraw to find it
 * deleted fails, once, and records it on the thread so no more are queued.
 */
function updateCard(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const view = await requireThreadView(deps, item.payload.threadId);
    if (!view.thread.slackTs && firstPostTarget(deps.config, view.thread) === null)
      return undefined;
    if (view.thread.cardDeletedAt !== null) return undefined;
    const { slackChannel, slackTs } = requirePosted(view.thread);
    const now = deps.clock.now();
    const campaigns = await campaignsOfThread(deps.db.db, view.thread.id);
    const model = (v: ThreadView) => ({ ...cardModel(v, deps.config, now), campaigns });
    const card = renderThreadMessage(view, deps.config, model, surfaceOf(view.thread));
    await updatePosted(deps.client, { channel: slackChannel, ts: slackTs, ...card }, "card", {
      retry: "Retry posts a new card",
      record: (tx) => markCardDeleted(tx, view.thread.id, slackTs, now),
    });
    return undefined;
  };
}

/** Records that the card at `ts` is gone, unless a new card replaced it meanwhile. */
async function markCardDeleted(tx: Transaction, threadId: string, ts: string, now: Date) {
  await tx
    .update(threads)
    .set({ cardDeletedAt: now })
    .where(and(eq(threads.id, threadId), eq(threads.slackTs, ts)));
}

/**
 * The DM telling someone a thread was handed to them, rendered now so its due lines are true
 * when it lands. Nothing is sent once it was handed on again or closed meanwhile: the later
 * owner gets their own.
 */
function handOverNotice(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const p = item.payload as HandOverNoticePayload;
    const view = await requireThreadView(deps, p.threadId);
    const { thread } = view;
    if (isHandOverStale(thread, p.user)) return undefined;
    // A card its archived channel refused: the DM still goes, saying there is no card to open.
    // To someone deactivated since the hand-over it cannot: the department is told instead.
    const link: CardLink = cardRefused(thread)
      ? { missing: "channel_unavailable" }
      : await linkToCard(deps, thread);
    const notice = buildHandOverNotice({
      card: cardModel(view, deps.config, deps.clock.now()),
      by: p.by,
      note: p.note,
      reopened: p.reopened,
      cardLink: link.permalink,
      missingCard: link.missing,
    });
    let posted: { channel: string; ts: string };
    try {
      posted = await sendDm(deps, item, p.user, notice);
    } catch (error) {
      if (!isUserDeactivated(error)) throw error;
      // A lead (or executive) the workspace file names: admins see it under "Slack setup".
      await deps.setup?.recordNow(deactivatedUserProblem(deps.config, p.user));
      await noteOwnerGone(deps, item, thread, p);
      return undefined;
    }
    // Remembered so that a later change redraws it (updateHandOverDms).
    const now = deps.clock.now();
    return (tx) => recordHandOverDm(tx, { threadId: thread.id, userId: p.user, ...posted }, now);
  };
}

async function sendDm(deps: DeliveryDeps, item: OutboxRow, user: string, message: SlackMessage) {
  const im = await deps.client.conversations.open({ users: user });
  if (!im.channel?.id) throw new PermanentDeliveryError(`could not open a DM with ${user}`);
  return postOnce(deps.client, item, { channel: im.channel.id, ...message, unfurl_links: false });
}

async function linkToCard(
  deps: DeliveryDeps,
  thread: { slackChannel: string | null; slackTs: string | null },
): Promise<CardLink> {
  const posted = requirePosted(thread);
  return cardPermalink(deps.client, { channel: posted.slackChannel, ts: posted.slackTs });
}

/** After a hand-over: the old card becomes a link to the new one in the other department's channel. */
function leaveLink(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const { channel, ts, from } = item.payload as { channel: string; ts: string; from: string };
    const view = await requireThreadView(deps, item.payload.threadId);
    // The new card was refused (its channel archived): the old one still says where it went.
    const link: CardLink = cardRefused(view.thread)
      ? { missing: "channel_unavailable" }
      : await linkToCard(deps, view.thread);
    const names = (key: string) => departmentOf(deps.config, key)?.name ?? key;
    const to = names(view.thread.department);
    const moved =
      item.payload.reason === "kind"
        ? buildMovedNote({
            kind: `a ${kindOf(view.thread.kind)}`,
            department: to,
            link: link.permalink,
            missingCard: link.missing,
          })
        : buildMovedCard({
            from: names(from),
            to,
            link: link.permalink,
            missingCard: link.missing,
          });
    await updatePosted(deps.client, { channel, ts, ...moved });
    return undefined;
  };
}

/**
 * Outbox kinds whose delivery edits a message (chat.update) rather than posting one: Slack's
 * one-post-a-second pace per channel does not apply to them.
 */
export const EDIT_KINDS: ReadonlySet<string> = new Set([
  OUTBOX_KINDS.updateCard,
  OUTBOX_KINDS.leaveLink,
  OUTBOX_KINDS.withdrawClaim,
  OUTBOX_KINDS.updateHandOverDms,
  OUTBOX_KINDS.updateKindRollup,
  CAMPAIGN_OUTBOX_KINDS.updateHeadsUp,
  CAMPAIGN_OUTBOX_KINDS.updateCard,
]);

/** The delivery handler for every outbox kind. */
export function createDeliveryHandlers(deps: DeliveryDeps): Record<string, DeliveryHandler> {
  return {
    [OUTBOX_KINDS.postCard]: postCard(deps),
    [OUTBOX_KINDS.postReply]: postReply(deps),
    [OUTBOX_KINDS.updateCard]: updateCard(deps),
    [OUTBOX_KINDS.leaveLink]: leaveLink(deps),
    [OUTBOX_KINDS.handOverNotice]: handOverNotice(deps),
    [OUTBOX_KINDS.updateHandOverDms]: updateHandOverDms(deps),
    [OUTBOX_KINDS.returnToOwner]: returnToOwner(deps),
    [OUTBOX_KINDS.nudge]: nudge(deps),
    [OUTBOX_KINDS.withdrawClaim]: withdrawClaim(deps),
    [OUTBOX_KINDS.kindRollup]: kindRollup(deps),
    [OUTBOX_KINDS.updateKindRollup]: updateKindRollup(deps),
    ...digestDeliveryHandlers(deps),
    ...createCampaignDeliveryHandlers(deps),
  };
}
