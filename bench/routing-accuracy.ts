/**
 * Routing accuracy on real customer tweets: `npm run bench -- routing`, or
 * `node --import tsx bench/routing-accuracy.ts [--part tune] [--folds 5 [--holdout 1]] [--errors 40]`.
 *
 * Reads airline-tweets.csv from the shared data folder (never copied into this repo: its
 * licence forbids it), read honestly (support/airline-labels.ts): ground truth is the
 * `negativereason` of tweets whose annotators were at least 0.66 sure of the reason, "Can't
 * Tell" left out, one row per tweet id, leaked label words repaired. Tweets are split by a
 * hash of their id; switchboard.example.yaml's rules were tuned on the tuning part, the
 * learned model is trained on it here, and every figure is measured on the report part.
 *
 * `--part tune` measures the tuning part instead, and `--errors N` lists N misrouted tuning
 * tweets: what you need to tune rules without looking at the part the figures come from
 * (so --errors refuses the report part). `--folds K` (tuning part only) cross-validates over K
 * folds of the tuning part (support/routing-folds.ts); with `--holdout N`, fold N's errors are
 * never listed, so a change picked from the other folds' errors can be judged on it.
 * A script, not a test: `npm test` never needs the data.
 */
import { performance } from "node:perf_hooks";
import { loadWorkspaceConfig } from "../src/config/load-workspace.ts";
import type { WorkspaceConfig } from "../src/config/workspace-types.ts";
import type { ComplaintFacts, RoutingDecision } from "../src/domain/complaint.ts";
import { type LearnedFallback, routeWithLearnedFallback } from "../src/domain/learned-routing.ts";
import {
  type AirlineTweet,
  BASELINE_DEPARTMENT,
  DEPARTMENT_FOR_REASON,
  MIN_REASON_CONFIDENCE,
  type Part,
  type ReadingReport,
  readAirlineTweets,
} from "./support/airline-labels.ts";
import { readRecords } from "./support/csv.ts";
import { isEntryPoint, runAsScript } from "./support/lifecycle.ts";
import {
  chooseThreshold,
  crossValidate,
  printAgreement,
  printCrossValidation,
  printModelSettings,
  type RoutingExample,
  trainFallback,
  visibleExamples,
} from "./support/routing-folds.ts";
import { type Confusion, Scorecard } from "./support/scorecard.ts";
import { exitDataMissing, findSharedFile } from "./support/shared-data.ts";

const DATA_NAME = "airline-tweets.csv";
const EXAMPLE_CONFIG = "switchboard.example.yaml";
const PASSES = 5;
/** Folds of the tuning part when the bench chooses a threshold by cross-validation. */
const CV_FOLDS = 5;

interface Options {
  part: Part;
  errors: number;
  /** Cross-validate over this many folds of the tuning part instead of the usual report. */
  folds?: number | undefined;
  /** 0-based fold whose errors are never listed (the command line counts from 1). */
  holdout?: number | undefined;
}

export function main(): void {
  const options = parseOptions(process.argv.slice(2));
  const path = findSharedFile(DATA_NAME) ?? exitDataMissing(DATA_NAME);
  // A broken example config should fail loudly (ConfigError names the key), not be skipped.
  const config = loadWorkspaceConfig(EXAMPLE_CONFIG);
  checkMapping(config);
  const { tweets, report } = readAirlineTweets(readRecords(path));
  const labelled = tweets.flatMap(toExample);
  const tune = labelled.filter((e) => e.part === "tune");
  const measured = labelled.filter((e) => e.part === options.part);
  printData(path, report, labelled, tune.length, measured.length, options.part);
  if (options.folds !== undefined) {
    printFolds(tune, config, options.folds, options);
    return;
  }

  const fallback = trainFallback(tune, config);
  const byRules = measured.map((e) => routeWithLearnedFallback(e.facts, config.routing, undefined));
  const withModel = measured.map((e) =>
    routeWithLearnedFallback(e.facts, config.routing, fallback),
  );
  const expected = measured.map((e) => e.expected);
  const baseline = new Scorecard(
    expected,
    expected.map(() => BASELINE_DEPARTMENT),
  );
  const rules = new Scorecard(
    expected,
    byRules.map((d) => d.department),
  );
  const combined = new Scorecard(
    expected,
    withModel.map((d) => d.department),
  );

  console.log(`Accuracy on the ${partName(options.part)} (${measured.length} complaints)`);
  printAccuracyLine(`always ${BASELINE_DEPARTMENT} (baseline)`, baseline);
  printAccuracyLine("rules of switchboard.example.yaml", rules);
  printAccuracyLine(
    `rules + model (trained on the tuning part, minConfidence ${fallback.minConfidence}: the example's)`,
    combined,
  );
  // The threshold cross-validation on the tuning part prefers, for comparison (see README).
  const chosen = chooseThreshold(crossValidate(tune, config, CV_FOLDS), config);
  const atChosen = { ...fallback, minConfidence: chosen };
  printAccuracyLine(
    `rules + model, minConfidence ${chosen} (best by ${CV_FOLDS}-fold cross-validation on the tuning part)`,
    new Scorecard(
      expected,
      measured.map((e) => routeWithLearnedFallback(e.facts, config.routing, atChosen).department),
    ),
  );
  console.log();
  printAgreement(measured, [
    { label: "rules", decisions: byRules },
    { label: "rules + model", decisions: withModel },
  ]);
  printModelShare(withModel, byRules, expected, fallback);
  printDepartments(rules, combined);
  printConfusion("rules + model", combined.confusion);
  printRuleShares(byRules, expected);
  if (options.errors > 0) printErrors(measured, byRules, options.errors);
  printThroughput(measured, config, fallback);
}

