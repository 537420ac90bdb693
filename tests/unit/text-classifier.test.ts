import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyText,
  type LabelledText,
  textFeatures,
  trainClassifier,
} from "../../src/domain/text-classifier.ts";

// Hand-written posts in the style customers use; nothing here comes from a real data set.
const HISTORY: LabelledText[] = [
  { text: "three hours on the tarmac and still delayed", label: "operations" },
  { text: "flight delayed again, stuck on the tarmac", label: "operations" },
  { text: "delayed two hours, the pilot never showed", label: "operations" },
  { text: "diverted to Leeds and delayed overnight", label: "operations" },
  { text: "my suitcase never arrived in Denver", label: "baggage" },
  { text: "the suitcase came back with a broken handle", label: "baggage" },
  { text: "still no sign of my suitcase after three days", label: "baggage" },
  { text: "seat would not recline and the food was cold", label: "cabin" },
  { text: "the food was cold and the screen broken", label: "cabin" },
];

describe("textFeatures", () => {
  it("counts each word and each pair of adjacent words once, like the phrase matcher reads them", () => {
    expect(textFeatures("Wi-Fi down, wi-fi DOWN!")).toEqual([
      "wi",
      "fi",
      "down",
      "wi fi",
      "fi down",
      "down wi",
    ]);
  });

  it("leaves out @handles and links, which say who and where, not what", () => {
    expect(textFeatures("@SkylineAir late again https://t.co/abc")).toEqual([
      "late",
      "again",
      "late again",
    ]);
  });
});

describe("trainClassifier", () => {
  it("gives the same model whatever order the history comes in", () => {
    const reference = JSON.stringify(trainClassifier(HISTORY));
    fc.assert(
      fc.property(fc.shuffledSubarray(HISTORY, { minLength: HISTORY.length }), (shuffled) => {
        expect(JSON.stringify(trainClassifier(shuffled))).toBe(reference);
      }),
    );
  });

  it("keeps only features seen in at least minCount posts", () => {
    const model = trainClassifier(HISTORY, { minCount: 2 });
    expect(model.counts.tarmac).toEqual([0, 0, 2]);
    expect(model.counts.pilot).toBeUndefined();
    expect(trainClassifier(HISTORY, { minCount: 1 }).counts.pilot).toEqual([0, 0, 1]);
  });

  it("refuses a history with a single label: there would be nothing to decide", () => {
    expect(() => trainClassifier([{ text: "late", label: "operations" }])).toThrow(RangeError);
  });
});

describe("classifyText", () => {
  const model = trainClassifier(HISTORY);

  it.each([
    ["we have been delayed on the tarmac for an hour", "operations", "tarmac"],
    ["where is my suitcase", "baggage", "suitcase"],
    ["cold food again", "cabin", "food"],
  ])("labels %j as %s, citing %j", (text, label, word) => {
    const result = classifyText(model, text);
    expect(result.label).toBe(label);
    expect(result.evidence).toContain(word);
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it("is unsure about a post with no word it knows", () => {
    const result = classifyText(model, "hello there");
    expect(result.evidence).toEqual([]);
    expect(result.confidence).toBeLessThan(0.5);
  });

  it("returns a probability for any text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const { confidence, label } = classifyText(model, text);
        expect(confidence).toBeGreaterThan(0);
        expect(confidence).toBeLessThanOrEqual(1);
        expect(model.labels).toContain(label);
      }),
    );
  });
});
