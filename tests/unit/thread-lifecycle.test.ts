import { describe, expect, it } from "vitest";
import {
  applyAction,
  clockEffects,
  THREAD_ACTION_TYPES,
  THREAD_STATES,
  type ThreadAction,
  type ThreadActionType,
  type ThreadSnapshot,
  type ThreadState,
  TRANSITIONS,
} from "../../src/domain/thread-lifecycle.ts";

const ALICE = "U0ALICE";
const BOB = "U0BOB";

/** A valid example of each action, so only the table decides. */
const ACTIONS: Record<ThreadActionType, ThreadAction> = {
  claim: { type: "claim", by: BOB },
  hand_over_person: { type: "hand_over_person", to: BOB, by: ALICE },
  hand_over_department: { type: "hand_over_department", to: "refunds", by: ALICE },
  respond: { type: "respond", reply: { kind: "public", url: "https://x.com/acme/status/1" } },
  wait_on_customer: { type: "wait_on_customer", by: ALICE },
  customer_replied: { type: "customer_replied", messageUrl: "https://x.com/jane/status/2" },
  resolve: { type: "resolve", by: ALICE },
  dismiss: { type: "dismiss", reason: "spam", by: ALICE },
  reopen: { type: "reopen", by: ALICE },
  return_to_owner: { type: "return_to_owner", to: ALICE },
};

function thread(state: ThreadState): ThreadSnapshot {
  return state === "open"
    ? { state, department: "baggage" }
    : { state, owner: ALICE, department: "baggage" };
}

// The whole table written out by hand: a target state, or null for refused.
const EXPECTED: Record<ThreadState, Record<ThreadActionType, ThreadState | null>> = {
  open: {
    claim: "claimed",
    hand_over_person: "claimed",
    hand_over_department: "open",
    respond: null,
    wait_on_customer: null,
    customer_replied: "open",
    resolve: "resolved",
    dismiss: "dismissed",
    reopen: null,
    return_to_owner: "claimed",
  },
  claimed: {
    claim: null,
    hand_over_person: "claimed",
    hand_over_department: "open",
    respond: "responded",
    wait_on_customer: null,
    customer_replied: "claimed",
    resolve: "resolved",
    dismiss: "dismissed",
    reopen: null,
    return_to_owner: null,
  },
  responded: {
    claim: null,
    hand_over_person: "responded",
    hand_over_department: "open",
    respond: "responded",
    wait_on_customer: "waiting_on_customer",
    customer_replied: "claimed",
    resolve: "resolved",
    dismiss: null,
    reopen: null,
    return_to_owner: null,
  },
  waiting_on_customer: {
    claim: null,
    hand_over_person: "waiting_on_customer",
    hand_over_department: "open",
    respond: null,
    wait_on_customer: null,
    customer_replied: "claimed",
    resolve: "resolved",
    dismiss: null,
    reopen: null,
    return_to_owner: null,
  },
  resolved: {
    claim: null,
    hand_over_person: null,
    hand_over_department: null,
    respond: null,
    wait_on_customer: null,
    customer_replied: "open",
    resolve: null,
    dismiss: null,
    reopen: "open",
    return_to_owner: null,
  },
  dismissed: {
    claim: null,
    hand_over_person: null,
    hand_over_department: null,
    respond: null,
    wait_on_customer: null,
    customer_replied: "open",
    resolve: null,
    dismiss: null,
    reopen: "open",
    return_to_owner: null,
  },
};

const CELLS = THREAD_STATES.flatMap((state) =>
  THREAD_ACTION_TYPES.map((action) => ({ state, action, expected: EXPECTED[state][action] })),
);

describe("transition table", () => {
  it.each(CELLS)("$state + $action → $expected", ({ state, action, expected }) => {
    const result = applyAction(thread(state), ACTIONS[action]);
    if (expected === null) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/\w.{10,}/);
      expect(TRANSITIONS[state][action]).toBeUndefined();
    } else {
      expect(result).toMatchObject({ ok: true, next: { state: expected } });
      if (result.ok)
        expect(result.event).toMatchObject({ kind: action, from: state, to: expected });
    }
  });

  it("refuses anything but a reopen on closed threads, saying so", () => {
    expect(applyAction(thread("resolved"), ACTIONS.claim)).toEqual({
      ok: false,
      reason: "This thread is resolved; reopen it first",
    });
    expect(applyAction(thread("dismissed"), ACTIONS.respond)).toEqual({
      ok: false,
      reason: "This thread was dismissed; reopen it first",
    });
  });

  it("explains the common refusals in words", () => {
    const refused = (state: ThreadState, action: ThreadActionType) => {
      const result = applyAction(thread(state), ACTIONS[action]);
      return result.ok ? "" : result.reason;
    };
    expect(refused("open", "respond")).toBe("Claim this thread before marking it responded");
    expect(refused("claimed", "claim")).toMatch(/already claimed/);
    expect(refused("responded", "dismiss")).toMatch(/resolve it instead/);
    expect(refused("claimed", "reopen")).toMatch(/nothing to reopen/);
  });
});

