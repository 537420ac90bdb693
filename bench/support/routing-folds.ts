/**
 * Cross-validation over the tuning part, for `routing-accuracy.ts --part tune --folds K`: how
 * well the rules and the learned model should do on posts they were not tuned on, estimated
 * without touching the report part.
 *
 * Rules are not fitted, so their accuracy on a fold is simply their accuracy on it; the honest
 * use is to hold one fold out (`--holdout N`) while a person picks phrases from the errors of
 * the other folds (`--errors` then lists only those), and to judge each change by the held-out
 * fold. The model is fitted: for each fold it is trained on the other folds and scored on that
 * one; its settings (smoothing, minimum count) and its confidence threshold are compared by
 * the accuracy over all folds.
 */
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import type { ComplaintFacts, RoutingDecision } from "../../src/domain/complaint.ts";
import {
  type LearnedFallback,
  routeWithLearnedFallback,
} from "../../src/domain/learned-routing.ts";
import {
  classifyText,
  type TrainOptions,
  trainClassifier,
} from "../../src/domain/text-classifier.ts";
import { BASELINE_DEPARTMENT, foldOf } from "./airline-labels.ts";

/** A labelled complaint as the bench scores it. */
export interface RoutingExample {
  id: string;
  facts: ComplaintFacts;
  expected: string;
  /** Every annotator gave the same reason (see AirlineTweet.unanimous). */
  unanimous: boolean;
}

/** Thresholds tried when choosing `routing.learned.minConfidence` by cross-validation. */
export const CONFIDENCE_GRID: readonly number[] = [
  0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99,
];

/** A model trained on `examples`, consulted the way the workspace would consult it. */
export function trainFallback(
  examples: readonly RoutingExample[],
  config: WorkspaceConfig,
  options: TrainOptions = {},
): LearnedFallback {
  const classifier = trainClassifier(
    examples.map((e) => ({ text: e.facts.text, label: e.expected })),
    options,
  );
  const minConfidence = config.learning.routing.minConfidence;
  return {
    model: { version: 0, classifier },
    minConfidence,
    allowed: config.departments.map((d) => d.key),
  };
}

/** The examples in each of `folds` folds, by a hash of the tweet id. */
export function splitFolds(examples: readonly RoutingExample[], folds: number): RoutingExample[][] {
  const split: RoutingExample[][] = Array.from({ length: folds }, () => []);
  for (const example of examples) split[foldOf(example.id, folds)]?.push(example);
  return split;
}

/** One row of the cross-validation table: accuracy on each fold. */
interface FoldRow {
  label: string;
  accuracies: number[];
}

/** The folds, the rules' decisions on each, and a model trained for each on the other folds. */
export interface CrossValidation {
  split: RoutingExample[][];
  byRules: RoutingDecision[][];
  trained: LearnedFallback[];
}

/** Splits `examples` into folds and trains, for each fold, a model on all the others. */
export function crossValidate(
  examples: readonly RoutingExample[],
  config: WorkspaceConfig,
  folds: number,
  options: TrainOptions = {},
): CrossValidation {
  const split = splitFolds(examples, folds);
  return {
    split,
    byRules: split.map((fold) => fold.map((e) => route(e, config, undefined))),
    trained: split.map((_, k) =>
      trainFallback(
        split.flatMap((fold, j) => (j === k ? [] : fold)),
        config,
        options,
      ),
    ),
  };
}

/** The threshold of the grid with the best rules + model accuracy over the folds (lowest on a tie). */
export function chooseThreshold(cv: CrossValidation, config: WorkspaceConfig): number {
  const rows = CONFIDENCE_GRID.map((threshold) => sweepRow(cv, config, threshold));
  return rows.reduce((a, b) => (b.accuracy > a.accuracy ? b : a)).threshold;
}

/**
 * Prints the cross-validation table (baseline, rules, model alone, rules + model at the
 * example's threshold), the split by annotator agreement, the threshold sweep and the model
 * settings. With `holdout`, also the rules' accuracy on the held-out fold against the folds
 * whose errors are listed: the gap a person's tuning opened.
 */
