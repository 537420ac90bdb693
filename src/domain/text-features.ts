/**
 * What the learned classifiers share: how a post becomes features, what a prediction looks
 * like, and how a prediction explains itself. Pure: no I/O.
 */
import { tokenize } from "./text-match.ts";

/** One training example: a post's text and the class a person gave it. */
export interface LabelledText {
  text: string;
  label: string;
}

/** A prediction: the most likely class, its probability and the words that argued for it. */
export interface Classification {
  label: string;
  /** Probability of `label`, 0..1. */
  confidence: number;
  /** Up to three features of the text that favour `label` most over the runner-up. */
  evidence: string[];
}

const EVIDENCE_LIMIT = 3;

// Shown to people as the model's reasons: words that carry no meaning on their own are left out
// of the explanation (never of the scoring).
const FUNCTION_WORDS = new Set(
  (
    "a an the and or but if so of to in on at by for from with without about as into onto " +
    "is am are was were be been being do does did have has had i me my we us our you your " +
    "it its this that these those they them their he she his her not no just very again"
  ).split(" "),
);

// Handles name who a post is addressed to, and links are noise: neither says what it is about.
const HANDLE_OR_LINK = /@\w+|https?:\/\/\S+/gu;

/**
 * The features of a text: its words (the phrase matcher's tokens) and each pair of adjacent
 * words ("on hold", "lost my"), once each, in first-seen order.
 */
export function textFeatures(text: string): string[] {
  const words = tokenize(text.replace(HANDLE_OR_LINK, " "));
  const features = new Set<string>(words);
  for (let i = 1; i < words.length; i++) features.add(`${words[i - 1]} ${words[i]}`);
  return [...features];
}

/** The classes of a history, sorted; a RangeError when fewer than two, as there is nothing to decide. */
export function classLabels(examples: readonly LabelledText[]): string[] {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) {
    throw new RangeError(`a classifier needs at least two labels; got ${labels.length}`);
  }
  return labels;
}

/**
 * The evidence for a prediction: the features weighing most for it (weight > 0), largest
 * first, ties in alphabetical order, leaving out those made only of words like "on the".
 */
export function strongestFeatures(
  features: readonly string[],
  weightOf: (feature: string) => number,
): string[] {
  return features
    .map((feature) => ({ feature, weight: weightOf(feature) }))
    .filter((f) => f.weight > 0 && !f.feature.split(" ").every((word) => FUNCTION_WORDS.has(word)))
    .sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature))
    .slice(0, EVIDENCE_LIMIT)
    .map((f) => f.feature);
}

/** exp(scores[at]) / Σ exp(scores), computed without overflow. */
export function softmaxAt(scores: readonly number[], at: number): number {
  const top = Math.max(...scores);
  const total = scores.reduce((acc, value) => acc + Math.exp(value - top), 0);
  return Math.exp((scores[at] ?? top) - top) / total;
}

/** Indexes of the best and second-best scores (the first of equals wins). */
export function bestTwo(scores: readonly number[]): { best: number; runnerUp: number } {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0));
  const best = order[0] ?? 0;
  return { best, runnerUp: order[1] ?? best };
}
