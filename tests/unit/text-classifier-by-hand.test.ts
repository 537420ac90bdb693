import { describe, expect, it } from "vitest";
import {
  classifyText,
  type TextClassifier,
  textFeatures,
  trainClassifier,
} from "../../src/domain/text-classifier.ts";

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

// The same history's words and word pairs as a version stored before word pieces
// ("naive-bayes/1", still read): small enough to score on paper.
const WORDS_ONLY: TextClassifier = {
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
};
const pieces = (counts: Record<string, number[]>) =>
  Object.keys(counts).filter((f) => f.startsWith("~"));
const words = (counts: Record<string, number[]>) =>
  Object.keys(counts).filter((f) => !f.startsWith("~"));

describe("a naive Bayes classifier worked out by hand", () => {
  it("counts documents, features and each label's total", () => {
    expect(model).toMatchObject({
      format: "naive-bayes/3",
      labels: WORDS_ONLY.labels,
      alpha: 1,
      documents: WORDS_ONLY.documents,
      // Too few posts to hold any out: the scores are taken as they are.
      temperature: 1,
    });
    for (const [feature, row] of Object.entries(WORDS_ONLY.counts)) {
      expect(model.counts[feature]).toEqual(row);
    }
    expect(words(model.counts).sort()).toEqual(Object.keys(WORDS_ONLY.counts).sort());
    // "lost" in both baggage posts: its pieces "<lo", "los", "ost", "st>", "<los", "lost",
    // "ost>", "<lost", "lost>" twice each, as many as the word itself.
    for (const piece of ["<lo", "los", "ost", "st>", "<los", "lost", "ost>", "<lost", "lost>"]) {
      expect(model.counts[`~${piece}`]).toEqual([2, 0]);
    }
    // Each label's total is the sum of its column, pieces included.
    const column = (i: number) =>
      Object.values(model.counts).reduce((acc, row) => acc + (row[i] ?? 0), 0);
    expect(model.totals).toEqual([column(0), column(1)]);
    // With minCount 2, only what occurs twice stays, and the totals follow.
    const pruned = trainClassifier(HISTORY, { alpha: 1, minCount: 2 });
    expect(words(pruned.counts)).toEqual(["bag", "lost", "lost bag"]);
    expect(pieces(pruned.counts)).toContain("~<bag>");
    expect(pruned.totals[1]).toBe(0);
  });

  it("names how many labels it got when there are too few", () => {
    expect(() => trainClassifier([{ text: "lost bag", label: "baggage" }])).toThrow(
      new RangeError("a classifier needs at least two labels; got 1"),
    );
  });

  it("scores with priors and smoothed likelihoods over a vocabulary of 8", () => {
    const model = WORDS_ONLY;
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

  it("divides the scores by the temperature before they become a confidence", () => {
    const calibrated: TextClassifier = { ...WORDS_ONLY, format: "naive-bayes/2", temperature: 2 };
    // Same counts, so the same log scores, halved: each probability's square root, renormalised.
    const baggage = Math.sqrt((2 / 3) * (3 / 16) * (1 / 16));
    const refunds = Math.sqrt((1 / 3) * (1 / 11) * (2 / 11));
    const result = classifyText(calibrated, "Lost refund");
    expect(result.label).toBe("baggage");
    expect(result.confidence).toBeCloseTo(baggage / (baggage + refunds), 12);
    expect(classifyText(WORDS_ONLY, "Lost refund").confidence).toBeGreaterThan(result.confidence);
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
    expect(classifyText(WORDS_ONLY, "bag again lost").evidence).toEqual([
      "bag",
      "lost",
      "bag again",
    ]);
    expect(classifyText(WORDS_ONLY, "lost bag please").evidence).toEqual([
      "bag",
      "lost",
      "lost bag",
    ]);
    // Word pieces score, but a reader is shown words.
    expect(classifyText(model, "lost bag please").evidence).toEqual(["bag", "lost", "lost bag"]);
  });

  it("drops handles and http links as well as https ones", () => {
    expect(textFeatures("@acme lost http://t.co/x bag")).toEqual(["lost", "bag", "lost bag"]);
  });
});