export function printCrossValidation(
  cv: CrossValidation,
  config: WorkspaceConfig,
  holdout: number | undefined,
): void {
  const { split, byRules, trained } = cv;
  const threshold = config.learning.routing.minConfidence;
  const combined = split.map((fold, k) =>
    fold.map((e) => route(e, config, at(trained[k], threshold))),
  );
  const rows: FoldRow[] = [
    { label: `always ${BASELINE_DEPARTMENT} (baseline)`, accuracies: split.map(baselineAccuracy) },
    { label: "rules", accuracies: split.map((fold, k) => accuracy(fold, byRules[k] ?? [])) },
    {
      label: "model alone (trained on the other folds)",
      accuracies: split.map((fold, k) => modelAloneAccuracy(fold, trained[k])),
    },
    {
      label: `rules + model, minConfidence ${threshold}`,
      accuracies: split.map((fold, k) => accuracy(fold, combined[k] ?? [])),
    },
  ];
  console.log(
    `Cross-validation over the tuning part: ${split.length} folds by a hash of tweet_id (${split.map((f) => f.length).join(", ")} complaints)`,
  );
  console.log(
    `  ${"".padEnd(44)}${split.map((_, k) => `fold ${k + 1}`.padStart(8)).join("")}     mean ± sd`,
  );
  for (const row of rows) printFoldRow(row);
  console.log();
  printAgreement(split.flat(), [
    { label: "rules", decisions: byRules.flat() },
    { label: "rules + model", decisions: combined.flat() },
  ]);
  printThresholdSweep(cv, config, threshold);
  if (holdout !== undefined) printHoldout(split, byRules, holdout);
}

/** Smoothing and minimum counts tried for the model, with the shipped defaults among them. */
const MODEL_SETTINGS: readonly TrainOptions[] = [0.25, 0.5, 1, 2].flatMap((alpha) =>
  [1, 2, 3].map((minCount) => ({ alpha, minCount })),
);

/**
 * The model's settings compared by cross-validation: accuracy of the model alone, and of rules
 * + model at the example's threshold and at the best threshold of the grid for those settings.
 */
export function printModelSettings(
  examples: readonly RoutingExample[],
  config: WorkspaceConfig,
  folds: number,
): void {
  const threshold = config.learning.routing.minConfidence;
  console.log(
    `Model settings (naive Bayes; each trained on the other folds; the shipped default is alpha 0.5, minCount 3)`,
  );
  console.log(
    `  alpha  minCount   model alone   rules + model at ${threshold}   at the best threshold`,
  );
  for (const options of MODEL_SETTINGS) {
    const cv = crossValidate(examples, config, folds, options);
    const alone = mean(cv.split.flatMap((fold, k) => modelHits(fold, cv.trained[k])));
    const best = chooseThreshold(cv, config);
    console.log(
      `  ${String(options.alpha).padStart(5)}  ${String(options.minCount).padStart(8)}        ${pct(alone)}          ${pct(sweepRow(cv, config, threshold).accuracy)}          ${pct(sweepRow(cv, config, best).accuracy)} (${best})`,
    );
  }
  console.log();
}

/** Routing decisions for a list of examples, in the same order, under a label. */
export interface DecisionColumn {
  label: string;
  decisions: readonly RoutingDecision[];
}

/**
 * Accuracy where every annotator gave the same reason, and where they split (most agreed): how
 * much of the remaining error sits in labels people themselves disagreed on.
 */
export function printAgreement(
  examples: readonly RoutingExample[],
  columns: readonly DecisionColumn[],
): void {
  console.log("By annotator agreement on the reason");
  for (const unanimous of [true, false]) {
    const at = examples.flatMap((e, i) => (e.unanimous === unanimous ? [i] : []));
    const cells = columns.map(({ label, decisions }) => {
      const right = at.filter((i) => decisions[i]?.department === examples[i]?.expected).length;
      return `${label} ${pct(at.length === 0 ? 0 : right / at.length)}`;
    });
    const baseline = at.filter((i) => examples[i]?.expected === BASELINE_DEPARTMENT).length;
    const name = unanimous ? "all annotators agreed" : "annotators split";
    console.log(
      `  ${name.padEnd(22)} ${String(at.length).padStart(5)} complaints (${pct(at.length / Math.max(1, examples.length))})   ${cells.join("   ")}   baseline ${pct(at.length === 0 ? 0 : baseline / at.length)}`,
    );
  }
  console.log();
}

function printFoldRow({ label, accuracies }: FoldRow): void {
  const { mean, sd } = meanAndSd(accuracies);
  const cells = accuracies.map((a) => pct(a).padStart(8)).join("");
  console.log(`  ${label.padEnd(44)}${cells}   ${pct(mean)} ± ${(sd * 100).toFixed(1)}`);
}

/**
 * Rules + model at each threshold of the grid, over all folds (the model never saw the fold it
 * routes): accuracy, and where no rule matched, how many the model decided, how often it was
 * right, and how often the default would have been right for those same complaints.
 */
