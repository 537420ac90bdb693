import { describe, expect, it } from "vitest";
import { type ActorFacts, mayPerform, mayReceive } from "../../src/domain/permissions.ts";
import { THREAD_ACTION_TYPES } from "../../src/domain/thread-lifecycle.ts";

const member: ActorFacts = { userId: "U1", isAdmin: false, leads: [], memberOf: ["baggage"] };
const outsider: ActorFacts = { userId: "U9", isAdmin: false, leads: [], memberOf: ["pr"] };
const lead: ActorFacts = { userId: "U2", isAdmin: false, leads: ["baggage"], memberOf: [] };
const admin: ActorFacts = { userId: "U3", isAdmin: true, leads: [], memberOf: [] };
const ownedByOther = { state: "claimed" as const, owner: "U7", department: "baggage" };
const ownedBySelf = { state: "claimed" as const, owner: "U1", department: "baggage" };
const unowned = { state: "open" as const, department: "baggage" };

describe("mayPerform", () => {
  it("lets department members claim and work unowned threads", () => {
    for (const action of THREAD_ACTION_TYPES)
      expect(mayPerform(member, unowned, action).ok).toBe(true);
  });

  it("refuses people outside the department, naming it as people know it when given", () => {
    const verdict = mayPerform(outsider, unowned, "claim");
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining("the baggage department"),
    });
    expect(mayPerform(outsider, unowned, "claim", "Baggage Services")).toEqual({
      ok: false,
      reason:
        "Only members of Baggage Services (its channel or user group), its leads and admins can act on this thread.",
    });
    expect(mayPerform(member, ownedByOther, "resolve", "Baggage Services")).toEqual({
      ok: false,
      reason:
        "<@U7> owns this thread: only they, a lead of Baggage Services or an admin can do that.",
    });
  });

  it.each([
    "hand_over_person",
    "hand_over_department",
    "respond",
    "wait_on_customer",
    "resolve",
    "dismiss",
  ] as const)("keeps %s on someone else's thread to its owner, leads and admins", (action) => {
    expect(mayPerform(member, ownedByOther, action)).toEqual({
      ok: false,
      reason: expect.stringContaining("<@U7>"),
    });
    expect(mayPerform(member, ownedBySelf, action).ok).toBe(true);
    expect(mayPerform(lead, ownedByOther, action).ok).toBe(true);
    expect(mayPerform(admin, ownedByOther, action).ok).toBe(true);
  });

  it("lets a lead act on their department's threads without being in its channel", () => {
    expect(mayPerform(lead, unowned, "claim").ok).toBe(true);
    expect(mayPerform(lead, { ...unowned, department: "pr" }, "claim").ok).toBe(false);
  });
});

describe("mayReceive", () => {
  it("lets a thread be handed to a member, a lead or an admin: someone who could work it", () => {
    for (const recipient of [member, lead, admin]) {
      expect(mayReceive(recipient, "baggage")).toEqual({ ok: true });
    }
  });

  it("refuses anyone else, naming them, the department and what to do instead", () => {
    expect(mayReceive(outsider, "baggage")).toEqual({
      ok: false,
      reason:
        "<@U9> is not a member of the baggage department (its channel or user group), so could not work this thread: hand it to a member, or hand it to their department instead.",
    });
  });
});
