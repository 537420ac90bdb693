import { readRecords } from "./csv.ts";
import { findSharedFile } from "./shared-data.ts";

/** Real tweets to airlines; outside the repo (its licence forbids copying it in), maybe absent. */
export const AIRLINE_TWEETS = findSharedFile("airline-tweets.csv");

/** An intake API body (see src/services/complaint-input.ts). */
export interface ComplaintBody {
  source: string;
  externalId: string;
  text: string;
  url?: string;
  author?: { handle: string; followers?: number };
  postedAt?: string;
  metrics?: { shares: number };
  language?: string;
}

/**
 * Intake bodies for the throughput benchmark: every tweet of airline-tweets.csv once (the
 * file repeats 155 ids), or `fallbackCount` synthetic posts when the file is absent.
 */
export function loadComplaintBodies(
  fallbackCount: number,
  path = AIRLINE_TWEETS,
): {
  origin: string;
  bodies: ComplaintBody[];
} {
  if (path === undefined) {
    return {
      origin: "synthetic texts (airline-tweets.csv absent)",
      bodies: synthetic(fallbackCount),
    };
  }
  const seen = new Set<string>();
  const bodies: ComplaintBody[] = [];
  for (const record of readRecords(path)) {
    const id = record.tweet_id ?? "";
    const text = (record.text ?? "").trim();
    if (!id || !text || seen.has(id)) continue;
    seen.add(id);
    const handle = record.name || "someone";
    const postedAt = isoFromTweetDate(record.tweet_created ?? "");
    bodies.push({
      source: "twitter",
      externalId: id,
      text,
      url: `https://twitter.com/${encodeURIComponent(handle)}/status/${id}`,
      author: { handle },
      ...(postedAt ? { postedAt } : {}),
      metrics: { shares: Number(record.retweet_count) || 0 },
      language: "en",
    });
  }
  return {
    origin: `${bodies.length.toLocaleString("en-US")} real tweets from airline-tweets.csv`,
    bodies,
  };
}

/** "2015-02-24 11:35:52 -0800" → "2015-02-24T11:35:52-08:00"; undefined when it is not that shape. */
function isoFromTweetDate(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(value.trim());
  return m ? `${m[1]}T${m[2]}${m[3]}:${m[4]}` : undefined;
}

const PROBLEMS = [
  "my flight was cancelled and nobody answers the phone",
  "you lost my bag and the tracker shows nothing",
  "the app would not let me change my booking",
  "three hours late and no update at the gate",
  "the seat was broken and the crew did not care",
  "my suitcase came back damaged",
];
const PLACES = ["Denver", "Boston", "Chicago", "Dallas", "Newark", "Seattle", "Atlanta"];

function synthetic(n: number): ComplaintBody[] {
  return Array.from({ length: n }, (_, i) => ({
    source: "twitter",
    externalId: `synthetic-${i}`,
    text: `@airline ${PROBLEMS[i % PROBLEMS.length]} in ${PLACES[i % PLACES.length]} (flight ${1000 + (i % 8999)})`,
    author: { handle: `customer${i % 5000}` },
    metrics: { shares: i % 7 },
    language: "en",
  }));
}