/** Cross-validation, then (with --errors) the misrouted tweets of the folds not held out. */
function printFolds(
  tune: readonly Example[],
  config: WorkspaceConfig,
  folds: number,
  options: Options,
): void {
  printCrossValidation(crossValidate(tune, config, folds), config, options.holdout);
  printModelSettings(tune, config, folds);
  if (options.errors <= 0) return;
  const visible =
    options.holdout === undefined ? tune : visibleExamples(tune, folds, options.holdout);
  const decisions = visible.map((e) =>
    routeWithLearnedFallback(e.facts, config.routing, undefined),
  );
  printErrors(visible, decisions, options.errors);
}

function parseOptions(args: string[]): Options {
  const part = flagValue(args, "--part") ?? "report";
  if (part !== "tune" && part !== "report")
    throw new Error(`--part is tune or report, not ${part}`);
  const errors = Number(flagValue(args, "--errors") ?? 0);
  if (errors > 0 && part === "report") {
    throw new Error(
      "--errors lists tuning tweets only (--part tune): tune on one part, report on the other",
    );
  }
  const folds = optionalInteger(args, "--folds");
  const holdout = optionalInteger(args, "--holdout");
  if (folds !== undefined && (part !== "tune" || folds < 2)) {
    throw new Error("--folds K cross-validates the tuning part: --part tune and K of 2 or more");
  }
  if (holdout !== undefined && (folds === undefined || holdout < 1 || holdout > folds)) {
    throw new Error("--holdout N names one of the --folds K folds, 1 to K");
  }
  return { part, errors, folds, holdout: holdout === undefined ? undefined : holdout - 1 };
}

function optionalInteger(args: string[], flag: string): number | undefined {
  const value = flagValue(args, flag);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`${flag} takes a whole number, not ${value}`);
  return n;
}

function flagValue(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
}

/** Every department the mapping names must exist in the example, or the figures lie. */
function checkMapping(config: WorkspaceConfig): void {
  const keys = new Set(config.departments.map((d) => d.key));
  const missing = [...new Set(Object.values(DEPARTMENT_FOR_REASON))].filter((d) => !keys.has(d));
  if (missing.length > 0) {
    throw new Error(
      `${EXAMPLE_CONFIG} has no department ${missing.join(", ")}, which the labels map to`,
    );
  }
}

/** A labelled complaint, with the part of the data it belongs to. */
interface Example extends RoutingExample {
  part: Part;
}

function toExample(tweet: AirlineTweet): Example[] {
  if (tweet.department === undefined) return [];
  const facts: ComplaintFacts = {
    source: "twitter",
    text: tweet.text,
    language: "en",
    author: { handle: tweet.author },
    metrics: { shares: tweet.retweets },
  };
  return [
    {
      id: tweet.id,
      part: tweet.part,
      facts,
      expected: tweet.department,
      unanimous: tweet.unanimous,
    },
  ];
}

function printData(
  path: string,
  report: ReadingReport,
  labelled: readonly Example[],
  tune: number,
  measured: number,
  part: Part,
): void {
  const count = (n: number) => n.toLocaleString("en-US");
  console.log(`Data: ${path}`);
  console.log(
    `  ${count(report.rows)} rows, ${count(report.uniqueIds)} tweet ids (${count(report.duplicateRows)} duplicate rows merged, ` +
      `${report.conflictingIds} ids with conflicting labels left out); leaked label words repaired in ${count(report.repairedTexts)} tweets`,
  );
  console.log(
    `  ${count(labelled.length)} complaints with a confident reason (negativereason_confidence ≥ ${MIN_REASON_CONFIDENCE}, "Can't Tell" left out)`,
  );
  console.log(
    `  split by a hash of tweet_id: ${count(tune)} in the tuning part, ${count(labelled.length - tune)} in the report part; measuring the ${partName(part)} (${count(measured)})\n`,
  );
}

function partName(part: Part): string {
  return part === "tune" ? "tuning part" : "report part";
}

