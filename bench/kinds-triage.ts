/**
 * Telling complaints from questions, praise and chatter: `npm run bench -- kinds`, or
 * `node --import tsx bench/kinds-triage.ts [--part tune] [--errors 40]`.
 *
 * Classifies posts with the `kinds` rules of switchboard.example.yaml and, through each
 * kind's profile there, works out what happens to them: a complaint that became praise or
 * other would lose every SLA clock (the target: under 2% of real complaints), a complaint
 * that became a question keeps claim and first-response clocks; a post that is not a
 * complaint and lands in praise or other is noise taken off the desk.
 *
 * Two data sets, both outside the repository (never copied in; see shared/data/README.md):
 * - airline-tweets.csv, by sentiment (airline_sentiment_confidence ≥ 0.66): negative tweets
 *   are complaints, positive and neutral ones are not. Split by a hash of tweet_id like the
 *   routing bench; the kind rules were tuned on the tuning part, figures are on the report
 *   part. `--part tune --errors N` lists tuning tweets the rules get wrong.
 * - complaints-vs-not.csv (Preoţiuc-Pietro et al., 2019): tweets to brands in nine domains,
 *   labelled complaint or not. Never used for tuning: a test the rules did not see.
 */

import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { loadWorkspaceConfig } from "../src/config/load-workspace.ts";
import type { WorkspaceConfig } from "../src/config/workspace-types.ts";
import {
  classifyPost,
  type KindDecision,
  POST_KINDS,
  type PostKind,
} from "../src/domain/post-kinds.ts";
import { type Part, readAirlineTweets } from "./support/airline-labels.ts";
import { parseCsv, readRecords } from "./support/csv.ts";
import { isEntryPoint, runAsScript } from "./support/lifecycle.ts";
import { exitDataMissing, findSharedFile } from "./support/shared-data.ts";

const EXAMPLE_CONFIG = "switchboard.example.yaml";
const MIN_SENTIMENT_CONFIDENCE = 0.66;

interface Post {
  text: string;
  complaint: boolean;
  /** Where it comes from, for the breakdown: "airline negative", "apparel"… */
  group: string;
}

interface Outcome {
  post: Post;
  decision: KindDecision;
}

export function main(): void {
  const args = process.argv.slice(2);
  const part: Part =
    args.includes("--part") && args[args.indexOf("--part") + 1] === "tune" ? "tune" : "report";
  const errors = Number(args.includes("--errors") ? args[args.indexOf("--errors") + 1] : 0);
  if (errors > 0 && part === "report") {
    throw new Error(
      "--errors lists tuning tweets only (--part tune): tune on one part, report on the other",
    );
  }
  const airlinePath = findSharedFile("airline-tweets.csv") ?? exitDataMissing("airline-tweets.csv");
  const config = loadWorkspaceConfig(EXAMPLE_CONFIG);
  printProfiles(config);

  const airline = airlinePosts(airlinePath, part);
  console.log(
    `\n== airline-tweets.csv, ${part === "tune" ? "tuning" : "report"} part (${airline.length} tweets with airline_sentiment_confidence ≥ ${MIN_SENTIMENT_CONFIDENCE}) ==`,
  );
  const airlineOutcomes = classifyAll(airline, config);
  printOutcomes(airlineOutcomes, config);
  if (errors > 0) printErrors(airlineOutcomes, config, errors);
  printThroughput(airline, config);

  if (part === "tune") return;
  const cvnPath = findSharedFile("complaints-vs-not.csv");
  if (!cvnPath) {
    console.log(
      "\ncomplaints-vs-not.csv not found next to airline-tweets.csv: that half was SKIPPED.",
    );
    return;
  }
  const cvn = complaintsVsNot(cvnPath);
  console.log(`\n== complaints-vs-not.csv, all ${cvn.length} tweets (never used for tuning) ==`);
  printOutcomes(classifyAll(cvn, config), config, { byGroup: true });
}

function airlinePosts(path: string, part: Part): Post[] {
  const { tweets } = readAirlineTweets(readRecords(path));
  return tweets
    .filter((t) => t.part === part && t.sentimentConfidence >= MIN_SENTIMENT_CONFIDENCE)
    .map((t) => ({
      text: t.text,
      complaint: t.sentiment === "negative",
      group: `airline ${t.sentiment}`,
    }));
}

/** No header: tweet_id, text, label (1 = complaint), domain. */
function complaintsVsNot(path: string): Post[] {
  return parseCsv(readFileSync(path, "utf8"))
    .filter((row) => row.length >= 4 && row[1])
    .map(([, text = "", label, domain = ""]) => ({
      text,
      complaint: label === "1",
      group: domain,
    }));
}

function classifyAll(posts: readonly Post[], config: WorkspaceConfig): Outcome[] {
  return posts.map((post) => ({
    post,
    decision: classifyPost({ source: "twitter", text: post.text, language: "en" }, config.kinds),
  }));
}

