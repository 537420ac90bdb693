import { decodeClocks } from "../db/clock-codec.ts";
import type { ThreadView } from "../db/thread-queries.ts";
import { businessTimeBetween } from "../domain/business-hours.ts";
import type { Priority } from "../domain/complaint.ts";
import { type ClockKind, dueAt, type SlaClock } from "../domain/sla-clock.ts";
import { recordClaimOffer, type WithdrawClaimPayload } from "../services/claim-offers.ts";
import type { NudgePayload } from "../services/fire-thread-timers.ts";
import { kindOf } from "../services/kind-profiles.ts";
import { markNudgeUnsent } from "../services/paused-warnings.ts";
import { deactivatedUserProblem } from "../services/setup-problem-subjects.ts";
import { calendarOf, departmentOf, timezoneOf } from "../services/workspace-lookups.ts";
import { isArchivedChannel } from "./archived-channel.ts";
import { type CardLink, cardPermalink, updatePosted } from "./card-permalink.ts";
import {
  cardRefused,
  type DeliveryDeps,
  postUnderCard,
  requirePosted,
  requireThreadView,
} from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { isUserDeactivated, PermanentDeliveryError } from "./slack-errors.ts";
import { buildNudge, describeSettled } from "./views/nudge-message.ts";

const CLOSED = new Set(["resolved", "dismissed"]);

/**
 * A warning, breach notice or escalation, rendered now so its "in 6 min" is true when it
 * lands, with the deadline its clock has then. Nothing is sent when the thread was closed, the
 * clock paused, stopped or restarted, the thread moved to another department, or a DM's
 * reader is no longer the one to tell (notTheirsNow) since it was queued: a resolved thread
 * is never nudged. A step held back only by a pause is marked, to go out on resume. One that offers Claim (nobody owned the thread as it was drawn) is remembered, so
 * that the claim can take the button away.
 */
export function nudge(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const queued = item.payload as NudgePayload;
    const view = await requireThreadView(deps, queued.threadId);
    const { thread } = view;
    const clock = decodeClocks(thread.clocks).find((c) => c.kind === queued.clockKind);
    // A clock paused (waiting on the customer) or stopped runs to no deadline: its timers
    // were cancelled with the pause, and a nudge already queued (a DM held for the morning)
    // goes the same way.
    const stale =
      !clock ||
      clock.runningSince === null ||
      clock.startedAt.toISOString() !== queued.clockStartedAt;
    const notForNow = movedAway(queued, thread) || notTheirsNow(deps, queued, thread);
    if (CLOSED.has(thread.state) || stale || notForNow) {
      // A warning, breach notice or escalation dropped only because the thread waits on the
      // customer is sent when they write, as the ladder's steps not yet fired are then.
      const onlyPaused =
        !CLOSED.has(thread.state) &&
        clock?.stoppedAt === null &&
        clock.startedAt.toISOString() === queued.clockStartedAt &&
        !notForNow;
      if (!onlyPaused) return undefined;
      return (tx) => markNudgeUnsent(deps.config, tx, queued, deps.clock.now());
    }
    // Meant for a card its archived channel refused: the card's one failure says so already.
    const underCard = queued.via === "thread" || queued.via === "broadcast";
    if (underCard && cardRefused(thread)) return undefined;
    const target = await nudgeTarget(deps, ownedNow(queued, thread.owner), thread);
    if (!target) return undefined;
    const { payload: p, channel } = target;
    const now = deps.clock.now();
    const link = await cardLink(deps, thread);
    const sent: NudgePayload = {
      ...p,
      dueAt: deadlineNow(deps, clock, thread.department, p),
      mention: mentionNow(p, thread.owner),
    };
    const message = await renderNudge(deps, view, sent, {
      now,
      department: thread.department,
      link,
    });
    const base = { channel, ...message, unfurl_links: false };
    // A reply under a deleted card is refused (thread_not_found): the nudge goes to the card's
    // channel instead, still mentioning the people it is for.
    const inThread = (p.via === "thread" || p.via === "broadcast") && link.missing !== "deleted";
    const posted = await postUnderCard(
      deps.client,
      item,
      base,
      inThread
        ? { thread_ts: requirePosted(thread).slackTs, reply_broadcast: p.via === "broadcast" }
        : undefined,
    ).catch((error: unknown) => {
      // A notice for the archived channel that refused the card: that one failure says it all.
      if (cardRefused(thread) && isArchivedChannel(error)) return null;
      throw error;
    });
    if (posted === null) return undefined;
    if (thread.owner !== null) return undefined;
    const offer = {
      threadId: thread.id,
      department: thread.department,
      channel: posted.channel,
      ts: posted.ts,
      nudge: sent,
      postedAt: now,
    };
    return (tx) => recordClaimOffer(tx, offer, deps.clock.now());
  };
}

