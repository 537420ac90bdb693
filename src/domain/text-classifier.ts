/**
 * A small text classifier: multinomial naive Bayes over the words, word pairs and word pieces
 * (three to five letters, so "cancelled", "canceled" and "cancellation" share evidence) of a
 * post, each counted once per post (the "binarised" variant, which suits short texts such as
 * tweets). Naive Bayes counts overlapping evidence as independent and so overstates how sure
 * it is; the model carries a temperature, fitted by cross-validation on its own training
 * examples, that turns its scores into confidences that mean what they say. Numbers in,
 * numbers out: training and scoring are pure and deterministic, so the same examples always
 * give the same model, byte for byte once serialised.
 */
import { tokenize } from "./text-match.ts";
import { segmentWords } from "./word-segments.ts";

/** A trained classifier, as plain JSON-safe data (it is stored in the database). */
export type TextClassifier = WordClassifier | SubwordClassifier | SegmentedClassifier;

interface Counts {
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

/** Models trained before word pieces and calibration: words and word pairs, raw confidences. */
export interface WordClassifier extends Counts {
  format: "naive-bayes/1";
}

/**
 * Words, word pairs and word pieces, with a fitted temperature; trained before words were found
 * in Chinese, Japanese or Thai (a sentence there was one word) and before text was folded.
 */
export interface SubwordClassifier extends Counts {
  format: "naive-bayes/2";
  /** Log scores are divided by this before they become confidences (1: as they are). */
  temperature: number;
}

/**
 * As format 2, with words as {@link segmentWords} reads them: found by dictionary in scripts
 * written without spaces, and folded as phrase rules fold them. Each format keeps its own
 * reading of a post, so a model scores posts with the words it was trained on.
 */
export interface SegmentedClassifier extends Counts {
  format: "naive-bayes/3";
  /** Log scores are divided by this before they become confidences (1: as they are). */
  temperature: number;
}

/** The format {@link trainClassifier} writes; older ones are still read and scored as trained. */
export const CURRENT_FORMAT = "naive-bayes/3";

/** One training example: a post's text and the class a person gave it. */
export interface LabelledText {
  text: string;
  label: string;
}

/** Knobs for training; the defaults suit a few hundred to a few thousand short posts. */
export interface TrainOptions {
  /** Smoothing added to every count. Default 0.5. */
  alpha?: number;
  /** Features seen in fewer posts than this are left out of the model. Default 3. */
  minCount?: number;
}

/** A prediction: the most likely class, its posterior probability and the words that argued for it. */
export interface Classification {
  label: string;
  /** Posterior probability of `label`, 0..1. */
  confidence: number;
  /** Up to three words or word pairs of the text that favour `label` most over the runner-up. */
  evidence: string[];
}

const DEFAULT_ALPHA = 0.5;
const DEFAULT_MIN_COUNT = 3;
// Word pieces of three to five letters, the word's edges marked ("<late", "ate>"); "~" keeps
// them apart from words, which are only letters, digits and marks.
const PIECE_SIZES = [3, 4, 5] as const;
const PIECE = "~";
// The temperature is fitted on this many folds of the training examples, from these candidates;
// below the minimum there are too few held-out guesses to judge by, and it stays 1.
const CALIBRATION_FOLDS = 5;
// Posts handled between two of trainingSteps' pauses: tens of milliseconds of work.
const STEP = 250;
const CALIBRATION_MIN_EXAMPLES = 5;
const TEMPERATURES = [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64];
const EVIDENCE_LIMIT = 3;
// A posterior rounds to exactly 1 in floating point once the runner-up underflows; a model
// is never certain, so a guess never meets `minConfidence: 1` and never shows as "1.00".
const MOST_SURE = 0.999_999;

// Shown to people as the model's reasons: words that carry no meaning on their own are left out
// of the explanation (never of the scoring).
const FUNCTION_WORDS = new Set(
  (
    "a an the and or but if so of to in on at by for from with without about as into onto " +
    "is am are was were be been being do does did have has had i me my we us our you your " +
    "it its this that these those they them their he she his her not no just very again " +
    // Japanese particles and verb endings, Chinese particles and pronouns, Thai particles:
    // words of their own once segmented, and as empty of meaning as "the".
    "が を に は の で と も へ や か ね よ た て し です ます した しま ました " +
    "的 了 是 在 和 我 你 他 也 都 吗 呢 " +
    "ครับ ค่ะ คะ ที่ และ ของ"
  ).split(" "),
);

// Handles name who a post is addressed to, and links are noise: neither says what it is about.
const HANDLE_OR_LINK = /@\w+|https?:\/\/\S+/gu;

/**
 * The features of a text, as a model trained today reads it: its words (see
 * {@link segmentWords}) and each pair of adjacent words ("on hold", "lost my"), once each, in
 * first-seen order.
 */
export function textFeatures(text: string): string[] {
  return wordsAndPairs(wordsOf(CURRENT_FORMAT, text));
}

function wordsOf(format: TextClassifier["format"], text: string): string[] {
  const cleaned = text.replace(HANDLE_OR_LINK, " ");
  return format === "naive-bayes/3" ? segmentWords(cleaned) : tokenize(cleaned);
}

function wordsAndPairs(words: readonly string[]): string[] {
  const features = new Set<string>(words);
  for (let i = 1; i < words.length; i++) features.add(`${words[i - 1]} ${words[i]}`);
  return [...features];
}

/** Every feature a model of `format` scores: words and pairs, and word pieces from format 2 on. */
function modelFeatures(format: TextClassifier["format"], text: string): string[] {
  const words = wordsOf(format, text);
  const features = wordsAndPairs(words);
  if (format === "naive-bayes/1") return features;
  const pieces = new Set<string>();
  for (const word of words) {
    // By code point: a letter outside the BMP ("𝗟", in "fancy" text) is two UTF-16 units, and
    // a piece holding half of one could not be stored (PostgreSQL refuses it in jsonb).
    const marked = [...`<${word}>`];
    for (const size of PIECE_SIZES) {
      for (let at = 0; at + size <= marked.length; at++) {
        pieces.add(`${PIECE}${marked.slice(at, at + size).join("")}`);
      }
    }
  }
  return [...features, ...pieces];
}

/**
 * Trains a classifier on labelled texts. Deterministic: the model depends only on the
 * multiset of examples, not their order. Throws RangeError when fewer than two labels occur,
 * since a classifier with one class has nothing to decide.
 */
export function trainClassifier(
  examples: readonly LabelledText[],
  options: TrainOptions = {},
): SegmentedClassifier {
  const steps = trainingSteps(examples, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link trainClassifier} in steps of a few hundred posts' work each, so that a caller on an
 * event loop (the bot's nightly retrain) can let other work run between them: training on a
 * large history takes seconds, longer than Slack waits for an acknowledgement.
 */
export function* trainingSteps(
  examples: readonly LabelledText[],
  options: TrainOptions = {},
): Generator<void, SegmentedClassifier, void> {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) {
    throw new RangeError(`a classifier needs at least two labels; got ${labels.length}`);
  }
  const index = new Map(labels.map((label, i) => [label, i]));
  const featured: Featured[] = [];
  for (const [at, e] of examples.entries()) {
    featured.push({
      label: index.get(e.label) ?? 0,
      features: modelFeatures(CURRENT_FORMAT, e.text),
    });
    if ((at + 1) % STEP === 0) yield;
  }
  const all = yield* tallySteps(featured, labels.length);
  yield;
  const counts: Record<string, number[]> = {};
  for (const feature of [...all.rows.keys()].sort()) {
    const row = all.rows.get(feature) ?? [];
    if (sum(row) >= minCount) counts[feature] = row;
  }
  const totals = columnTotals(Object.values(counts), labels.length);
  yield;
  const temperature = yield* fitTemperature(featured, all, alpha, minCount);
  return {
    format: CURRENT_FORMAT,
    labels,
    alpha,
    documents: all.documents,
    totals,
    counts,
    temperature,
  };
}

/** Examples as training sees them: the label's index, and the post's features once each. */
type Featured = { label: number; features: readonly string[] };

/** Posts and feature occurrences per label, before pruning. */
interface Tally {
  documents: number[];
  rows: Map<string, number[]>;
}

function* tallySteps(examples: readonly Featured[], labelCount: number): Generator<void, Tally> {
  const documents = new Array<number>(labelCount).fill(0);
  const rows = new Map<string, number[]>();
  for (const [at, { features, label }] of examples.entries()) {
    if (at > 0 && at % STEP === 0) yield;
    documents[label] = (documents[label] ?? 0) + 1;
    for (const feature of features) {
      let row = rows.get(feature);
      if (!row) {
        row = new Array<number>(labelCount).fill(0);
        rows.set(feature, row);
      }
      row[label] = (row[label] ?? 0) + 1;
    }
  }
  return { documents, rows };
}

function columnTotals(rows: Iterable<readonly number[]>, labelCount: number): number[] {
  const totals = new Array<number>(labelCount).fill(0);
  for (const row of rows) {
    for (let i = 0; i < labelCount; i++) totals[i] = (totals[i] ?? 0) + (row[i] ?? 0);
  }
  return totals;
}

/**
 * The temperature under which the model's held-out guesses are best calibrated: each fold of
 * the examples (by a hash of the text, so the order of examples cannot matter) is scored by a
 * model counted on the others, and the candidate with the least log loss over all of them wins.
 * A fold's model is the whole tally less the fold's own, pruned the same way.
 */
function* fitTemperature(
  examples: readonly Featured[],
  all: Tally,
  alpha: number,
  minCount: number,
): Generator<void, number> {
  if (examples.length < CALIBRATION_MIN_EXAMPLES) return 1;
  const labelCount = all.documents.length;
  const folds = examples.map((e) => fnv1a(e.features.join("\n")) % CALIBRATION_FOLDS);
  const kept = [...all.rows.values()].filter((row) => sum(row) >= minCount);
  const keptTotals = columnTotals(kept, labelCount);
  const heldOut: Array<{ logs: number[]; truth: number }> = [];
  for (let fold = 0; fold < CALIBRATION_FOLDS; fold++) {
    const inFold = examples.filter((_, i) => folds[i] === fold);
    if (inFold.length === 0 || inFold.length === examples.length) continue;
    const own = yield* tallySteps(inFold, labelCount);
    // The other folds' counts: the whole tally less this fold's. Only features this fold has
    // can differ from the whole model's, so totals and vocabulary are adjusted for those alone.
    const rest = new Map<string, number[] | undefined>();
    const totals = [...keptTotals];
    let vocabulary = kept.length;
    for (const [feature, mine] of own.rows) {
      const row = all.rows.get(feature) ?? mine;
      const left = row.map((n, i) => n - (mine[i] ?? 0));
      const wasKept = sum(row) >= minCount;
      const isKept = sum(left) >= minCount;
      rest.set(feature, isKept ? left : undefined);
      for (let i = 0; i < labelCount; i++) {
        totals[i] =
          (totals[i] ?? 0) - (wasKept ? (row[i] ?? 0) : 0) + (isKept ? (left[i] ?? 0) : 0);
      }
      vocabulary += (isKept ? 1 : 0) - (wasKept ? 1 : 0);
    }
    const model = {
      documents: all.documents.map((n, i) => n - (own.documents[i] ?? 0)),
      totals,
      vocabulary,
      alpha,
    };
    yield;
    for (const [at, example] of inFold.entries()) {
      if (at > 0 && at % STEP === 0) yield;
      // Every feature of a held-out post is in its own fold's tally, so `rest` has them all.
      const rows = example.features.map((f) => rest.get(f)).filter((row) => row !== undefined);
      heldOut.push({ logs: scoreRows(model, rows), truth: example.label });
    }
  }
  let best = 1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const temperature of TEMPERATURES) {
    const loss = heldOut.reduce(
      (acc, { logs, truth }) =>
        acc - Math.log(Math.max(softmaxAt(logs, truth, temperature), Number.MIN_VALUE)),
      0,
    );
    if (loss < bestLoss) {
      bestLoss = loss;
      best = temperature;
    }
  }
  return best;
}

/** FNV-1a, 32 bits: a stable, dependency-free hash for assigning examples to folds. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Scores a text against every class. Features the model never saw are ignored; a text with
 * none it knows falls back on the class priors (and so on a low confidence, usually).
 */
export function classifyText(model: TextClassifier, text: string): Classification {
  const features = modelFeatures(model.format, text).filter((f) => model.counts[f] !== undefined);
  const logs = logPosteriors(model, features);
  const order = logs.map((_, i) => i).sort((a, b) => (logs[b] ?? 0) - (logs[a] ?? 0));
  const best = order[0] ?? 0;
  const runnerUp = order[1] ?? best;
  const temperature = model.format === "naive-bayes/1" ? 1 : model.temperature;
  const words = features.filter((f) => !f.startsWith(PIECE));
  return {
    label: model.labels[best] ?? "",
    confidence: Math.min(softmaxAt(logs, best, temperature), MOST_SURE),
    evidence: strongestEvidence(model, words, best, runnerUp),
  };
}

/** log P(label) + Σ log P(feature | label), per label, up to a shared constant. */
function logPosteriors(model: Counts, features: readonly string[]): number[] {
  const rows = features.map((f) => model.counts[f]).filter((row) => row !== undefined);
  return scoreRows({ ...model, vocabulary: vocabularySize(model) }, rows);
}

/** The naive Bayes score of each label for a post whose known features have these counts. */
function scoreRows(
  model: {
    documents: readonly number[];
    totals: readonly number[];
    vocabulary: number;
    alpha: number;
  },
  rows: ReadonlyArray<readonly number[]>,
): number[] {
  const allDocuments = sum(model.documents);
  return model.documents.map((documents, i) => {
    const denominator = Math.log((model.totals[i] ?? 0) + model.alpha * model.vocabulary);
    let score = Math.log(documents / allDocuments);
    for (const row of rows) score += Math.log((row[i] ?? 0) + model.alpha) - denominator;
    return score;
  });
}

function logLikelihood(model: Counts, feature: string, label: number): number {
  return Math.log((model.counts[feature]?.[label] ?? 0) + model.alpha);
}

/** exp(logs[at] / T) / Σ exp(logs / T), computed without overflow. */
function softmaxAt(logs: readonly number[], at: number, temperature: number): number {
  const top = Math.max(...logs);
  const total = logs.reduce((acc, value) => acc + Math.exp((value - top) / temperature), 0);
  return Math.exp(((logs[at] ?? top) - top) / temperature) / total;
}

/**
 * The features that favour `best` over `runnerUp` most (largest likelihood ratio, ties in
 * alphabetical order), for the card's "why". Only features that favour `best`, and none made
 * only of words like "on the", which score but explain nothing to a reader.
 */
function strongestEvidence(
  model: Counts,
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
const vocabularySizes = new WeakMap<Counts, number>();

function vocabularySize(model: Counts): number {
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
