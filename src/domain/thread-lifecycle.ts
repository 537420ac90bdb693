/**
 * The life of a complaint thread as a state machine with an explicit transition table.
 *
 * Invariant: a thread is `open` exactly when nobody owns it. Reopening therefore clears the
 * owner; the previous owner travels in the event as `suggestedOwner`, for the card to offer,
 * and `return_to_owner` gives it back to them once Slack says they are still in its
 * department (as a help desk keeps a reopened ticket's assignee).
 */
import type { ClockEffect } from "./sla-clock.ts";

/** Where a thread stands. */
export const THREAD_STATES = [
  "open",
  "claimed",
  "responded",
  "waiting_on_customer",
  "resolved",
  "dismissed",
] as const;
/** One of THREAD_STATES. */
export type ThreadState = (typeof THREAD_STATES)[number];

/** Why a thread was dismissed without an answer. */
export const DISMISS_REASONS = ["spam", "duplicate", "not_ours", "no_response_needed"] as const;
/** One of DISMISS_REASONS. */
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** Everything that can happen to a thread; `by` is the Slack user acting, when a person acts. */
export type ThreadAction =
  | { type: "claim"; by: string }
  | { type: "hand_over_person"; to: string; by?: string; note?: string }
  | { type: "hand_over_department"; to: string; by?: string; note?: string }
  | { type: "respond"; reply: { kind: "public"; url: string } | { kind: "private" }; by?: string }
  | { type: "wait_on_customer"; by?: string }
  | { type: "customer_replied"; messageUrl?: string }
  | { type: "resolve"; by?: string; note?: string }
  | { type: "dismiss"; reason: DismissReason; note?: string; by?: string }
  | { type: "reopen"; by?: string; note?: string }
  | { type: "return_to_owner"; to: string; as?: "admin" | "lead" | "member" };
/** The name of an action: "claim", "respond", … */
export type ThreadActionType = ThreadAction["type"];

/** Every action type, in the order the table lists them. */
export const THREAD_ACTION_TYPES = [
  "claim",
  "hand_over_person",
  "hand_over_department",
  "respond",
  "wait_on_customer",
  "customer_replied",
  "resolve",
  "dismiss",
  "reopen",
  "return_to_owner",
] as const satisfies readonly ThreadActionType[];

/** The part of a thread the state machine reads and writes. */
export interface ThreadSnapshot {
  state: ThreadState;
  owner?: string | undefined;
  /** Department key. */
  department: string;
}

/** A target state, or a rule choosing one from the thread. */
export type TransitionTarget = ThreadState | ((thread: ThreadSnapshot) => ThreadState);

// After a customer writes again, the owner (if any) must answer: claimed; nobody owns it: open.
const backToOwner = (thread: ThreadSnapshot): ThreadState => (thread.owner ? "claimed" : "open");

/**
 * Allowed transitions; a missing cell is refused. Handing an open thread to a person assigns
 * it, so it becomes claimed; elsewhere a hand-over to a person keeps the state.
 */
export const TRANSITIONS: Record<
  ThreadState,
  Partial<Record<ThreadActionType, TransitionTarget>>
> = {
  open: {
    claim: "claimed",
    hand_over_person: "claimed",
    hand_over_department: "open",
    customer_replied: "open",
    resolve: "resolved",
    dismiss: "dismissed",
    return_to_owner: "claimed",
  },
  claimed: {
    hand_over_person: "claimed",
    hand_over_department: "open",
    respond: "responded",
    customer_replied: "claimed",
    resolve: "resolved",
    dismiss: "dismissed",
  },
  responded: {
    hand_over_person: "responded",
    hand_over_department: "open",
    respond: "responded",
    wait_on_customer: "waiting_on_customer",
    customer_replied: backToOwner,
    resolve: "resolved",
  },
  waiting_on_customer: {
    hand_over_person: "waiting_on_customer",
    hand_over_department: "open",
    customer_replied: backToOwner,
    resolve: "resolved",
  },
  resolved: { customer_replied: "open", reopen: "open" },
  dismissed: { customer_replied: "open", reopen: "open" },
};

const ALREADY_OWNED = "This thread is already claimed; ask its owner to hand it over";
const NOT_CLOSED = "This thread isn't resolved or dismissed, so there is nothing to reopen";
const ANSWERED = "This thread has been answered; resolve it instead of dismissing it";

