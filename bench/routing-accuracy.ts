/**
 * Routing accuracy on real customer tweets: `npm run bench -- routing`, or
 * `node --import tsx bench/routing-accuracy.ts`.
 *
 * Reads ../shared/data/airline-tweets.csv (never copied into this repo: its licence forbids it),
 * keeps confident negative tweets with a human complaint reason, maps each reason to the
 * department that should own it, routes the text with the example workspace's rules and prints
 * accuracy, a confusion matrix and throughput. A script, not a test: `npm test` never needs the data.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadWorkspaceConfig } from "../src/config/load-workspace.ts";
import type { ComplaintFacts, RoutingPolicy } from "../src/domain/complaint.ts";
import { routeComplaint } from "../src/domain/routing.ts";
import { readRecords } from "./support/csv.ts";
import { isEntryPoint, runAsScript } from "./support/lifecycle.ts";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA_FILE = join(REPO_ROOT, "../shared/data/airline-tweets.csv");
const EXAMPLE_CONFIG = join(REPO_ROOT, "switchboard.example.yaml");
const MIN_CONFIDENCE = 0.66;
const PASSES = 5;

/** Department for each human label, as ../shared/data/README.md suggests; "Can't Tell" is skipped. */
const DEPARTMENT_FOR_REASON: Record<string, string> = {
  "Customer Service Issue": "service",
  "Flight Attendant Complaints": "service",
  longlines: "service",
  "Flight Booking Problems": "bookings",
  "Late Flight": "operations",
  "Cancelled Flight": "operations",
  "Lost Luggage": "baggage",
  "Damaged Luggage": "baggage",
  "Bad Flight": "product",
};

interface Example {
  facts: ComplaintFacts;
  expected: string;
}

type Confusion = Map<string, Map<string, number>>;

export function main(): void {
  if (!existsSync(DATA_FILE)) {
    console.log(
      `Skipped: ${DATA_FILE} is absent. It lives outside the repo; see ../shared/data/README.md.`,
    );
    return;
  }
  if (!existsSync(EXAMPLE_CONFIG)) {
    console.log(`Skipped: ${EXAMPLE_CONFIG} is absent; the bench routes with its rules.`);
    return;
  }
  const examples = selectExamples(readRecords(DATA_FILE));
  // A broken example config should fail loudly (ConfigError names the key), not be skipped.
  const policy = loadWorkspaceConfig(EXAMPLE_CONFIG).routing;
  console.log(`Routing ${examples.length} labelled complaints with switchboard.example.yaml.\n`);
  const confusion = evaluate(examples, policy);
  printAccuracy(confusion, examples.length);
  printConfusion(confusion);
  printThroughput(examples, policy);
}

function selectExamples(records: Record<string, string>[]): Example[] {
  return records.flatMap((record) => {
    const expected = DEPARTMENT_FOR_REASON[record.negativereason ?? ""];
    const confident = Number(record.airline_sentiment_confidence) >= MIN_CONFIDENCE;
    if (record.airline_sentiment !== "negative" || !confident || !expected) return [];
    return [{ facts: toFacts(record), expected }];
  });
}

function toFacts(record: Record<string, string>): ComplaintFacts {
  return {
    source: "twitter",
    text: record.text ?? "",
    language: "en",
    author: { handle: record.name ?? "" },
    metrics: { shares: Number(record.retweet_count) || 0 },
  };
}

function evaluate(examples: Example[], policy: RoutingPolicy): Confusion {
  const confusion: Confusion = new Map();
  for (const { facts, expected } of examples) {
    const predicted = routeComplaint(facts, policy).department;
    const row = confusion.get(expected) ?? new Map<string, number>();
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    confusion.set(expected, row);
  }
  return confusion;
}

function printAccuracy(confusion: Confusion, total: number): void {
  let correct = 0;
  const lines: string[] = [];
  for (const [department, row] of [...confusion].sort(([a], [b]) => a.localeCompare(b))) {
    const hits = row.get(department) ?? 0;
    const count = sum(row.values());
    const routed = sumColumn(confusion, department);
    correct += hits;
    lines.push(
      `  ${department.padEnd(12)} recall ${percent(hits, count)} (${hits}/${count})  precision ${percent(hits, routed)}`,
    );
  }
  console.log(`Accuracy overall: ${percent(correct, total)} (${correct}/${total})`);
  console.log(lines.join("\n"));
  console.log();
}

function printConfusion(confusion: Confusion): void {
  const expected = [...confusion.keys()].sort();
  const predicted = [...new Set([...confusion.values()].flatMap((row) => [...row.keys()]))].sort();
  const width = Math.max(10, ...predicted.map((name) => name.length + 1));
  console.log("Confusion matrix (rows: expected department, columns: routed to)");
  console.log(`${"".padEnd(12)}${predicted.map((name) => name.padStart(width)).join("")}`);
  for (const department of expected) {
    const row = confusion.get(department) ?? new Map<string, number>();
    const cells = predicted.map((name) => String(row.get(name) ?? 0).padStart(width));
    console.log(`${department.padEnd(12)}${cells.join("")}`);
  }
  console.log();
}

function printThroughput(examples: Example[], policy: RoutingPolicy): void {
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < PASSES; pass++) {
    const start = performance.now();
    for (const { facts } of examples) routeComplaint(facts, policy);
    best = Math.min(best, performance.now() - start);
  }
  const perSecond = Math.round((examples.length / best) * 1000);
  console.log(
    `Throughput: ${perSecond.toLocaleString("en-US")} complaints routed per second ` +
      `(best of ${PASSES} passes over ${examples.length}; ${((best * 1000) / examples.length).toFixed(1)} µs each)`,
  );
}

function sumColumn(confusion: Confusion, department: string): number {
  return sum([...confusion.values()].map((row) => row.get(department) ?? 0));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "   n/a" : `${((part / whole) * 100).toFixed(1).padStart(5)}%`;
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
