import { eq } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks, encodeClocks } from "../db/clock-codec.ts";
import { enqueueCardOp, enqueueOutbox } from "../db/outbox-store.ts";
import { type ThreadRow, threads } from "../db/schema.ts";
import { changeLockedThread } from "../db/thread-change.ts";
import { countHandOvers, ownedSince } from "../db/thread-queries.ts";
import { syncTimers } from "../db/timer-store.ts";
import { NotFoundError } from "../domain/errors.ts";
import { planThreadTimers } from "../domain/escalation-plan.ts";
import { type ActorFacts, mayPerform } from "../domain/permissions.ts";
import { answerClock } from "../domain/post-kinds.ts";
import {
  applyClockEffects,
  type ClockEffect,
  type SlaClock,
  settleClocks,
} from "../domain/sla-clock.ts";
import {
  applyAction,
  type ThreadAction,
  type ThreadEvent,
  type ThreadState,
} from "../domain/thread-lifecycle.ts";
import { queueCardUpdate, queueHandOverDmUpdates, queueLeaveLink } from "./card-updates.ts";
import { withdrawClaimOffers } from "./claim-offers.ts";
import { describeActor, type ServiceContext } from "./context.ts";
import { THREAD_TIMERS } from "./fire-thread-timers.ts";
import { keepKindClocks, kindOf, offDeskKinds, profileOf } from "./kind-profiles.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";
import { resendHeldNudges } from "./paused-warnings.ts";
import { refreshHomesAbout } from "./refresh-homes.ts";
import { calendarOf, departmentOf, windowsFor } from "./workspace-lookups.ts";

export type TransitionOutcome =
  | { ok: true; thread: ThreadRow; event: ThreadEvent }
  | { ok: false; reason: string; thread: ThreadRow; owned?: OwnedBy };

/** Who a late claimer lost to, and since when (absent for a thread owned before this was logged). */
export type OwnedBy = { owner: string; since?: Date | undefined };

const CLOSED: readonly ThreadState[] = ["resolved", "dismissed"];

/**
 * A person acts on a thread from Slack: checks they may, applies the state machine, moves
 * the SLA clocks, records the event, replans the nudges and queues the card's update, all
 * in one transaction under the thread's row lock, so simultaneous clicks apply one at a time.
 * A refusal changes nothing and says why.
 */
export async function transitionThread(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  input: {
    threadId: string;
    action: ThreadAction;
    actor: ActorFacts;
    /** A form's: where the thread was when it was opened; refused if it moved since. */
    openedIn?: FormOrigin | undefined;
    /** The department the actor's facts were gathered for; refused if the thread moved since. */
    clickedIn?: string | undefined;
  },
): Promise<TransitionOutcome> {
  return ctx.db.db.transaction(async (tx) => {
    const thread = await lockThreadById(tx, input.threadId);
    const moved = input.openedIn && (await movedSince(tx, thread, input.openedIn));
    if (moved) {
      const back = moved === "away and back";
      return { ok: false, reason: movedWhileOpen(config, thread.department, back), thread };
    }
    // Who the actor is was asked of Slack for the department the thread was in then.
    if (input.clickedIn !== undefined && input.clickedIn !== thread.department) {
      return { ok: false, reason: movedWhileClicked(config, thread.department), thread };
    }
    const snapshot = snapshotOf(thread);
    const name = departmentOf(config, thread.department)?.name;
    const allowed = mayPerform(input.actor, snapshot, input.action.type, name);
    if (!allowed.ok) return { ok: false, reason: allowed.reason, thread };
    if (input.action.type === "claim" && thread.owner) {
      const owner = thread.owner;
      if (owner === input.actor.userId)
        return { ok: false, reason: "You already own this thread.", thread };
      // Since when tells a late claimer a race (seconds ago) from a stale card or nudge.
      const owned = { owner, since: await ownedSince(tx, { id: thread.id, owner }) };
      return { ok: false, reason: `<@${owner}> already owns this thread.`, thread, owned };
    }
    if (input.action.type === "hand_over_department" && !departmentOf(config, input.action.to)) {
      return { ok: false, reason: `There is no department "${input.action.to}".`, thread };
    }
    // Its card offers nothing to do; a click from a card drawn before the kind changed lands here.
    if (offDeskKinds(config).includes(kindOf(thread.kind))) {
      return { ok: false, reason: offDeskRefusal(thread.kind), thread };
    }
    const answering = await claimToAnswer(ctx, config, tx, thread, input);
    if (!answering.ok) return answering;
    return applyTransition(ctx, config, tx, answering.thread, input.action);
  });
}

/** Why a person's action on a post kept off the desk (praise, chatter) changes nothing. */
function offDeskRefusal(kind: string): string {
  return `This post is marked ${kind} and kept off the desk, so nothing was changed: pick Complaint or Question under *Kind* to put it back first.`;
}

/**
 * "Responded" on an unowned thread claims it for the responder first, as help desks do when
 * an agent answers a ticket: under the same lock, so no other claim or close lands between.
 */
