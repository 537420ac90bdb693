import { describe, expect, it } from "vitest";
import { classifyText, textFeatures, trainClassifier } from "../../src/domain/text-classifier.ts";

/*
 * A three-post history small enough to work the naive Bayes arithmetic out on paper
 * (alpha 1, every feature kept): the model's counts, one posterior and the evidence order.
 */
const HISTORY = [
  { text: "lost bag", label: "baggage" },
  { text: "lost bag again", label: "baggage" },
  { text: "refund please", label: "refunds" },
];
const model = trainClassifier(HISTORY, { alpha: 1, minCount: 1 });

describe("a naive Bayes classifier worked out by hand", () => {
  it("counts documents, features and each label's total", () => {
    expect(model).toStrictEqual({
      format: "naive-bayes/1",
      labels: ["baggage", "refunds"],
      alpha: 1,
      documents: [2, 1],
      // baggage: lost 2, bag 2, "lost bag" 2, again 1, "bag again" 1; refunds: three once each.
      totals: [8, 3],
      counts: {
        again: [1, 0],
        bag: [2, 0],
        "bag again": [1, 0],
        lost: [2, 0],
        "lost bag": [2, 0],
        please: [0, 1],
        refund: [0, 1],
        "refund please": [0, 1],
      },
    });
    // With the default minCount of 2, only what occurs twice stays, and the totals follow.
    const pruned = trainClassifier(HISTORY, { alpha: 1 });
    expect(pruned.counts).toStrictEqual({ bag: [2, 0], lost: [2, 0], "lost bag": [2, 0] });
    expect(pruned.totals).toEqual([6, 0]);
  });

  it("names how many labels it got when there are too few", () => {
    expect(() => trainClassifier([{ text: "lost bag", label: "baggage" }])).toThrow(
      new RangeError("a classifier needs at least two labels; got 1"),
    );
  });

  it("scores with priors and smoothed likelihoods over a vocabulary of 8", () => {
    // "lost refund": known features lost and refund ("lost refund" was never seen).
    // baggage: 2/3 · (2+1)/(8+8) · (0+1)/(8+8); refunds: 1/3 · (0+1)/(3+8) · (1+1)/(3+8).
    const baggage = (2 / 3) * (3 / 16) * (1 / 16);
    const refunds = (1 / 3) * (1 / 11) * (2 / 11);
    const result = classifyText(model, "Lost refund");
    expect(result.label).toBe("baggage");
    expect(result.confidence).toBeCloseTo(baggage / (baggage + refunds), 12);
    // Only "lost" favours baggage: ratio (2+1)/(0+1) · 11/16 > 1; refund's is 1/2 · 11/16.
    expect(result.evidence).toEqual(["lost"]);

    const other = classifyText(model, "refund please please");
    const b = (2 / 3) * (1 / 16) ** 3;
    const r = (1 / 3) * (2 / 11) ** 3;
    expect(other.label).toBe("refunds");
    expect(other.confidence).toBeCloseTo(r / (b + r), 12);
  });

  it("orders evidence by weight, then alphabetically, and leaves out function words alone", () => {
    // bag and lost weigh 3 · 11/16 each; "bag again" 2 · 11/16; again alone is a function word.
    expect(textFeatures("bag again lost")).toEqual([
      "bag",
      "again",
      "lost",
      "bag again",
      "again lost",
    ]);
    expect(classifyText(model, "bag again lost").evidence).toEqual(["bag", "lost", "bag again"]);
    expect(classifyText(model, "lost bag please").evidence).toEqual(["bag", "lost", "lost bag"]);
  });

  it("drops handles and http links as well as https ones", () => {
    expect(textFeatures("@acme lost http://t.co/x bag")).toEqual(["lost", "bag", "lost bag"]);
  });
});