/**
 * The deadline as the clock says now, not as queued: a pause and resume since (a DM held for
 * the morning) moved it, while a breach keeps the instant it was recorded.
 */
function deadlineNow(
  deps: DeliveryDeps,
  clock: SlaClock,
  department: string,
  p: NudgePayload,
): string {
  return (dueAt(clock, calendarOf(deps.config, department)) ?? new Date(p.dueAt)).toISOString();
}

/**
 * Whom a nudge mentions as it goes out. A warning in the card's thread names the owner: one
 * that waited (Slack down, the channel held) after a hand-over names the new owner, not the
 * one who handed it on.
 */
function mentionNow(p: NudgePayload, owner: string | null): string[] {
  if (p.step !== "warning" || p.via !== "thread") return p.mention;
  return owner ? [owner] : [];
}

/**
 * A warning queued for the whole channel (@here or its user group) while nobody owned the
 * thread, going out after someone claimed it (Slack held the channel, the outbox was behind):
 * it is for the owner now, under the card, and nobody else is pinged, as a pager stops paging
 * the team once someone acknowledges.
 */
function ownedNow(p: NudgePayload, owner: string | null): NudgePayload {
  if (p.step !== "warning" || p.via !== "broadcast" || owner === null) return p;
  return { ...p, via: "thread", mention: [owner] };
}

/**
 * A nudge addressed to a department's people (its channel, owner or leads) that could not go
 * out before the thread moved to another department (Slack down or holding the channel, a DM
 * held for the morning) is dropped, as the leads' DM is (notTheirsNow): posted now it would
 * land under the old card, or mention people the thread is no longer with. Executives'
 * escalations stay: they are about the deadline, whoever holds the thread.
 */
function movedAway(p: NudgePayload, thread: { department: string }): boolean {
  return p.via !== "channel" && p.department !== undefined && p.department !== thread.department;
}

/**
 * A DM held for its reader's working hours may go out after the thread changed hands. A
 * warning DM is for the thread's owner: the new owner was told what is due when it was handed
 * over, and the old one must not be chased for a thread not theirs. A breach DM is for the
 * leads of the thread's department: once it moved to a department they do not lead, it is
 * dropped rather than sent to the new department's leads, as a pager drops the old team's
 * pending pages on reassignment: the new leads are not chased for a breach that happened
 * before the thread was theirs, and their channel's new card already shows it overdue.
 */
function notTheirsNow(
  deps: DeliveryDeps,
  p: NudgePayload,
  thread: { owner: string | null; department: string },
): boolean {
  if (p.via !== "dm") return false;
  if (p.step === "warning") return p.user !== thread.owner;
  const leads = departmentOf(deps.config, thread.department)?.leads ?? [];
  return p.user === undefined || !leads.includes(p.user);
}

/**
 * Redraws a nudge that offered Claim once the thread was claimed, handed over or closed: it
 * says what it said when posted, with who owns the thread now (or that it was closed or
 * moved) and a link to the card, and no buttons.
 */