/** Human reasons for refused cells; anything not listed falls back to a generic sentence. */
const REFUSALS: Partial<Record<ThreadState, Partial<Record<ThreadActionType, string>>>> = {
  open: {
    respond: "Claim this thread before marking it responded",
    wait_on_customer: "Nobody has responded yet; respond before waiting on the customer",
    reopen: NOT_CLOSED,
  },
  claimed: {
    claim: ALREADY_OWNED,
    wait_on_customer: "Respond to the customer before waiting on them",
    reopen: NOT_CLOSED,
  },
  responded: { claim: ALREADY_OWNED, dismiss: ANSWERED, reopen: NOT_CLOSED },
  waiting_on_customer: {
    claim: ALREADY_OWNED,
    respond: "This thread is waiting on the customer; it needs a response once they reply",
    wait_on_customer: "This thread is already waiting on the customer",
    dismiss: ANSWERED,
    reopen: NOT_CLOSED,
  },
};

const CLOSED_REFUSAL: Partial<Record<ThreadState, string>> = {
  resolved: "This thread is resolved; reopen it first",
  dismissed: "This thread was dismissed; reopen it first",
};

/** What happened, for the thread's history and the card's context line. */
export interface ThreadEvent {
  kind: ThreadActionType;
  from: ThreadState;
  to: ThreadState;
  /** The dismiss reason, for dismissals. */
  reason?: DismissReason;
  details: Record<string, string>;
}

/** The outcome of `applyAction`: the new snapshot and event, or a human reason for refusing. */
export type TransitionResult =
  | { ok: true; next: ThreadSnapshot; event: ThreadEvent; clockEffects: ClockEffect[] }
  | { ok: false; reason: string };

/** The state `action` leads to from `thread`, or undefined when the table has no such cell. */
export function targetState(
  thread: ThreadSnapshot,
  action: ThreadActionType,
): ThreadState | undefined {
  const target = TRANSITIONS[thread.state][action];
  return typeof target === "function" ? target(thread) : target;
}

/** Applies one action to a thread: the table decides whether it may, the payload is checked too. */
export function applyAction(thread: ThreadSnapshot, action: ThreadAction): TransitionResult {
  const to = targetState(thread, action.type);
  if (to === undefined) return { ok: false, reason: refusalReason(thread.state, action.type) };
  const invalid = payloadProblem(thread, action);
  if (invalid) return { ok: false, reason: invalid };
  const next = nextSnapshot(thread, action, to);
  const event: ThreadEvent = {
    kind: action.type,
    from: thread.state,
    to,
    details: eventDetails(thread, action, to),
  };
  if (action.type === "dismiss") event.reason = action.reason;
  return { ok: true, next, event, clockEffects: clockEffects(thread.state, to, action) };
}

/** Why the table refuses `action` in `state`, in words for the person who tried it. */
export function refusalReason(state: ThreadState, action: ThreadActionType): string {
  return (
    CLOSED_REFUSAL[state] ??
    REFUSALS[state]?.[action] ??
    `Can't ${action.replaceAll("_", " ")} a thread that is ${state.replaceAll("_", " ")}`
  );
}

const REPLY_URL = /^https?:\/\/\S+$/;

function payloadProblem(thread: ThreadSnapshot, action: ThreadAction): string | undefined {
  switch (action.type) {
    case "claim":
      return action.by ? undefined : "Say who is claiming the thread";
    case "return_to_owner":
      return action.to ? undefined : "Say whom to return the thread to";
    case "hand_over_person":
      if (!action.to) return "Pick the person to hand this thread to";
      return action.to === thread.owner ? "That person already owns this thread" : undefined;
    case "hand_over_department":
      if (!action.to) return "Pick the department to hand this thread to";
      return action.to === thread.department
        ? "This thread is already with that department"
        : undefined;
    case "respond":
      return action.reply.kind === "public" && !REPLY_URL.test(action.reply.url)
        ? "A public reply needs a link to it (https://…)"
        : undefined;
    case "dismiss":
      return (DISMISS_REASONS as readonly string[]).includes(action.reason)
        ? undefined
        : "Pick a reason to dismiss: spam, duplicate, not ours or no response needed";
    default:
      return undefined;
  }
}