async function claimToAnswer(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  input: { action: ThreadAction; actor: ActorFacts },
): Promise<TransitionOutcome | { ok: true; thread: ThreadRow }> {
  if (input.action.type !== "respond" || thread.state !== "open") return { ok: true, thread };
  return applyTransition(ctx, config, tx, thread, { type: "claim", by: input.actor.userId });
}

/** Where a thread was when a form about it was opened. */
export interface FormOrigin {
  department?: string | undefined;
  /** Its department hand-overs then; absent in forms opened before this was recorded. */
  handOvers?: number | undefined;
}

/** Whether the thread was handed over since the form opened: away, away and back, or not. */
async function movedSince(
  tx: Transaction,
  thread: ThreadRow,
  origin: FormOrigin,
): Promise<"away" | "away and back" | false> {
  if (origin.department !== undefined && origin.department !== thread.department) return "away";
  if (origin.handOvers === undefined) return false;
  return (await countHandOvers(tx, thread.id)) === origin.handOvers ? false : "away and back";
}

/**
 * Why a form changes nothing once the thread was handed over after it opened: to another
 * department, or away and `back` to the form's own.
 */
export function movedWhileOpen(config: WorkspaceConfig, department: string, back = false): string {
  const now = departmentOf(config, department)?.name ?? department;
  const moved = back ? `handed over and back to ${now}` : `handed over to ${now}`;
  return `While this form was open, the thread was ${moved}: nothing was changed. Close the form and see the card.`;
}

/** Why a click changes nothing once the thread was handed to another department meanwhile. */
function movedWhileClicked(config: WorkspaceConfig, department: string): string {
  const now = departmentOf(config, department)?.name ?? department;
  return `While your click was on its way, the thread was handed over to ${now}: nothing was changed. See its card there.`;
}

/** Locks a thread row for the rest of the transaction. */
export async function lockThreadById(tx: Transaction, threadId: string): Promise<ThreadRow> {
  const [thread] = await tx.select().from(threads).where(eq(threads.id, threadId)).for("update");
  if (!thread) throw new NotFoundError(`No thread ${threadId}`);
  return thread;
}

/** The part of a thread row the state machine and permissions read. */
export function snapshotOf(thread: ThreadRow) {
  return {
    state: thread.state as ThreadState,
    owner: thread.owner ?? undefined,
    department: thread.department,
  };
}

/**
 * Applies an action to a locked thread without a permission check (the caller did it, or
 * it is the system: a customer writing again). Refusals by the state machine change nothing.
 */
export async function applyTransition(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  action: ThreadAction,
): Promise<TransitionOutcome> {
  const result = applyAction(snapshotOf(thread), action);
  if (!result.ok) return { ok: false, reason: result.reason, thread };
  const now = ctx.clock.now();
  const { next, event } = result;
  const effects = withAnswerClock(config, thread, action, result.clockEffects);
  const clocks = moveClocks(config, thread, next.department, effects, now);
  const closing = CLOSED.includes(next.state);
  const updated = await changeLockedThread(
    tx,
    thread,
    {
      state: next.state,
      owner: next.owner ?? null,
      department: next.department,
      clocks: encodeClocks(clocks),
      suggestedOwner: event.details.suggestedOwner ?? (next.owner ? null : thread.suggestedOwner),
      dismissReason:
        action.type === "dismiss" ? action.reason : closing ? thread.dismissReason : null,
      responseUrl:
        action.type === "respond" && action.reply.kind === "public"
          ? action.reply.url
          : thread.responseUrl,
      closedAt: closing ? now : null,
    },
    {
      at: now,
      actor: describeActor(ctx.actor),
      kind: `thread.${event.kind}`,
      details: {
        from: event.from,
        to: event.to,
        ...(event.reason ? { reason: event.reason } : {}),
        ...event.details,
      },
    },
  );
  await replanTimers(config, tx, updated, clocks);
  if (result.clockEffects.some((effect) => effect.op === "resume"))
    await resendHeldNudges(config, tx, updated, clocks, now);
  await queueCardChange(tx, config, thread, updated, now);
  await withdrawClaimOffers(tx, updated, now);
  if (action.type === "hand_over_person") await queueHandOverNotice(ctx, tx, updated, action, now);
  if (event.details.suggestedOwner)
    await queueOwnerReturn(tx, updated, event.details.suggestedOwner, action, now);
  await refreshHomesAbout(
    tx,
    config,
    { departments: [thread.department, updated.department], users: [thread.owner, updated.owner] },
    now,
  );
  ctx.logger.info(`thread.${event.kind}`, { threadId: thread.id, from: event.from, to: event.to });
  return { ok: true, thread: updated, event };
}

/**
 * The DM telling a thread's new owner it is theirs; rendered when delivered. `reopened`: it
 * is theirs again because `by` reopened it (absent in notices queued before this was known).
 */
export type HandOverNoticePayload = {
  threadId: string;
  user: string;
  by?: string;
  note?: string;
  reopened?: boolean;
};

/**
 * Someone handed a thread to another person: that person is told by DM, as a help desk tells
 * an assignee, or they would learn it only from the card or a nudge. Not ordered behind the
 * thread's queue: the card it links to is already posted.
 */
