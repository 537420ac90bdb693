import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ComplaintFacts,
  PRIORITIES,
  type Priority,
  type PriorityPolicy,
  type PriorityRule,
} from "../../src/domain/complaint.ts";
import { prioritizeComplaint } from "../../src/domain/priority.ts";

const policy: PriorityPolicy = {
  default: "P3",
  rules: [
    { name: "safety-words", match: { phrases: ["injured", "unsafe"] }, set: "P1" },
    { name: "press", match: { authors: ["nytimes"] }, set: "P2" },
    { name: "big-reach", match: { minFollowers: 10_000 }, raise: 1 },
    { name: "compliment", match: { phrases: ["thank you"] }, set: "P4" },
    { name: "viral", match: { minShares: 1_000 }, raise: 2 },
  ],
};

function facts(partial: Partial<ComplaintFacts>): ComplaintFacts {
  return { source: "twitter", text: "", ...partial };
}

function rank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

describe("prioritizeComplaint", () => {
  it("keeps the default when nothing matches", () => {
    expect(prioritizeComplaint(facts({ text: "meh" }), policy)).toEqual({
      priority: "P3",
      reasons: [],
    });
  });

  it("sets a more urgent level", () => {
    expect(prioritizeComplaint(facts({ text: "Crew member INJURED" }), policy)).toEqual({
      priority: "P1",
      reasons: ['rule "safety-words" set P1: phrase "injured"'],
    });
  });

  it("raises by steps", () => {
    const decision = prioritizeComplaint(
      facts({ text: "meh", author: { handle: "a", followers: 52_000 } }),
      policy,
    );
    expect(decision).toEqual({
      priority: "P2",
      reasons: ['rule "big-reach" raised 1: followers 52,000 ≥ 10,000'],
    });
  });

  it("never lowers with set", () => {
    expect(prioritizeComplaint(facts({ text: "thank you, nothing" }), policy)).toEqual({
      priority: "P3",
      reasons: [],
    });
  });

  it("applies every matching rule in order", () => {
    const decision = prioritizeComplaint(
      facts({ text: "hi", author: { handle: "NYTimes", followers: 50_000 } }),
      policy,
    );
    expect(decision).toEqual({
      priority: "P1",
      reasons: [
        'rule "press" set P2: author "@nytimes"',
        'rule "big-reach" raised 1: followers 50,000 ≥ 10,000',
      ],
    });
  });

  it("stops at P1 and reports the steps actually taken", () => {
    const decision = prioritizeComplaint(facts({ text: "hi", metrics: { shares: 5_000 } }), {
      ...policy,
      default: "P2",
    });
    expect(decision).toEqual({
      priority: "P1",
      reasons: ['rule "viral" raised 1: shares 5,000 ≥ 1,000'],
    });
  });

  it("leaves no reason for a raise that cannot go higher", () => {
    const decision = prioritizeComplaint(
      facts({ text: "unsafe", author: { handle: "a", followers: 10_000 } }),
      policy,
    );
    expect(decision.priority).toBe("P1");
    expect(decision.reasons).toEqual(['rule "safety-words" set P1: phrase "unsafe"']);
  });

  it("records a set that confirms the current level", () => {
    const decision = prioritizeComplaint(facts({ text: "hi", author: { handle: "nytimes" } }), {
      ...policy,
      default: "P2",
    });
    expect(decision).toEqual({
      priority: "P2",
      reasons: ['rule "press" confirmed P2: author "@nytimes"'],
    });
  });

  it("applies set, then raise, on one rule", () => {
    const decision = prioritizeComplaint(facts({ text: "x" }), {
      default: "P4",
      rules: [{ name: "both", match: {}, set: "P3", raise: 1 }],
    });
    expect(decision).toEqual({
      priority: "P2",
      reasons: ['rule "both" set P3 and raised 1: matches everything'],
    });
  });

  it("ignores raises that are zero, negative or not numbers", () => {
    for (const raise of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) {
      const decision = prioritizeComplaint(facts({ text: "x" }), {
        default: "P3",
        rules: [{ name: "odd", match: {}, raise }],
      });
      expect(decision).toEqual({ priority: "P3", reasons: [] });
    }
  });

  it("rounds a fractional raise down", () => {
    const decision = prioritizeComplaint(facts({ text: "x" }), {
      default: "P4",
      rules: [{ name: "odd", match: {}, raise: 1.9 }],
    });
    expect(decision.priority).toBe("P3");
  });
});

describe("prioritizeComplaint properties", () => {
  const priority = fc.constantFrom(...PRIORITIES);
  const word = fc.constantFrom("injured", "delay", "bag", "rude", "refund", "ok");
  const rule: fc.Arbitrary<PriorityRule> = fc.record({
    name: fc.constantFrom("a", "b", "c"),
    match: fc.record(
      { phrases: fc.array(word, { minLength: 1, maxLength: 2 }), minFollowers: fc.nat(20_000) },
      { requiredKeys: [] },
    ),
    set: fc.option(priority, { nil: undefined }),
    raise: fc.option(fc.integer({ min: -2, max: 4 }), { nil: undefined }),
  });
  const randomPolicy = fc.record({ default: priority, rules: fc.array(rule, { maxLength: 6 }) });
  const randomFacts = fc.record({
    source: fc.constant("twitter"),
    text: fc.array(word, { maxLength: 5 }).map((words) => words.join(" ")),
    author: fc.record({ handle: fc.constant("a"), followers: fc.nat(30_000) }),
  });

  it("is never less urgent than the default", () => {
    fc.assert(
      fc.property(randomFacts, randomPolicy, (f, p) => {
        expect(rank(prioritizeComplaint(f, p).priority)).toBeLessThanOrEqual(rank(p.default));
      }),
    );
  });

  it("is at least as urgent as every matching set rule", () => {
    fc.assert(
      fc.property(randomFacts, randomPolicy, (f, p) => {
        const result = rank(prioritizeComplaint(f, p).priority);
        for (const r of p.rules) {
          const alone = prioritizeComplaint(f, { default: "P4", rules: [{ ...r, raise: 0 }] });
          if (r.set !== undefined && alone.reasons.length > 0) {
            expect(result).toBeLessThanOrEqual(rank(r.set));
          }
        }
      }),
    );
  });

  it("gives one reason at most per rule, each naming a rule", () => {
    fc.assert(
      fc.property(randomFacts, randomPolicy, (f, p) => {
        const { reasons } = prioritizeComplaint(f, p);
        expect(reasons.length).toBeLessThanOrEqual(p.rules.length);
        for (const reason of reasons) expect(reason).toMatch(/^rule "[abc]" /);
      }),
    );
  });
});