export function withdrawClaim(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const p = item.payload as WithdrawClaimPayload;
    const view = await requireThreadView(deps, p.threadId);
    const { thread } = view;
    const moved = thread.department !== p.department;
    const settled = describeSettled({
      state: thread.state,
      owner: thread.owner ?? undefined,
      movedTo: moved
        ? (departmentOf(deps.config, thread.department)?.name ?? thread.department)
        : undefined,
    });
    // As posted: the department it was in, and "in 6 min" as of then.
    const message = await renderNudge(deps, view, p.nudge as NudgePayload, {
      now: new Date(p.postedAt),
      department: p.department,
      settled,
      link: await cardLink(deps, thread),
    });
    // Someone may have deleted the warning in Slack: that fails once, saying so.
    await updatePosted(deps.client, { channel: p.channel, ts: p.ts, ...message }, "warning");
    return undefined;
  };
}

/** The nudge as of `at.now`, drawn from its payload and the thread as it is when delivered. */
async function renderNudge(
  deps: DeliveryDeps,
  view: ThreadView,
  p: NudgePayload,
  at: { now: Date; department: string; settled?: string; link: CardLink },
) {
  const { thread, first } = view;
  const { now, department, settled, link } = at;
  const due = new Date(p.dueAt);
  const calendar = calendarOf(deps.config, department);
  return buildNudge({
    threadId: thread.id,
    step: p.step,
    clockKind: p.clockKind as ClockKind,
    dueAt: due,
    // The clock runs from now to its deadline: what it has left is the office hours between.
    workingLeftMs: calendar ? businessTimeBetween(now, due, calendar) : undefined,
    now,
    timezone: timezoneOf(deps.config, department),
    department: { name: departmentOf(deps.config, department)?.name ?? department },
    priority: thread.priority as Priority,
    kind: kindOf(thread.kind),
    excerpt: first.text,
    owner: thread.owner ?? undefined,
    mention: p.mention,
    cardLink: link.permalink,
    missingCard: link.missing,
    settled,
  });
}

/**
 * Where the nudge goes, and as what. A DM to someone whose account was deactivated cannot be
 * opened (user_disabled): an owner's warning goes under the card instead, to the department
 * (its user group, or @here), since nobody else would learn that the thread is running late
 * with nobody there to answer it. A lead's breach DM is dropped: the breach notice under the
 * card already mentions the leads. Either way no delivery fails for it, once per clock.
 */
async function nudgeTarget(
  deps: DeliveryDeps,
  p: NudgePayload,
  thread: { id: string; department: string; slackChannel: string | null; slackTs: string | null },
): Promise<{ payload: NudgePayload; channel: string } | null> {
  try {
    return { payload: p, channel: await nudgeChannel(deps, p, thread) };
  } catch (error) {
    if (p.via !== "dm" || !isUserDeactivated(error)) throw error;
    deps.logger?.warn("nudge.dm_user_deactivated", { threadId: thread.id, user: p.user });
    // A lead (or executive) the workspace file names: admins see it under "Slack setup".
    if (p.user) await deps.setup?.recordNow(deactivatedUserProblem(deps.config, p.user));
    if (p.step !== "warning" || !thread.slackChannel || !thread.slackTs) return null;
    const usergroup = departmentOf(deps.config, thread.department)?.usergroup;
    const mention = [usergroup ? `subteam^${usergroup}` : "here"];
    return { payload: { ...p, via: "broadcast", mention }, channel: thread.slackChannel };
  }
}

async function nudgeChannel(
  deps: DeliveryDeps,
  p: NudgePayload,
  thread: { slackChannel: string | null; slackTs: string | null },
): Promise<string> {
  if (p.via === "thread" || p.via === "broadcast") return requirePosted(thread).slackChannel;
  if (p.via === "channel" && p.channel) return p.channel;
  if (p.via === "dm" && p.user) {
    const im = await deps.client.conversations.open({ users: p.user });
    if (!im.channel?.id) throw new PermanentDeliveryError(`could not open a DM with ${p.user}`);
    return im.channel.id;
  }
  throw new PermanentDeliveryError(`nudge with nowhere to go (${p.via})`);
}

function cardLink(
  deps: DeliveryDeps,
  thread: { slackChannel: string | null; slackTs: string | null },
): Promise<CardLink> {
  if (!thread.slackChannel || !thread.slackTs) return Promise.resolve({});
  return cardPermalink(deps.client, { channel: thread.slackChannel, ts: thread.slackTs });
}