function printAccuracyLine(label: string, card: Scorecard): void {
  console.log(`  ${percent(card.correct, card.total)}  ${label} (${card.correct}/${card.total})`);
}

/** How often the model decided, and how often it was right when it did. */
function printModelShare(
  withModel: readonly RoutingDecision[],
  byRules: readonly RoutingDecision[],
  expected: readonly string[],
  fallback: LearnedFallback,
): void {
  const unmatched = byRules.filter((d) => d.rule === null).length;
  const decided = withModel.flatMap((d, i) => (d.modelVersion === undefined ? [] : [i]));
  const right = decided.filter((i) => withModel[i]?.department === expected[i]).length;
  const wasRight = decided.filter((i) => byRules[i]?.department === expected[i]).length;
  console.log(
    `The model routed ${decided.length} of the ${unmatched} complaints no rule matched ` +
      `(confidence ≥ ${fallback.minConfidence}): ${percent(right, decided.length)} right, ` +
      `where the default department would have been right for ${wasRight}.\n`,
  );
}

function printDepartments(rules: Scorecard, combined: Scorecard): void {
  console.log(
    "Per department           rules: precision  recall   rules + model: precision  recall",
  );
  for (const department of combined.departments()) {
    const r = rules.of(department);
    const c = combined.of(department);
    console.log(
      `  ${department.padEnd(12)} ${String(r.support).padStart(5)} complaints   ${percent(r.hits, r.routed)}  ${percent(r.hits, r.support)}` +
        `                   ${percent(c.hits, c.routed)}  ${percent(c.hits, c.support)}`,
    );
  }
  console.log();
}

function printConfusion(title: string, confusion: Confusion): void {
  const expected = [...confusion.keys()].sort();
  const predicted = [...new Set([...confusion.values()].flatMap((row) => [...row.keys()]))].sort();
  const width = Math.max(10, ...predicted.map((name) => name.length + 1));
  console.log(`Confusion matrix, ${title} (rows: expected department, columns: routed to)`);
  console.log(`${"".padEnd(12)}${predicted.map((name) => name.padStart(width)).join("")}`);
  for (const department of expected) {
    const row = confusion.get(department) ?? new Map<string, number>();
    const cells = predicted.map((name) => String(row.get(name) ?? 0).padStart(width));
    console.log(`${department.padEnd(12)}${cells.join("")}`);
  }
  console.log();
}

/** For each rule (and the default): what share of complaints it routed, and how often rightly. */
function printRuleShares(decisions: readonly RoutingDecision[], expected: readonly string[]): void {
  const byRule = new Map<string, { department: string; routed: number; right: number }>();
  decisions.forEach((decision, i) => {
    const name = decision.rule ?? "(no rule: default)";
    const entry = byRule.get(name) ?? { department: decision.department, routed: 0, right: 0 };
    entry.routed++;
    if (decision.department === expected[i]) entry.right++;
    byRule.set(name, entry);
  });
  console.log("Rules (first match wins): share of complaints routed, and how often right");
  const rows = [...byRule].sort(([, a], [, b]) => b.routed - a.routed);
  for (const [name, { department, routed, right }] of rows) {
    console.log(
      `  ${name.padEnd(34)} → ${department.padEnd(11)} ${percent(routed, decisions.length)} of all (${String(routed).padStart(4)})   right ${percent(right, routed)}`,
    );
  }
  console.log();
}

function printErrors(
  measured: readonly RoutingExample[],
  decisions: readonly RoutingDecision[],
  limit: number,
): void {
  const wrong = measured.flatMap((e, i) => {
    const d = decisions[i];
    return d && d.department !== e.expected ? [{ e, d }] : [];
  });
  console.log(
    `Tuning tweets the rules misroute (${Math.min(limit, wrong.length)} of ${wrong.length}):`,
  );
  for (const { e, d } of wrong.slice(0, limit)) {
    console.log(
      `  want ${e.expected}, got ${d.department} [${d.rule ?? "default"}]: ${e.facts.text.replace(/\s+/g, " ")}`,
    );
  }
  console.log();
}

function printThroughput(
  examples: readonly RoutingExample[],
  config: WorkspaceConfig,
  fallback: LearnedFallback,
): void {
  for (const [label, learned] of [
    ["rules", undefined],
    ["rules + model", fallback],
  ] as const) {
    let best = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < PASSES; pass++) {
      const start = performance.now();
      for (const { facts } of examples) routeWithLearnedFallback(facts, config.routing, learned);
      best = Math.min(best, performance.now() - start);
    }
    const perSecond = Math.round((examples.length / best) * 1000);
    console.log(
      `Throughput, ${label}: ${perSecond.toLocaleString("en-US")} complaints routed per second ` +
        `(best of ${PASSES} passes over ${examples.length}; ${((best * 1000) / examples.length).toFixed(1)} µs each)`,
    );
  }
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "   n/a" : `${((part / whole) * 100).toFixed(1).padStart(5)}%`;
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