async function queueHandOverNotice(
  ctx: ServiceContext,
  tx: Transaction,
  thread: ThreadRow,
  action: Extract<ThreadAction, { type: "hand_over_person" }>,
  now: Date,
) {
  const by = ctx.actor.type === "slack" ? ctx.actor.userId : undefined;
  if (by === action.to) return;
  const payload: HandOverNoticePayload = {
    threadId: thread.id,
    user: action.to,
    ...(by ? { by } : {}),
    ...(action.note ? { note: action.note } : {}),
  };
  await queueOwnerNotice(tx, payload, now);
}

/** Queues a DM telling someone a thread is theirs (handed to them, or theirs again). */
export async function queueOwnerNotice(
  tx: Transaction,
  payload: HandOverNoticePayload,
  now: Date,
): Promise<void> {
  await enqueueOutbox(
    tx,
    { kind: OUTBOX_KINDS.handOverNotice, threadId: null, channel: payload.user, payload },
    now,
  );
}

/**
 * Asks whether a reopened thread's last owner could still work it. `reopenedBy`: the person
 * who clicked Reopen (absent when the customer wrote, or in questions queued before this was
 * known), so that an owner it goes back to without a follow-up mentioning them is told.
 */
export type OwnerReturnPayload = {
  threadId: string;
  user: string;
  department: string;
  reopenedBy?: string;
};

/**
 * A closed thread reopened: it goes back to its last owner, as a help desk keeps a reopened
 * ticket's assignee, if Slack says they are still a member of its department. Membership is
 * Slack's to tell, so the question is queued, in the thread's order: the follow-up queued
 * after it is posted once the answer is recorded, and mentions the owner it finds.
 */
async function queueOwnerReturn(
  tx: Transaction,
  thread: ThreadRow,
  user: string,
  action: ThreadAction,
  now: Date,
) {
  const reopenedBy = action.type === "reopen" ? action.by : undefined;
  const payload: OwnerReturnPayload = {
    threadId: thread.id,
    user,
    department: thread.department,
    ...(reopenedBy ? { reopenedBy } : {}),
  };
  await enqueueOutbox(
    tx,
    { kind: OUTBOX_KINDS.returnToOwner, threadId: thread.id, channel: null, payload },
    now,
  );
}

/**
 * A customer's new message needs an answer whatever the thread's kind, whether it was closed,
 * answered or waiting on them: the next-response clock it starts becomes a fresh first
 * response for a kind that runs no next response (a question), so its owner has something due.
 */
function withAnswerClock(
  config: WorkspaceConfig,
  thread: ThreadRow,
  action: ThreadAction,
  effects: readonly ClockEffect[],
): ClockEffect[] {
  if (action.type !== "customer_replied") return [...effects];
  const profile = profileOf(config, thread.kind);
  const answer = answerClock(profile, windowsFor(config, thread.priority));
  return effects.map((effect) =>
    answer && effect.op === "start" && effect.clock === "nextResponse"
      ? { op: "start", clock: answer }
      : effect,
  );
}

/** Moving departments settles the clocks in the old hours, then runs them in the new. */
function moveClocks(
  config: WorkspaceConfig,
  thread: ThreadRow,
  department: string,
  effects: readonly ClockEffect[],
  now: Date,
): SlaClock[] {
  let clocks = decodeClocks(thread.clocks);
  if (department !== thread.department)
    clocks = settleClocks(clocks, now, calendarOf(config, thread.department));
  const moved = applyClockEffects(
    clocks,
    effects,
    now,
    calendarOf(config, department),
    windowsFor(config, thread.priority),
  );
  // A kind runs only its profile's clocks: a reopened question gets no resolution clock.
  return keepKindClocks(config, thread.kind, moved);
}

/** Recomputes the thread's nudges from its clocks; a closed thread has none. */
export async function replanTimers(
  config: WorkspaceConfig,
  tx: Transaction,
  thread: ThreadRow,
  clocks: readonly SlaClock[],
) {
  const plan = threadTimerPlan(config, thread, clocks);
  await syncTimers(tx, { type: THREAD_TIMERS, id: thread.id }, plan);
}

/** The nudges and escalations a thread's clocks call for: none once it is closed. */
export function threadTimerPlan(
  config: WorkspaceConfig,
  thread: { state: string; department: string },
  clocks: readonly SlaClock[],
) {
  if (CLOSED.includes(thread.state as ThreadState)) return [];
  return planThreadTimers(clocks, config.nudges, calendarOf(config, thread.department));
}

async function queueCardChange(
  tx: Transaction,
  config: WorkspaceConfig,
  before: ThreadRow,
  after: ThreadRow,
  now: Date,
) {
  const channel = departmentOf(config, after.department)?.channel ?? null;
  if (before.department === after.department) {
    await queueCardUpdate(tx, after, channel, now);
  } else {
    // A hand-over to another department: a new card there, then a link to it in place of the old one.
    await enqueueCardOp(tx, OUTBOX_KINDS.postCard, after.id, channel, now);
    await queueLeaveLink(tx, before, { from: before.department }, now);
  }
  // After the card, so the DMs link to the card as it is now.
  await queueHandOverDmUpdates(tx, after.id, now);
}
