/**
 * Reading airline-tweets.csv honestly (shared/data/README.md): the right confidence column,
 * duplicates merged, the label words the release leaked into the text put back, and a split
 * by a hash of the tweet id into a tuning part and a report part. Every routing figure we
 * publish is measured on the report part only.
 */
import { createHash } from "node:crypto";

/**
 * The one mapping from the data's `negativereason` to the example workspace's departments
 * (switchboard.example.yaml). "Bad Flight" is the in-cabin experience (seats, food, wifi,
 * entertainment), which the example gives to its cabin team; website and app trouble is
 * labelled Customer Service Issue or Flight Booking Problems in this data. "Can't Tell" is
 * left out: it says nothing about a department. No label maps to the press office (pr), so
 * anything routed there counts as a miss.
 */
export const DEPARTMENT_FOR_REASON: Readonly<Record<string, string>> = {
  "Customer Service Issue": "service",
  "Flight Attendant Complaints": "service",
  longlines: "service",
  "Flight Booking Problems": "bookings",
  "Late Flight": "operations",
  "Cancelled Flight": "operations",
  "Lost Luggage": "baggage",
  "Damaged Luggage": "baggage",
  "Bad Flight": "cabin",
};

/** The department every complaint would go to with no rules at all: the baseline to beat. */
export const BASELINE_DEPARTMENT = "service";

/** How sure annotators must have been of the *reason* (not of the sentiment). */
export const MIN_REASON_CONFIDENCE = 0.66;

/** One tweet, de-duplicated, with its text repaired. */
export interface AirlineTweet {
  id: string;
  sentiment: "negative" | "neutral" | "positive";
  sentimentConfidence: number;
  /** Expected department, for a confidently labelled complaint; undefined otherwise. */
  department?: string | undefined;
  /**
   * Whether every annotator gave this reason (`negativereason_confidence` of 1), rather than
   * most of them: the labels of split tweets are the ones a reader could fairly argue with.
   */
  unanimous: boolean;
  text: string;
  /** The author's screen name; several tweets by one author are often one conversation. */
  author: string;
  retweets: number;
  part: Part;
}

/** Tuning part: rules and models are fitted here. Report part: figures are measured here. */
export type Part = "tune" | "report";

/** What reading the file did, for the bench to print. */
export interface ReadingReport {
  rows: number;
  uniqueIds: number;
  duplicateRows: number;
  /** Ids whose copies carry different departments: left out of the labelled set. */
  conflictingIds: number;
  repairedTexts: number;
}

// The release replaced "late" with "Late Flight", "cancel" with "Cancelled Flight" and
// "booking" with "Flight Booking Problems" (so "later" became "Late Flightr"): undo it, or a
// rule or model learns the label from its own name.
const LEAKS: ReadonlyArray<[string, string]> = [
  ["Flight Booking Problems", "booking"],
  ["Cancelled Flight", "cancel"],
  ["Late Flight", "late"],
];

/** The text with the leaked label words put back as the customer wrote them. */
export function repairLeakedLabels(text: string): string {
  return LEAKS.reduce((acc, [leaked, original]) => acc.replaceAll(leaked, original), text);
}

/** Which part a tweet falls in: half by a hash of its id, so copies of one id stay together. */
export function partOf(tweetId: string): Part {
  const digest = createHash("sha256").update(`switchboard-split:${tweetId}`).digest();
  return digest.readUInt32BE(0) % 2 === 0 ? "tune" : "report";
}

/**
 * Which of `folds` cross-validation folds a tuning tweet falls in, by another hash of its id
 * (independent of the tune/report split, and stable, so a fold means the same tweets every run).
 */
export function foldOf(tweetId: string, folds: number): number {
  const digest = createHash("sha256").update(`switchboard-fold:${tweetId}`).digest();
  return digest.readUInt32BE(0) % folds;
}

/** Reads the CSV's records into de-duplicated, repaired tweets. */
export function readAirlineTweets(records: readonly Record<string, string>[]): {
  tweets: AirlineTweet[];
  report: ReadingReport;
} {
  const byId = new Map<string, Record<string, string>[]>();
  for (const record of records) {
    const id = record.tweet_id ?? "";
    if (!id) continue;
    byId.set(id, [...(byId.get(id) ?? []), record]);
  }
  let conflictingIds = 0;
  let repairedTexts = 0;
  const tweets: AirlineTweet[] = [];
  for (const [id, copies] of byId) {
    const departments = new Set(copies.map(confidentDepartment).filter((d) => d !== undefined));
    if (departments.size > 1) conflictingIds++;
    const first = copies[0] ?? {};
    const original = first.text ?? "";
    const text = repairLeakedLabels(original);
    if (text !== original) repairedTexts++;
    tweets.push({
      id,
      sentiment: sentimentOf(first.airline_sentiment),
      sentimentConfidence: Number(first.airline_sentiment_confidence) || 0,
      department: departments.size === 1 ? [...departments][0] : undefined,
      unanimous: copies.every((copy) => Number(copy.negativereason_confidence) >= 1),
      text,
      author: first.name ?? "",
      retweets: Number(first.retweet_count) || 0,
      part: partOf(id),
    });
  }
  return {
    tweets,
    report: {
      rows: records.length,
      uniqueIds: byId.size,
      duplicateRows: records.length - byId.size,
      conflictingIds,
      repairedTexts,
    },
  };
}

/** The department a row's reason maps to, when annotators were sure enough of the reason. */
function confidentDepartment(record: Record<string, string>): string | undefined {
  if (record.airline_sentiment !== "negative") return undefined;
  if (!(Number(record.negativereason_confidence) >= MIN_REASON_CONFIDENCE)) return undefined;
  return DEPARTMENT_FOR_REASON[record.negativereason ?? ""];
}

function sentimentOf(value: string | undefined): AirlineTweet["sentiment"] {
  return value === "positive" || value === "neutral" ? value : "negative";
}
