/**
 * Cross-validation over the tuning part, for `routing-accuracy.ts --part tune --folds K`: how
 * well the rules and the learned model should do on posts they were not tuned on, estimated
 * without touching the report part.
 *
 * Rules are not fitted, so their accuracy on a fold is simply their accuracy on it; the honest
 * use is to hold one fold out (`--holdout N`) while a person picks phrases from the errors of
 * the other folds (`--errors` then lists only those), and to judge each change by the held-out
 * fold. The model is fitted: for each fold it is trained on the other folds and scored on that
 * one, and its confidence threshold is chosen by the mean over the folds.
 */
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import type { ComplaintFacts, RoutingDecision } from "../../src/domain/complaint.ts";
import { type LearnedFallback, routeWithLearnedFallback } from "../../src/domain/learned-routing.ts";
import { classifyText, trainClassifier } from "../../src/domain/text-classifier.ts";
import { BASELINE_DEPARTMENT, foldOf } from "./airline-labels.ts";

/** A labelled complaint as the bench scores it. */
export interface RoutingExample {
  id: string;
  facts: ComplaintFacts;
  expected: string;
}

/** Thresholds tried when choosing `routing.learned.minConfidence` by cross-validation. */
export const CONFIDENCE_GRID: readonly number[] = [
  0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.99,
];

/** A model trained on `examples`, consulted the way the workspace would consult it. */
export function trainFallback(
  examples: readonly RoutingExample[],
  config: WorkspaceConfig,
  minConfidence = config.learning.routing.minConfidence,
): LearnedFallback {
  const classifier = trainClassifier(
    examples.map((e) => ({ text: e.facts.text, label: e.expected })),
  );
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

/**
 * Prints the cross-validation table (baseline, rules, model alone, rules + model at the
 * example's threshold) and the threshold sweep. With `holdout`, also the rules' accuracy on the
 * held-out fold against the folds whose errors are listed: the gap a person's tuning opened.
 */
export function printCrossValidation(
  examples: readonly RoutingExample[],
  config: WorkspaceConfig,
  folds: number,
  holdout: number | undefined,
): void {
  const split = splitFolds(examples, folds);
  const byRules = split.map((fold) => fold.map((e) => route(e, config, undefined)));
  const trained = split.map((_, k) =>
    trainFallback(
      split.flatMap((fold, j) => (j === k ? [] : fold)),
      config,
    ),
  );
  const threshold = config.learning.routing.minConfidence;
  const rows: FoldRow[] = [
    { label: `always ${BASELINE_DEPARTMENT} (baseline)`, accuracies: split.map(baselineAccuracy) },
    { label: "rules", accuracies: split.map((fold, k) => accuracy(fold, byRules[k] ?? [])) },
    {
      label: "model alone (trained on the other folds)",
      accuracies: split.map((fold, k) => modelAloneAccuracy(fold, trained[k])),
    },
    {
      label: `rules + model, minConfidence ${threshold}`,
      accuracies: split.map((fold, k) => combinedAccuracy(fold, config, trained[k], threshold)),
    },
  ];
  console.log(
    `Cross-validation over the tuning part: ${folds} folds by a hash of tweet_id (${split.map((f) => f.length).join(", ")} complaints)`,
  );
  console.log(
    `  ${"".padEnd(44)}${split.map((_, k) => `fold ${k + 1}`.padStart(8)).join("")}     mean ± sd`,
  );
  for (const row of rows) printFoldRow(row);
  console.log();
  printThresholdSweep(split, config, trained, threshold);
  if (holdout !== undefined) printHoldout(split, byRules, holdout);
}

function printFoldRow({ label, accuracies }: FoldRow): void {
  const { mean, sd } = meanAndSd(accuracies);
  const cells = accuracies.map((a) => pct(a).padStart(8)).join("");
  console.log(`  ${label.padEnd(44)}${cells}   ${pct(mean)} ± ${(sd * 100).toFixed(1)}`);
}

/** Rules + model at each threshold of the grid, mean over folds (model trained on the others). */
function printThresholdSweep(
  split: readonly RoutingExample[][],
  config: WorkspaceConfig,
  trained: readonly LearnedFallback[],
  current: number,
): void {
  const means = CONFIDENCE_GRID.map((threshold) => ({
    threshold,
    mean: meanAndSd(
      split.map((fold, k) => combinedAccuracy(fold, config, trained[k], threshold)),
    ).mean,
  }));
  const best = means.reduce((a, b) => (b.mean > a.mean ? b : a));
  console.log(
    "Rules + model by minConfidence (mean over the folds; the model never saw the fold it routes):",
  );
  console.log(
    `  ${means.map(({ threshold, mean }) => `${threshold.toFixed(2)}: ${pct(mean)}`).join("   ")}`,
  );
  console.log(
    `  best ${best.threshold} (${pct(best.mean)}); the example's minConfidence is ${current}\n`,
  );
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
  if (!fallback) return 0;
  const classifier = fallback.model.classifier;
  const right = examples.filter(
    (e) => classifyText(classifier, e.facts.text).label === e.expected,
  ).length;
  return examples.length === 0 ? 0 : right / examples.length;
}

function combinedAccuracy(
  examples: readonly RoutingExample[],
  config: WorkspaceConfig,
  fallback: LearnedFallback | undefined,
  minConfidence: number,
): number {
  const at = fallback ? { ...fallback, minConfidence } : undefined;
  return accuracy(
    examples,
    examples.map((e) => route(e, config, at)),
  );
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1).padStart(5)}%`;
}
