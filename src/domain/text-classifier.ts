/**
 * The learned router's classifier: trained on a workspace's own corrections, stored in the
 * database, consulted where no rule matched. Two algorithms over the same features (a post's
 * words and word pairs): logistic regression, the default, and naive Bayes. A stored model
 * says which it is, so a model trained by an older version keeps working until retrained.
 */
import { classifyLogistic, type LogisticModel, trainLogistic } from "./logistic-regression.ts";
import { classifyNaiveBayes, type NaiveBayesModel, trainNaiveBayes } from "./naive-bayes.ts";
import type { Classification, LabelledText } from "./text-features.ts";

export type { Classification, LabelledText } from "./text-features.ts";
export { textFeatures } from "./text-features.ts";

/** A trained classifier, as plain JSON-safe data. */
export type TextClassifier = LogisticModel | NaiveBayesModel;

/** The algorithms `routing.learned.algorithm` may name. */
export const CLASSIFIER_ALGORITHMS = ["logistic-regression", "naive-bayes"] as const;
export type ClassifierAlgorithm = (typeof CLASSIFIER_ALGORITHMS)[number];

/** Knobs for training; the defaults suit a few dozen to a few thousand short posts. */
export interface TrainOptions {
  /** Default "logistic-regression". */
  algorithm?: ClassifierAlgorithm | undefined;
  /** Naive Bayes only: smoothing added to every count. Default 0.5. */
  alpha?: number | undefined;
  /** Features seen in fewer posts than this are left out of the model. Default 2. */
  minCount?: number | undefined;
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
  return options.algorithm === "naive-bayes"
    ? trainNaiveBayes(examples, options)
    : trainLogistic(examples, options);
}

/** The most likely class of a text, how sure the model is, and the words that argued for it. */
export function classifyText(model: TextClassifier, text: string): Classification {
  return model.format === "naive-bayes/1"
    ? classifyNaiveBayes(model, text)
    : classifyLogistic(model, text);
}
