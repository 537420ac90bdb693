/**
 * Multinomial logistic regression over the words and word pairs of a post (each present or
 * not), fitted by a fixed number of AdaGrad passes with a little L2 shrinkage. Weighs words
 * against each other instead of counting each alone, which is why it beats naive Bayes on
 * real complaints that name two problems (bench/README.md, routing-accuracy). Pure and
 * deterministic: the examples are put in a canonical order first, so the same history gives
 * the same model, byte for byte once serialised, whatever order it came in.
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

/** A trained logistic regression, as plain JSON-safe data (it is stored in the database). */
export interface LogisticModel {
  format: "logistic-regression/1";
  /** The classes, sorted. */
  labels: string[];
  /** Each class's score with no known feature, in `labels` order. */
  bias: number[];
  /** Feature → its weight for each class, in `labels` order; keys sorted. */
  weights: Record<string, number[]>;
}

export interface LogisticOptions {
  /** Features seen in fewer posts than this are left out of the model. Default 2. */
  minCount?: number | undefined;
}

const DEFAULT_MIN_COUNT = 2;
// Chosen by 5-fold cross-validation on the tuning half of the airline tweets (bench/README.md):
// 3–10 passes, rates 0.05–0.2 and shrinkage 0–0.01 all came within half a point of each other.
const LEARNING_RATE = 0.1;
const SHRINKAGE = 0.001;
const MIN_PASSES = 5;
// A small history gets more passes, so that 40 examples give a model as sure of "tarmac" as
// 4,000 do, instead of one that never clears the confidence threshold.
const MIN_UPDATES = 8_000;
// Stored weights are rounded: the model's JSON stays small, and nothing below this matters.
const PRECISION = 1e6;

/** Fits a model to a history. Throws RangeError when fewer than two labels occur. */
export function trainLogistic(
  examples: readonly LabelledText[],
  options: LogisticOptions = {},
): LogisticModel {
  const labels = classLabels(examples);
  const ordered = [...examples].sort(canonicalOrder);
  const vocabulary = frequentFeatures(ordered, options.minCount ?? DEFAULT_MIN_COUNT);
  const posts = ordered.map((e) => ({
    features: knownIndexes(textFeatures(e.text), vocabulary),
    label: labels.indexOf(e.label),
  }));
  const fitted = descend(posts, vocabulary.size, labels.length);
  const weights: Record<string, number[]> = {};
  for (const [feature, at] of vocabulary) {
    weights[feature] = labels.map((_, k) => round(fitted.weights[at * labels.length + k] ?? 0));
  }
  return { format: "logistic-regression/1", labels, bias: [...fitted.bias].map(round), weights };
}

/** Scores a text against every class; features the model never saw are ignored. */
export function classifyLogistic(model: LogisticModel, text: string): Classification {
  const features = textFeatures(text).filter((f) => model.weights[f] !== undefined);
  const scores = model.labels.map((_, k) => {
    let score = model.bias[k] ?? 0;
    for (const feature of features) score += model.weights[feature]?.[k] ?? 0;
    return score;
  });
  const { best, runnerUp } = bestTwo(scores);
  const weight = (feature: string, k: number) => model.weights[feature]?.[k] ?? 0;
  return {
    label: model.labels[best] ?? "",
    confidence: softmaxAt(scores, best),
    evidence:
      best === runnerUp
        ? []
        : strongestFeatures(features, (f) => weight(f, best) - weight(f, runnerUp)),
  };
}

interface Post {
  features: number[];
  label: number;
}

/** AdaGrad on the cross-entropy, one post at a time, in the canonical order. */
function descend(posts: readonly Post[], features: number, classes: number) {
  const weights = new Float64Array(features * classes);
  const bias = new Float64Array(classes);
  const squaredWeights = new Float64Array(features * classes).fill(1e-8);
  const squaredBias = new Float64Array(classes).fill(1e-8);
  const passes = Math.max(MIN_PASSES, Math.ceil(MIN_UPDATES / Math.max(posts.length, 1)));
  const scores = new Float64Array(classes);
  for (let pass = 0; pass < passes; pass++) {
    for (const post of posts) {
      for (let k = 0; k < classes; k++) {
        let score = bias[k] ?? 0;
        for (const at of post.features) score += weights[at * classes + k] ?? 0;
        scores[k] = score;
      }
      const top = Math.max(...scores);
      let total = 0;
      for (let k = 0; k < classes; k++) total += Math.exp((scores[k] ?? 0) - top);
      for (let k = 0; k < classes; k++) {
        const gradient = Math.exp((scores[k] ?? 0) - top) / total - (k === post.label ? 1 : 0);
        squaredBias[k] = (squaredBias[k] ?? 0) + gradient * gradient;
        bias[k] = (bias[k] ?? 0) - (LEARNING_RATE * gradient) / Math.sqrt(squaredBias[k] ?? 1);
        for (const at of post.features) {
          const i = at * classes + k;
          const g = gradient + SHRINKAGE * (weights[i] ?? 0);
          squaredWeights[i] = (squaredWeights[i] ?? 0) + g * g;
          weights[i] = (weights[i] ?? 0) - (LEARNING_RATE * g) / Math.sqrt(squaredWeights[i] ?? 1);
        }
      }
    }
  }
  return { weights, bias };
}

/** Features in at least `minCount` posts, in sorted order, each with its index. */
function frequentFeatures(examples: readonly LabelledText[], minCount: number) {
  const posts = new Map<string, number>();
  for (const e of examples) {
    for (const feature of textFeatures(e.text)) posts.set(feature, (posts.get(feature) ?? 0) + 1);
  }
  const kept = [...posts].filter(([, n]) => n >= minCount).map(([feature]) => feature);
  return new Map(kept.sort().map((feature, at) => [feature, at]));
}

function knownIndexes(features: readonly string[], vocabulary: ReadonlyMap<string, number>) {
  return features.map((f) => vocabulary.get(f)).filter((at) => at !== undefined);
}

// A shuffle that depends only on the examples themselves: one pass over the posts of one label
// after another would drag the weights to each label in turn. Ties (the same post twice) are
// equal, so their order cannot matter; code-unit comparison, never the locale's.
function canonicalOrder(a: LabelledText, b: LabelledText): number {
  const byHash = shuffleKey(a) - shuffleKey(b);
  if (byHash !== 0) return byHash;
  const [x, y] = [`${a.label}\0${a.text}`, `${b.label}\0${b.text}`];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** FNV-1a of the label and text: a fixed pseudo-random position for each example. */
function shuffleKey(example: LabelledText): number {
  let hash = 0x811c9dc5;
  for (const char of `${example.label}\0${example.text}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function round(value: number): number {
  return Math.round(value * PRECISION) / PRECISION;
}