/** What each kind means under the example's profiles. */
function printProfiles(config: WorkspaceConfig): void {
  console.log("Kinds and their profiles in switchboard.example.yaml:");
  for (const kind of POST_KINDS) {
    const p = config.kindProfiles[kind];
    const where =
      p.delivery.to === "card"
        ? "a card on the desk"
        : p.delivery.to === "channel"
          ? `a note in ${p.delivery.channel}`
          : `the daily roll-up in ${p.delivery.channel}`;
    console.log(`  ${kind.padEnd(9)} clocks: ${p.clocks.join(", ") || "none"}; shown as ${where}`);
  }
}

const offDesk = (config: WorkspaceConfig, kind: PostKind) =>
  config.kindProfiles[kind].delivery.to !== "card";
const clockless = (config: WorkspaceConfig, kind: PostKind) =>
  config.kindProfiles[kind].clocks.length === 0;

function printOutcomes(
  outcomes: readonly Outcome[],
  config: WorkspaceConfig,
  options: { byGroup?: boolean } = {},
): void {
  const complaints = outcomes.filter((o) => o.post.complaint);
  const others = outcomes.filter((o) => !o.post.complaint);
  const lost = complaints.filter((o) => clockless(config, o.decision.kind));
  const asQuestion = complaints.filter((o) => o.decision.kind === "question");
  console.log(`Real complaints (${complaints.length}):`);
  console.log(
    `  ${percent(lost.length, complaints.length)} would lose every SLA clock (praise or other)   (${lost.length}; target under 2%)`,
  );
  console.log(
    `  ${percent(asQuestion.length, complaints.length)} taken for questions: claim and first response clocks, no resolution clock   (${asQuestion.length})`,
  );
  console.log(
    `  ${percent(complaints.length - lost.length - asQuestion.length, complaints.length)} kept as complaints, every clock`,
  );
  const taken = others.filter((o) => offDesk(config, o.decision.kind));
  const questions = others.filter((o) => o.decision.kind === "question");
  console.log(`Not complaints (${others.length}):`);
  console.log(
    `  ${percent(taken.length, others.length)} taken off the desk (praise or other: no card, no clocks)   (${taken.length})`,
  );
  console.log(
    `  ${percent(questions.length, others.length)} on the desk as questions (no resolution clock)   (${questions.length})`,
  );
  console.log(
    `  ${percent(others.length - taken.length - questions.length, others.length)} still on the desk as complaints`,
  );
  const desk = outcomes.filter((o) => !offDesk(config, o.decision.kind));
  const before = outcomes.length;
  console.log(
    `Cards on the desk: ${desk.length} of ${before} posts (${percent(before - desk.length, before).trim()} fewer than one card per post)`,
  );
  printConfusion(outcomes, options.byGroup ?? false);
}

function printConfusion(outcomes: readonly Outcome[], byGroup: boolean): void {
  const groups = [
    ...new Set(
      outcomes.map((o) =>
        byGroup ? `${o.post.complaint ? "complaint" : "not"} · ${o.post.group}` : o.post.group,
      ),
    ),
  ].sort();
  console.log(`  ${"".padEnd(34)}${POST_KINDS.map((k) => k.padStart(10)).join("")}`);
  for (const group of groups) {
    const rows = outcomes.filter(
      (o) =>
        (byGroup ? `${o.post.complaint ? "complaint" : "not"} · ${o.post.group}` : o.post.group) ===
        group,
    );
    const cells = POST_KINDS.map((k) =>
      percent(rows.filter((o) => o.decision.kind === k).length, rows.length).padStart(10),
    );
    console.log(`  ${`${group} (${rows.length})`.padEnd(34)}${cells.join("")}`);
  }
}

function printErrors(outcomes: readonly Outcome[], config: WorkspaceConfig, limit: number): void {
  const wrong = outcomes.filter((o) =>
    o.post.complaint
      ? clockless(config, o.decision.kind)
      : !offDesk(config, o.decision.kind) && o.decision.kind === "complaint",
  );
  console.log(
    `\nTuning tweets handled wrongly (${Math.min(limit, wrong.length)} of ${wrong.length}; complaints off the desk first):`,
  );
  for (const o of [...wrong]
    .sort((a, b) => Number(b.post.complaint) - Number(a.post.complaint))
    .slice(0, limit)) {
    console.log(
      `  ${o.post.complaint ? "complaint" : "not      "} → ${o.decision.kind.padEnd(9)} [${o.decision.rule ?? "default"}] ${o.post.text.replace(/\s+/g, " ")}`,
    );
  }
}

/** How long the kind rules take per post: best of five passes. */
function printThroughput(posts: readonly Post[], config: WorkspaceConfig): void {
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 5; pass++) {
    const start = performance.now();
    for (const post of posts) classifyPost({ source: "twitter", text: post.text }, config.kinds);
    best = Math.min(best, performance.now() - start);
  }
  const each = (best * 1000) / posts.length;
  console.log(`Kind rules: ${each.toFixed(1)} µs a post (best of 5 passes over ${posts.length})`);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "   n/a" : `${((part / whole) * 100).toFixed(1).padStart(5)}%`;
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
