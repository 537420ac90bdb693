import { describe, expect, it } from "vitest";
import type { ComplaintFacts, RoutingPolicy } from "../../src/domain/complaint.ts";
import {
  formatConfidence,
  type LearnedFallback,
  routeWithLearnedFallback,
} from "../../src/domain/learned-routing.ts";
import { DEFAULT_ROUTE_REASON } from "../../src/domain/routing.ts";
import { trainClassifier } from "../../src/domain/text-classifier.ts";

const policy: RoutingPolicy = {
  defaultDepartment: "service",
  rules: [{ name: "bags", department: "baggage", match: { phrases: ["bag", "suitcase"] } }],
};

const classifier = trainClassifier([
  { text: "stuck on the tarmac for hours", label: "operations" },
  { text: "tarmac again, nobody tells us anything", label: "operations" },
  { text: "two hours on the tarmac with the engines off", label: "operations" },
  { text: "the agent was rude to my mother", label: "service" },
  { text: "rude agent at the desk", label: "service" },
  { text: "nobody at the desk was helpful", label: "service" },
]);

function fallback(minConfidence: number, allowed = ["service", "operations", "baggage"]) {
  return { model: { version: 7, classifier }, minConfidence, allowed } satisfies LearnedFallback;
}

const post = (text: string): ComplaintFacts => ({ source: "twitter", text });

describe("routeWithLearnedFallback", () => {
  it("follows a confident model where no rule matched, and says why", () => {
    const decision = routeWithLearnedFallback(post("an hour on the tarmac"), policy, fallback(0.6));
    expect(decision.department).toBe("operations");
    expect(decision.rule).toBeNull();
    expect(decision.modelVersion).toBe(7);
    expect(decision.reason).toMatch(/^learned: operations 0\.\d\d — 'tarmac'.* \(model v7\)$/);
  });

  it("never overrides a rule, however sure the model is", () => {
    const text = "my bag sat on the tarmac for hours";
    const decision = routeWithLearnedFallback(post(text), policy, fallback(0));
    expect(decision).toMatchObject({ department: "baggage", rule: "bags" });
    expect(decision.modelVersion).toBeUndefined();
  });

  it("below the configured confidence, keeps the default department and notes the guess", () => {
    const decision = routeWithLearnedFallback(post("an hour on the tarmac"), policy, fallback(1));
    expect(decision.department).toBe("service");
    expect(decision.modelVersion).toBeUndefined();
    expect(decision.reason).toMatch(
      new RegExp(`^${DEFAULT_ROUTE_REASON} \\(model v7 guessed operations 0\\.\\d\\d < 1\\.00\\)$`),
    );
  });

  it("ignores a guess naming a department the workspace no longer has", () => {
    const decision = routeWithLearnedFallback(
      post("an hour on the tarmac"),
      policy,
      fallback(0, ["service", "baggage"]),
    );
    expect(decision.department).toBe("service");
    expect(decision.reason).toContain('guessed unknown "operations"');
  });

  it("without a model, routes exactly as the rules do", () => {
    expect(routeWithLearnedFallback(post("tarmac"), policy, undefined)).toEqual({
      department: "service",
      rule: null,
      reason: DEFAULT_ROUTE_REASON,
    });
  });
});

describe("formatConfidence", () => {
  it("shows two decimals and never rounds up to a certainty it lacks", () => {
    expect(formatConfidence(0.29)).toBe("0.29");
    expect(formatConfidence(0.999)).toBe("0.99");
    expect(formatConfidence(0.8)).toBe("0.80");
  });
});
