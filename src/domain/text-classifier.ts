/**
 * A small text classifier: multinomial naive Bayes over the words and word pairs of a post,
 * each counted once per post (the "binarised" variant, which suits short texts such as
 * tweets). Numbers in, numbers out: training and scoring are pure and deterministic, so the
 * same examples always give the same model, byte for byte once serialised.
 */
import { tokenize } from "./text-match.ts";

/** A trained classifier, as plain JSON-safe data (it is stored in the database). */
export interface TextClassifier {
  format: "naive-bayes/1";
  /** The classes, sorted. */
  labels: string[];
  /** Additive (Laplace/Lidstone) smoothing. */
  alpha: number;
  /** Training posts per label, in `labels` order. */
  documents: number[];
  /** Feature occurrences per label, in `labels` order (each feature once per post). */
  totals: number[];
  /** Feature → occurrences per label, in `labels` order; keys sorted. */
  counts: Record<string, number[]>;
}

/** One training example: a post's text and the class a person gave it. */
export interface LabelledText {
  text: string;
  label: string;
}

/** Knobs for training; the defaults suit a few hundred to a few thousand short posts. */
export interface TrainOptions {
  /** Smoothing added to every count. Default 0.5. */
  alpha?: number;
  /** Features seen in fewer posts than this are left out of the model. Default 2. */
  minCount?: number;
}

/** A prediction: the most likely class, its posterior probability and the words that argued for it. */
export interface Classification {
  label: string;
  /** Posterior probability of `label`, 0..1. */
  confidence: number;
  /** Up to three features of the text that favour `label` most over the runner-up. */
  evidence: string[];
}

const DEFAULT_ALPHA = 0.5;
const DEFAULT_MIN_COUNT = 2;
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

/**
 * Trains a classifier on labelled texts. Deterministic: the model depends only on the
 * multiset of examples, not their order. Throws RangeError when fewer than two labels occur,
 * since a classifier with one class has nothing to decide.
 */
export function trainClassifier(
  examples: readonly LabelledText[],
  options: TrainOptions = {},
): TextClassifier {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) {
    throw new RangeError(`a classifier needs at least two labels; got ${labels.length}`);
  }
  const index = new Map(labels.map((label, i) => [label, i]));
  const documents = labels.map(() => 0);
  const raw = new Map<string, number[]>();
  for (const { text, label } of examples) {
    const at = index.get(label) ?? 0;
    documents[at] = (documents[at] ?? 0) + 1;
    for (const feature of textFeatures(text)) {
      const row = raw.get(feature) ?? labels.map(() => 0);
      row[at] = (row[at] ?? 0) + 1;
      raw.set(feature, row);
    }
  }
  const counts: Record<string, number[]> = {};
  const totals = labels.map(() => 0);
  for (const feature of [...raw.keys()].sort()) {
    const row = raw.get(feature) ?? [];
    if (sum(row) < minCount) continue;
    counts[feature] = row;
    row.forEach((n, i) => {
      totals[i] = (totals[i] ?? 0) + n;
    });
  }
  return { format: "naive-bayes/1", labels, alpha, documents, totals, counts };
}

/**
 * Scores a text against every class. Features the model never saw are ignored; a text with
 * none it knows falls back on the class priors (and so on a low confidence, usually).
 */
export function classifyText(model: TextClassifier, text: string): Classification {
  const features = textFeatures(text).filter((f) => model.counts[f] !== undefined);
  const logs = logPosteriors(model, features);
  const order = logs.map((_, i) => i).sort((a, b) => (logs[b] ?? 0) - (logs[a] ?? 0));
  const best = order[0] ?? 0;
  const runnerUp = order[1] ?? best;
  return {
    label: model.labels[best] ?? "",
    confidence: softmaxAt(logs, best),
    evidence: strongestEvidence(model, features, best, runnerUp),
  };
}

/** log P(label) + Σ log P(feature | label), per label, up to a shared constant. */
function logPosteriors(model: TextClassifier, features: readonly string[]): number[] {
  const vocabulary = vocabularySize(model);
  const allDocuments = sum(model.documents);
  return model.labels.map((_, i) => {
    const denominator = Math.log((model.totals[i] ?? 0) + model.alpha * vocabulary);
    let score = Math.log((model.documents[i] ?? 0) / allDocuments);
    for (const feature of features) score += logLikelihood(model, feature, i) - denominator;
    return score;
  });
}

function logLikelihood(model: TextClassifier, feature: string, label: number): number {
  return Math.log((model.counts[feature]?.[label] ?? 0) + model.alpha);
}

/** exp(logs[at]) / Σ exp(logs), computed without overflow. */
function softmaxAt(logs: readonly number[], at: number): number {
  const top = Math.max(...logs);
  const total = logs.reduce((acc, value) => acc + Math.exp(value - top), 0);
  return Math.exp((logs[at] ?? top) - top) / total;
}

/**
 * The features that favour `best` over `runnerUp` most (largest likelihood ratio, ties in
 * alphabetical order), for the card's "why". Only features that favour `best`, and none made
 * only of words like "on the", which score but explain nothing to a reader.
 */
function strongestEvidence(
  model: TextClassifier,
  features: readonly string[],
  best: number,
  runnerUp: number,
): string[] {
  if (best === runnerUp) return [];
  const vocabulary = vocabularySize(model);
  const norm = (i: number) => Math.log((model.totals[i] ?? 0) + model.alpha * vocabulary);
  const offset = norm(runnerUp) - norm(best);
  return features
    .map((feature) => ({
      feature,
      weight:
        logLikelihood(model, feature, best) - logLikelihood(model, feature, runnerUp) + offset,
    }))
    .filter((f) => f.weight > 0 && !f.feature.split(" ").every((word) => FUNCTION_WORDS.has(word)))
    .sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature))
    .slice(0, EVIDENCE_LIMIT)
    .map((f) => f.feature);
}

// Counting a model's features takes a while; models are immutable, so count each once.
const vocabularySizes = new WeakMap<TextClassifier, number>();

function vocabularySize(model: TextClassifier): number {
  let size = vocabularySizes.get(model);
  if (size === undefined) {
    size = Object.keys(model.counts).length;
    vocabularySizes.set(model, size);
  }
  return size;
}

function sum(values: readonly number[]): number {
  return values.reduce((acc, value) => acc + value, 0);
}
