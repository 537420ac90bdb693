import { describe, expect, it } from "vitest";
import {
  applyAction,
  clockEffects,
  refusalReason,
  type ThreadAction,
  type ThreadSnapshot,
} from "../../src/domain/thread-lifecycle.ts";

/*
 * Whole results of applyAction, compared strictly: the event's details go to the thread's
 * history and the card's context line, so a key that should not be there (an undefined owner,
 * a reason on something that is not a dismissal) is a difference too.
 */

const ALICE = "U0ALICE";
const BOB = "U0BOB";
const claimed: ThreadSnapshot = { state: "claimed", owner: ALICE, department: "baggage" };
const open: ThreadSnapshot = { state: "open", department: "baggage" };
const apply = (thread: ThreadSnapshot, action: ThreadAction) => applyAction(thread, action);

describe("thread events in full", () => {
  it("claim: the claimer owns it, the claim clock stops", () => {
    expect(apply(open, { type: "claim", by: BOB })).toStrictEqual({
      ok: true,
      next: { state: "claimed", owner: BOB, department: "baggage" },
      event: { kind: "claim", from: "open", to: "claimed", details: { by: BOB, owner: BOB } },
      clockEffects: [{ op: "stop", clock: "claim" }],
    });
  });

  it("hand-over to a person: new owner, previous owner and note recorded, no clock touched", () => {
    const action: ThreadAction = { type: "hand_over_person", to: BOB, by: ALICE, note: "leave" };
    expect(apply(claimed, action)).toStrictEqual({
      ok: true,
      next: { state: "claimed", owner: BOB, department: "baggage" },
      event: {
        kind: "hand_over_person",
        from: "claimed",
        to: "claimed",
        details: { by: ALICE, owner: BOB, previousOwner: ALICE, note: "leave" },
      },
      clockEffects: [],
    });
  });

  it("hand-over to a department: open there with no owner key at all, claim clock restarts", () => {
    const action: ThreadAction = { type: "hand_over_department", to: "refunds", by: ALICE };
    expect(apply(claimed, action)).toStrictEqual({
      ok: true,
      next: { state: "open", department: "refunds" },
      event: {
        kind: "hand_over_department",
        from: "claimed",
        to: "open",
        details: {
          by: ALICE,
          department: "refunds",
          previousDepartment: "baggage",
          previousOwner: ALICE,
        },
      },
      clockEffects: [{ op: "start", clock: "claim" }],
    });
    // From open nobody owned it, so no previous owner is recorded.
    const fromOpen = apply(open, { type: "hand_over_department", to: "refunds" });
    expect(fromOpen.ok && fromOpen.event.details).toStrictEqual({
      department: "refunds",
      previousDepartment: "baggage",
    });
  });

  it("respond: the link or 'private', and only who acted when someone did", () => {
    const url = "http://x.com/acme/status/1";
    expect(apply(claimed, { type: "respond", reply: { kind: "public", url } })).toStrictEqual({
      ok: true,
      next: { state: "responded", owner: ALICE, department: "baggage" },
      event: { kind: "respond", from: "claimed", to: "responded", details: { reply: url } },
      clockEffects: [
        { op: "stop", clock: "firstResponse" },
        { op: "stop", clock: "nextResponse" },
      ],
    });
    const privately = apply(claimed, { type: "respond", reply: { kind: "private" }, by: ALICE });
    expect(privately.ok && privately.event.details).toStrictEqual({ by: ALICE, reply: "private" });
  });

  it("refuses a public reply without a single link", () => {
    const refused = { ok: false, reason: "A public reply needs a link to it (https://…)" };
    for (const url of ["see https://x.com/1", "https://x.com/a b", "ftp://x.com/1", "https://"]) {
      expect(apply(claimed, { type: "respond", reply: { kind: "public", url } })).toStrictEqual(
        refused,
      );
    }
  });

  it("a customer writing to a resolved thread reopens it, suggests its owner, starts three clocks", () => {
    const resolved: ThreadSnapshot = { state: "resolved", owner: ALICE, department: "baggage" };
    const messageUrl = "https://x.com/jane/status/2";
    expect(apply(resolved, { type: "customer_replied", messageUrl })).toStrictEqual({
      ok: true,
      next: { state: "open", department: "baggage" },
      event: {
        kind: "customer_replied",
        from: "resolved",
        to: "open",
        details: { messageUrl, suggestedOwner: ALICE },
      },
      clockEffects: [
        { op: "start", clock: "claim" },
        { op: "start", clock: "resolution" },
        { op: "start", clock: "nextResponse" },
      ],
    });
  });

  it("a customer writing to a claimed thread changes nothing but the history", () => {
    const messageUrl = "https://x.com/jane/status/3";
    expect(apply(claimed, { type: "customer_replied", messageUrl })).toStrictEqual({
      ok: true,
      next: claimed,
      event: { kind: "customer_replied", from: "claimed", to: "claimed", details: { messageUrl } },
      clockEffects: [],
    });
  });

  it("a customer writing while we wait on them: back to the owner, clocks resume", () => {
    const waiting: ThreadSnapshot = { ...claimed, state: "waiting_on_customer" };
    const result = apply(waiting, { type: "customer_replied" });
    expect(result).toStrictEqual({
      ok: true,
      next: claimed,
      event: { kind: "customer_replied", from: "waiting_on_customer", to: "claimed", details: {} },
      clockEffects: [
        { op: "resume", clock: "all" },
        { op: "start", clock: "nextResponse" },
      ],
    });
  });

  it("reopen a dismissed thread: owner suggested, note kept, claim and resolution restart", () => {
    const dismissed: ThreadSnapshot = { state: "dismissed", owner: ALICE, department: "baggage" };
    expect(apply(dismissed, { type: "reopen", by: BOB, note: "not spam" })).toStrictEqual({
      ok: true,
      next: { state: "open", department: "baggage" },
      event: {
        kind: "reopen",
        from: "dismissed",
        to: "open",
        details: { by: BOB, note: "not spam", suggestedOwner: ALICE },
      },
      clockEffects: [
        { op: "start", clock: "claim" },
        { op: "start", clock: "resolution" },
      ],
    });
  });

  it("dismiss carries its reason; resolve does not, and both stop every clock", () => {
    expect(apply(open, { type: "dismiss", reason: "duplicate", by: ALICE })).toStrictEqual({
      ok: true,
      next: { state: "dismissed", department: "baggage" },
      event: {
        kind: "dismiss",
        from: "open",
        to: "dismissed",
        reason: "duplicate",
        details: { by: ALICE },
      },
      clockEffects: [{ op: "stop", clock: "all" }],
    });
    expect(apply(claimed, { type: "resolve", by: ALICE, note: "refunded" })).toStrictEqual({
      ok: true,
      next: { state: "resolved", owner: ALICE, department: "baggage" },
      event: {
        kind: "resolve",
        from: "claimed",
        to: "resolved",
        details: { by: ALICE, note: "refunded" },
      },
      clockEffects: [{ op: "stop", clock: "all" }],
    });
  });

  it("asks for the person or department a hand-over goes to", () => {
    expect(apply(claimed, { type: "hand_over_person", to: "" })).toStrictEqual({
      ok: false,
      reason: "Pick the person to hand this thread to",
    });
    expect(apply(claimed, { type: "hand_over_department", to: "" })).toStrictEqual({
      ok: false,
      reason: "Pick the department to hand this thread to",
    });
  });

  it("explains refusals while waiting on the customer, and in general words elsewhere", () => {
    const waiting: ThreadSnapshot = { ...claimed, state: "waiting_on_customer" };
    const reply = { kind: "private" } as const;
    expect(apply(waiting, { type: "respond", reply })).toStrictEqual({
      ok: false,
      reason: "This thread is waiting on the customer; it needs a response once they reply",
    });
    expect(apply(waiting, { type: "wait_on_customer" })).toStrictEqual({
      ok: false,
      reason: "This thread is already waiting on the customer",
    });
    expect(refusalReason("open", "claim")).toBe("Can't claim a thread that is open");
    expect(refusalReason("claimed", "hand_over_department")).toBe(
      "Can't hand over department a thread that is claimed",
    );
    expect(refusalReason("waiting_on_customer", "resolve")).toBe(
      "Can't resolve a thread that is waiting on customer",
    );
  });

  it("resumes the clocks when leaving the wait for any active state", () => {
    for (const to of ["open", "claimed", "responded"] as const) {
      expect(clockEffects("waiting_on_customer", to, { type: "resolve" })).toStrictEqual([
        { op: "resume", clock: "all" },
        { op: "stop", clock: "all" },
      ]);
    }
    expect(clockEffects("waiting_on_customer", "resolved", { type: "resolve" })).toStrictEqual([
      { op: "stop", clock: "all" },
    ]);
  });
});
