/**
 * Multinomial naive Bayes over the words and word pairs of a post, each counted once per post
 * (the "binarised" variant, which suits short texts such as tweets). Trains in one pass and is
 * sure of itself after a few dozen examples; a little less accurate than logistic regression
 * on a few thousand (bench/README.md, routing-accuracy). Pure and deterministic: the same
 * examples give the same model, byte for byte once serialised.
 */
import {
  bestTwo,
  type Classification,
  classLabels,
  type LabelledText,
  softmaxAt,
  strongestFeatures,
  textFeatures,
} from "./text-features.ts";

/** A trained naive Bayes model, as plain JSON-safe data (it is stored in the database). */
export interface NaiveBayesModel {
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

export interface NaiveBayesOptions {
  /** Smoothing added to every count. Default 0.5. */
  alpha?: number | undefined;
  /** Features seen in fewer posts than this are left out of the model. Default 2. */
  minCount?: number | undefined;
}

const DEFAULT_ALPHA = 0.5;
const DEFAULT_MIN_COUNT = 2;

/** Counts a history into a model. Throws RangeError when fewer than two labels occur. */
export function trainNaiveBayes(
  examples: readonly LabelledText[],
  options: NaiveBayesOptions = {},
): NaiveBayesModel {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
  const labels = classLabels(examples);
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
export function classifyNaiveBayes(model: NaiveBayesModel, text: string): Classification {
  const features = textFeatures(text).filter((f) => model.counts[f] !== undefined);
  const logs = logPosteriors(model, features);
  const { best, runnerUp } = bestTwo(logs);
  return {
    label: model.labels[best] ?? "",
    confidence: softmaxAt(logs, best),
    evidence: best === runnerUp ? [] : strongestEvidence(model, features, best, runnerUp),
  };
}

/** log P(label) + Σ log P(feature | label), per label, up to a shared constant. */
function logPosteriors(model: NaiveBayesModel, features: readonly string[]): number[] {
  const vocabulary = vocabularySize(model);
  const allDocuments = sum(model.documents);
  return model.labels.map((_, i) => {
    const denominator = Math.log((model.totals[i] ?? 0) + model.alpha * vocabulary);
    let score = Math.log((model.documents[i] ?? 0) / allDocuments);
    for (const feature of features) score += logLikelihood(model, feature, i) - denominator;
    return score;
  });
}

function logLikelihood(model: NaiveBayesModel, feature: string, label: number): number {
  return Math.log((model.counts[feature]?.[label] ?? 0) + model.alpha);
}

/** The features that favour `best` over `runnerUp` most: the largest likelihood ratios. */
function strongestEvidence(
  model: NaiveBayesModel,
  features: readonly string[],
  best: number,
  runnerUp: number,
): string[] {
  const vocabulary = vocabularySize(model);
  const norm = (i: number) => Math.log((model.totals[i] ?? 0) + model.alpha * vocabulary);
  const offset = norm(runnerUp) - norm(best);
  return strongestFeatures(
    features,
    (feature) =>
      logLikelihood(model, feature, best) - logLikelihood(model, feature, runnerUp) + offset,
  );
}

// Counting a model's features takes a while; models are immutable, so count each once.
const vocabularySizes = new WeakMap<NaiveBayesModel, number>();

function vocabularySize(model: NaiveBayesModel): number {
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