describe("owners, departments and events", () => {
  it("claiming sets the owner", () => {
    const result = applyAction(thread("open"), { type: "claim", by: BOB });
    expect(result).toEqual({
      ok: true,
      next: { state: "claimed", owner: BOB, department: "baggage" },
      event: { kind: "claim", from: "open", to: "claimed", details: { by: BOB, owner: BOB } },
      clockEffects: [{ op: "stop", clock: "claim" }],
    });
  });

  it("handing over to a person keeps the state and changes the owner", () => {
    const result = applyAction(thread("responded"), ACTIONS.hand_over_person);
    expect(result).toMatchObject({
      ok: true,
      next: { state: "responded", owner: BOB },
      event: { details: { owner: BOB, previousOwner: ALICE, by: ALICE } },
    });
    expect(applyAction(thread("claimed"), { type: "hand_over_person", to: ALICE })).toEqual({
      ok: false,
      reason: "That person already owns this thread",
    });
  });

  it("handing over to a department clears the owner and reopens the thread there", () => {
    const result = applyAction(thread("waiting_on_customer"), {
      type: "hand_over_department",
      to: "refunds",
      note: "refund request",
    });
    expect(result).toMatchObject({
      ok: true,
      next: { state: "open", department: "refunds" },
      event: {
        details: { department: "refunds", previousDepartment: "baggage", previousOwner: ALICE },
      },
    });
    if (result.ok) expect(result.next.owner).toBeUndefined();
    expect(applyAction(thread("claimed"), { type: "hand_over_department", to: "baggage" })).toEqual(
      { ok: false, reason: "This thread is already with that department" },
    );
  });

  it("records a public reply link or a private reply", () => {
    const publicReply = applyAction(thread("claimed"), ACTIONS.respond);
    expect(publicReply).toMatchObject({
      event: { details: { reply: "https://x.com/acme/status/1" } },
    });
    const privateReply = applyAction(thread("claimed"), {
      type: "respond",
      reply: { kind: "private" },
    });
    expect(privateReply).toMatchObject({ ok: true, event: { details: { reply: "private" } } });
    expect(
      applyAction(thread("claimed"), { type: "respond", reply: { kind: "public", url: "soon" } }),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/link/) });
  });

  it("requires a known dismiss reason and keeps the note", () => {
    const result = applyAction(thread("open"), {
      type: "dismiss",
      reason: "duplicate",
      note: "same as yesterday's",
    });
    expect(result).toMatchObject({
      ok: true,
      next: { state: "dismissed" },
      event: { reason: "duplicate", details: { note: "same as yesterday's" } },
    });
    const forged = { type: "dismiss", reason: "boring" } as unknown as ThreadAction;
    expect(applyAction(thread("open"), forged)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Pick a reason/),
    });
  });

  it("reopens closed threads unowned, suggesting the previous owner", () => {
    for (const action of [ACTIONS.reopen, ACTIONS.customer_replied]) {
      const result = applyAction(thread("resolved"), action);
      expect(result).toMatchObject({
        ok: true,
        next: { state: "open", department: "baggage" },
        event: { details: { suggestedOwner: ALICE } },
      });
      if (result.ok) expect(result.next.owner).toBeUndefined();
    }
  });

  it("sends a customer's reply back to the owner, or to the channel when nobody owns it", () => {
    expect(applyAction(thread("waiting_on_customer"), ACTIONS.customer_replied)).toMatchObject({
      next: { state: "claimed", owner: ALICE },
    });
    const unowned: ThreadSnapshot = { state: "responded", department: "baggage" };
    expect(applyAction(unowned, ACTIONS.customer_replied)).toMatchObject({
      next: { state: "open" },
    });
  });

  it("requires a claimant", () => {
    expect(applyAction(thread("open"), { type: "claim", by: "" })).toMatchObject({ ok: false });
  });
});

describe("clock effects", () => {
  const effects = (from: ThreadState, to: ThreadState, type: ThreadActionType) =>
    clockEffects(from, to, { type });

  it("stops the claim clock when someone owns the thread", () => {
    expect(effects("open", "claimed", "claim")).toEqual([{ op: "stop", clock: "claim" }]);
    expect(effects("open", "claimed", "hand_over_person")).toEqual([
      { op: "stop", clock: "claim" },
    ]);
    expect(effects("claimed", "claimed", "hand_over_person")).toEqual([]);
  });

  it("stops response clocks on respond", () => {
    expect(effects("claimed", "responded", "respond")).toEqual([
      { op: "stop", clock: "firstResponse" },
      { op: "stop", clock: "nextResponse" },
    ]);
  });

  it("pauses everything while waiting on the customer and resumes when they reply", () => {
    expect(effects("responded", "waiting_on_customer", "wait_on_customer")).toEqual([
      { op: "pause", clock: "all" },
    ]);
    expect(effects("waiting_on_customer", "claimed", "customer_replied")).toEqual([
      { op: "resume", clock: "all" },
      { op: "start", clock: "nextResponse" },
    ]);
    expect(effects("responded", "claimed", "customer_replied")).toEqual([
      { op: "start", clock: "nextResponse" },
    ]);
    expect(effects("claimed", "claimed", "customer_replied")).toEqual([]);
    expect(effects("waiting_on_customer", "waiting_on_customer", "hand_over_person")).toEqual([]);
  });

  it("restarts the claim clock on a department hand-over", () => {
    expect(effects("claimed", "open", "hand_over_department")).toEqual([
      { op: "start", clock: "claim" },
    ]);
    expect(effects("waiting_on_customer", "open", "hand_over_department")).toEqual([
      { op: "resume", clock: "all" },
      { op: "start", clock: "claim" },
    ]);
  });

  it("stops every clock on resolve or dismiss, without resuming first", () => {
    expect(effects("waiting_on_customer", "resolved", "resolve")).toEqual([
      { op: "stop", clock: "all" },
    ]);
    expect(effects("open", "dismissed", "dismiss")).toEqual([{ op: "stop", clock: "all" }]);
  });

  it("restarts claim and resolution on reopening, and a response clock when the customer wrote", () => {
    expect(effects("resolved", "open", "reopen")).toEqual([
      { op: "start", clock: "claim" },
      { op: "start", clock: "resolution" },
    ]);
    expect(effects("dismissed", "open", "customer_replied")).toEqual([
      { op: "start", clock: "claim" },
      { op: "start", clock: "resolution" },
      { op: "start", clock: "nextResponse" },
    ]);
  });
});