function nextSnapshot(
  thread: ThreadSnapshot,
  action: ThreadAction,
  to: ThreadState,
): ThreadSnapshot {
  const owner = nextOwner(thread, action, to);
  const department = action.type === "hand_over_department" ? action.to : thread.department;
  return owner === undefined ? { state: to, department } : { state: to, owner, department };
}

function nextOwner(
  thread: ThreadSnapshot,
  action: ThreadAction,
  to: ThreadState,
): string | undefined {
  if (action.type === "claim") return action.by;
  if (action.type === "hand_over_person" || action.type === "return_to_owner") return action.to;
  // Open means unowned: a department hand-over or a reopening clears the owner.
  return to === "open" ? undefined : thread.owner;
}

function eventDetails(
  thread: ThreadSnapshot,
  action: ThreadAction,
  to: ThreadState,
): Record<string, string> {
  const details: Record<string, string | undefined> = {
    by: "by" in action ? action.by : undefined,
  };
  if (action.type === "claim" || action.type === "hand_over_person") {
    details.owner = action.type === "claim" ? action.by : action.to;
    details.previousOwner = thread.owner;
  }
  if (action.type === "return_to_owner") {
    details.owner = action.to;
    details.department = thread.department;
    details.as = action.as;
  }
  if (action.type === "hand_over_department") {
    details.department = action.to;
    details.previousDepartment = thread.department;
    details.previousOwner = thread.owner;
  }
  if (action.type === "respond") {
    details.reply = action.reply.kind === "public" ? action.reply.url : "private";
  }
  if (action.type === "customer_replied") details.messageUrl = action.messageUrl;
  if ("note" in action) details.note = action.note;
  if (to === "open" && (thread.state === "resolved" || thread.state === "dismissed")) {
    details.suggestedOwner = thread.owner;
  }
  return Object.fromEntries(
    Object.entries(details).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

const ACTIVE: readonly ThreadState[] = ["open", "claimed", "responded"];

/**
 * Which SLA clocks start, stop, pause or resume on a transition (see sla-clock.ts):
 * - claim: starts when a thread is opened, reopened or handed to another department; stops
 *   when someone owns it (claim, an open thread handed to a person, or returned to its owner).
 * - firstResponse: starts at open (startClocks); stops at the first respond.
 * - nextResponse: starts when the customer writes after being answered, or writes to a
 *   closed thread; stops at the next respond.
 * - resolution: starts at open; restarts with a fresh budget on reopening; stops at resolve
 *   or dismiss (which stop every clock).
 * Waiting on the customer pauses every running clock; leaving it for work resumes them.
 * An explicit reopen has no new customer message, so it starts no response clock.
 */
export function clockEffects(
  from: ThreadState,
  to: ThreadState,
  action: Pick<ThreadAction, "type">,
): ClockEffect[] {
  const effects: ClockEffect[] = [];
  if (from === "waiting_on_customer" && ACTIVE.includes(to)) {
    effects.push({ op: "resume", clock: "all" });
  }
  return [...effects, ...effectsOfAction(from, to, action.type)];
}

function effectsOfAction(
  from: ThreadState,
  to: ThreadState,
  action: ThreadActionType,
): ClockEffect[] {
  const reopening = from === "resolved" || from === "dismissed";
  switch (action) {
    case "claim":
      return [{ op: "stop", clock: "claim" }];
    case "hand_over_person":
      return from === "open" ? [{ op: "stop", clock: "claim" }] : [];
    case "hand_over_department":
      return [{ op: "start", clock: "claim" }];
    case "respond":
      return [
        { op: "stop", clock: "firstResponse" },
        { op: "stop", clock: "nextResponse" },
      ];
    case "wait_on_customer":
      return [{ op: "pause", clock: "all" }];
    case "customer_replied":
      if (reopening) return [...reopenEffects(), { op: "start", clock: "nextResponse" }];
      return from === to ? [] : [{ op: "start", clock: "nextResponse" }];
    case "resolve":
    case "dismiss":
      return [{ op: "stop", clock: "all" }];
    case "reopen":
      return reopenEffects();
    case "return_to_owner":
      return [{ op: "stop", clock: "claim" }];
  }
}

function reopenEffects(): ClockEffect[] {
  return [
    { op: "start", clock: "claim" },
    { op: "start", clock: "resolution" },
  ];
}