function printThresholdSweep(cv: CrossValidation, config: WorkspaceConfig, current: number): void {
  const rows = CONFIDENCE_GRID.map((threshold) => sweepRow(cv, config, threshold));
  const reference = sweepRow(cv, config, current);
  console.log("Rules + model by minConfidence (all folds; the model never saw the fold it routes)");
  console.log(
    `  minConfidence  accuracy  vs ${current} (mean ± s.e. over folds)  model decided  right  default right on those`,
  );
  for (const row of rows) {
    const { mean, se } = pairedDifference(row.perFold, reference.perFold);
    const difference = `${signed(mean)} ± ${(se * 100).toFixed(1)}`;
    console.log(
      `  ${row.threshold.toFixed(2).padStart(13)}    ${pct(row.accuracy)}  ${difference.padStart(17)} points              ${String(row.decided).padStart(4)} of ${row.unmatched}  ${pct(row.modelRight / Math.max(1, row.decided))}   ${pct(row.defaultRight / Math.max(1, row.decided))}`,
    );
  }
  const best = rows.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
  console.log(`  best: ${best.threshold} (${pct(best.accuracy)})\n`);
}

interface SweepRow {
  threshold: number;
  accuracy: number;
  perFold: number[];
  unmatched: number;
  decided: number;
  modelRight: number;
  defaultRight: number;
}

function sweepRow(cv: CrossValidation, config: WorkspaceConfig, threshold: number): SweepRow {
  const { split, trained } = cv;
  const row: SweepRow = {
    threshold,
    accuracy: 0,
    perFold: [],
    unmatched: 0,
    decided: 0,
    modelRight: 0,
    defaultRight: 0,
  };
  let right = 0;
  let total = 0;
  split.forEach((fold, k) => {
    const fallback = at(trained[k], threshold);
    let foldRight = 0;
    for (const example of fold) {
      const decision = route(example, config, fallback);
      if (decision.department === example.expected) foldRight++;
      if (decision.rule !== null) continue;
      row.unmatched++;
      if (decision.modelVersion === undefined) continue;
      row.decided++;
      if (decision.department === example.expected) row.modelRight++;
      if (config.routing.defaultDepartment === example.expected) row.defaultRight++;
    }
    row.perFold.push(fold.length === 0 ? 0 : foldRight / fold.length);
    right += foldRight;
    total += fold.length;
  });
  row.accuracy = total === 0 ? 0 : right / total;
  return row;
}

/** Mean and standard error of the fold-by-fold difference a − b. */
function pairedDifference(
  a: readonly number[],
  b: readonly number[],
): { mean: number; se: number } {
  const { mean, sd } = meanAndSd(a.map((value, i) => value - (b[i] ?? 0)));
  return { mean, se: sd / Math.sqrt(a.length) };
}

function signed(fraction: number): string {
  const points = (fraction * 100).toFixed(1);
  return fraction >= 0 ? `+${points}` : points;
}

function printHoldout(
  split: readonly RoutingExample[][],
  byRules: readonly RoutingDecision[][],
  holdout: number,
): void {
  const seen = split.flatMap((fold, k) => (k === holdout ? [] : fold));
  const seenDecisions = byRules.flatMap((d, k) => (k === holdout ? [] : d));
  const held = accuracy(split[holdout] ?? [], byRules[holdout] ?? []);
  const other = accuracy(seen, seenDecisions);
  console.log(
    `Held out fold ${holdout + 1} (its errors are never listed): rules ${pct(held)} on it, ` +
      `${pct(other)} on the ${split.length - 1} folds whose errors are listed (gap ${((other - held) * 100).toFixed(1)} points)\n`,
  );
}

/** The examples of every fold but `holdout`: the only ones whose errors may be read. */
export function visibleExamples(
  examples: readonly RoutingExample[],
  folds: number,
  holdout: number,
): RoutingExample[] {
  return examples.filter((e) => foldOf(e.id, folds) !== holdout);
}

function route(
  example: RoutingExample,
  config: WorkspaceConfig,
  fallback: LearnedFallback | undefined,
): RoutingDecision {
  return routeWithLearnedFallback(example.facts, config.routing, fallback);
}

function accuracy(examples: readonly RoutingExample[], decisions: readonly RoutingDecision[]) {
  const right = examples.filter((e, i) => decisions[i]?.department === e.expected).length;
  return examples.length === 0 ? 0 : right / examples.length;
}

function baselineAccuracy(examples: readonly RoutingExample[]): number {
  const right = examples.filter((e) => e.expected === BASELINE_DEPARTMENT).length;
  return examples.length === 0 ? 0 : right / examples.length;
}

function modelAloneAccuracy(
  examples: readonly RoutingExample[],
  fallback: LearnedFallback | undefined,
): number {
  return mean(modelHits(examples, fallback));
}

/** 1 where the model alone would pick the expected department, else 0. */
function modelHits(examples: readonly RoutingExample[], fallback: LearnedFallback | undefined) {
  return examples.map((e) =>
    fallback && classifyText(fallback.model.classifier, e.facts.text).label === e.expected ? 1 : 0,
  );
}

/** The fallback with another threshold. */
function at(fallback: LearnedFallback | undefined, minConfidence: number) {
  return fallback && { ...fallback, minConfidence };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1).padStart(5)}%`;
}
