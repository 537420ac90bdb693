/**
 * Intake throughput: `npm run bench -- intake`, or `node --import tsx bench/intake-throughput.ts`.
 *
 * Complaints filed per second through the real HTTP API (Express, validation, routing,
 * one transaction per complaint, the card queued in the outbox) on a real PostgreSQL:
 * single requests one at a time, single requests 8 at a time, and the batch endpoint (500 per
 * request), then the same complaints sent again (duplicates). Then the outbox drain: how long
 * until 500 cards reached the Slack double, once with no rate limit (the worker's own pace) and
 * once with Slack's (about 1 post per second per channel), which sets the pace in production.
 * Texts are real tweets from ../shared/data/airline-tweets.csv when present, else synthetic.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadWorkspaceConfig } from "../src/config/load-workspace.ts";
import type { WorkspaceConfig } from "../src/config/workspace-types.ts";
import { MAX_BATCH } from "../src/services/complaint-input.ts";
import { firstPostTarget } from "../src/services/kind-profiles.ts";
import type { RateLimitSpec, SlackDouble } from "../src/slack-double/index.ts";
import { testWorkspace } from "../tests/helpers/workspace-fixture.ts";
import { type BenchBot, SLACK_RATE_LIMITS, startBenchBot, UNLIMITED_RATE } from "./support/bot.ts";
import { type ComplaintBody, loadComplaintBodies } from "./support/complaint-texts.ts";
import { isEntryPoint, runAsScript, Scope } from "./support/lifecycle.ts";
import { createBenchDatabase, startBenchPostgres } from "./support/postgres.ts";
import { count, ms, percentile, ratio, table } from "./support/stats.ts";

const EXAMPLE_CONFIG = join(dirname(fileURLToPath(import.meta.url)), "../switchboard.example.yaml");

const WARMUP = 50;
const SEQUENTIAL = 400;
const CONCURRENT = 800;
const CONCURRENCY = 8;
const BATCHES = 3;
const DUPLICATE_BATCHES = 2;
/** Cards to drain without a rate limit, and under Slack's (smaller: about a second a card). */
const DRAIN_UNLIMITED = 500;
const DRAIN_SLACK = 30;
const DRAIN_TIMEOUT_MS = 120_000;
const DRAINS: ReadonlyArray<DrainOptions & { cards: number }> = [
  {
    label: "no rate limit, worker running",
    limits: UNLIMITED_RATE,
    workerAfterFiling: false,
    cards: DRAIN_UNLIMITED,
  },
  {
    label: "no rate limit, worker after filing",
    limits: UNLIMITED_RATE,
    workerAfterFiling: true,
    cards: DRAIN_UNLIMITED,
  },
  {
    label: "Slack's limit, worker running",
    limits: SLACK_RATE_LIMITS,
    workerAfterFiling: false,
    cards: DRAIN_SLACK,
  },
];

interface Phase {
  name: string;
  complaints: number;
  seconds: number;
  /** Per-request latencies, for the single-request phases. */
  latencies?: number[];
}

export async function main(): Promise<void> {
  const needed = WARMUP + SEQUENTIAL + CONCURRENT + BATCHES * MAX_BATCH;
  const { origin, bodies } = loadComplaintBodies(needed);
  if (bodies.length < needed) throw new Error(`need ${needed} complaints, have ${bodies.length}`);
  const { workspace, workspaceName } = loadWorkspace();
  console.log(`Intake through the real HTTP API; ${origin}; routing by ${workspaceName}.\n`);
  const scope = new Scope();
  try {
    const pg = await startBenchPostgres(scope);
    const phases = await measureIntake(pg.url, workspace, bodies);
    printIntake(phases);
    const drains: Drain[] = [];
    for (const drain of DRAINS) {
      drains.push(await measureDrain(pg.url, workspace, bodies.slice(0, drain.cards), drain));
    }
    printDrain(drains);
  } finally {
    await scope.close();
  }
}

function loadWorkspace(): { workspace: WorkspaceConfig; workspaceName: string } {
  if (existsSync(EXAMPLE_CONFIG)) {
    return {
      workspace: loadWorkspaceConfig(EXAMPLE_CONFIG),
      workspaceName: "switchboard.example.yaml",
    };
  }
  return {
    workspace: testWorkspace(),
    workspaceName: "the test workspace (example config absent)",
  };
}

/** A bot on a fresh database whose outbox worker is stopped: these figures are filing alone. */
async function measureIntake(
  serverUrl: string,
  workspace: WorkspaceConfig,
  bodies: readonly ComplaintBody[],
): Promise<Phase[]> {
  const scope = new Scope();
  try {
    const db = await createBenchDatabase(scope, serverUrl, "intake");
    const bench = await startBenchBot(scope, {
      db,
      workspace,
      rateLimits: SLACK_RATE_LIMITS,
      timers: false,
    });
    await bench.bot.worker.stop();
    let next = 0;
    const take = (n: number) => {
      next += n;
      return bodies.slice(next - n, next);
    };
    await sequential(bench, take(WARMUP), false);
    const seq = take(SEQUENTIAL);
    const conc = take(CONCURRENT);
    const batch = take(BATCHES * MAX_BATCH);
    return [
      await sequential(bench, seq, false),
      await concurrent(bench, conc, false),
      await batched(bench, batch, false),
      await sequential(bench, seq, true),
      await concurrent(bench, conc, true),
      await batched(bench, batch.slice(0, DUPLICATE_BATCHES * MAX_BATCH), true),
    ];
  } finally {
    await scope.close();
  }
}

async function fileOne(bench: BenchBot, body: ComplaintBody, duplicate: boolean): Promise<number> {
  const started = performance.now();
  const res = await bench.post("/api/v1/complaints", body);
  const json = res.json as { duplicate?: boolean };
  if (res.status !== 202 || json.duplicate !== duplicate) {
    throw new Error(`complaint ${body.externalId}: ${res.status} ${JSON.stringify(res.json)}`);
  }
  return performance.now() - started;
}

async function sequential(bench: BenchBot, bodies: readonly ComplaintBody[], duplicate: boolean) {
  const started = performance.now();
  const latencies: number[] = [];
  for (const body of bodies) latencies.push(await fileOne(bench, body, duplicate));
  return phase(
    `single, sequential${duplicate ? ", duplicates" : ""}`,
    bodies.length,
    started,
    latencies,
  );
}

async function concurrent(bench: BenchBot, bodies: readonly ComplaintBody[], duplicate: boolean) {
  const started = performance.now();
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const body = bodies[i];
      if (body) latencies.push(await fileOne(bench, body, duplicate));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const name = `single, ${CONCURRENCY} at a time${duplicate ? ", duplicates" : ""}`;
  return phase(name, bodies.length, started, latencies);
}

async function batched(bench: BenchBot, bodies: readonly ComplaintBody[], duplicate: boolean) {
  const started = performance.now();
  for (let i = 0; i < bodies.length; i += MAX_BATCH) {
    const complaints = bodies.slice(i, i + MAX_BATCH);
    const res = await bench.post("/api/v1/complaints/batch", { complaints });
    const summary = (res.json as { summary?: { accepted: number; duplicates: number } }).summary;
    const expected = duplicate ? summary?.duplicates : summary?.accepted;
    if (res.status !== 200 || expected !== complaints.length) {
      throw new Error(`batch at ${i}: ${res.status} ${JSON.stringify(summary ?? res.json)}`);
    }
  }
  return phase(`batch of ${MAX_BATCH}${duplicate ? ", duplicates" : ""}`, bodies.length, started);
}

function phase(name: string, complaints: number, started: number, latencies?: number[]): Phase {
  return {
    name,
    complaints,
    seconds: (performance.now() - started) / 1000,
    ...(latencies ? { latencies } : {}),
  };
}

function printIntake(phases: readonly Phase[]): void {
  const rate = (p: Phase | undefined) => (p ? p.complaints / p.seconds : Number.NaN);
  const byName = (name: string) => phases.find((p) => p.name === name);
  console.log("Filing (outbox worker paused, so this is intake alone):");
  console.log(
    table([
      ["", "complaints", "seconds", "per second", "request p50", "request p99"],
      ...phases.map((p) => [
        p.name,
        count(p.complaints),
        p.seconds.toFixed(2),
        count(rate(p)),
        p.latencies ? ms(percentile(p.latencies, 50)) : "",
        p.latencies ? ms(percentile(p.latencies, 99)) : "",
      ]),
    ]),
  );
  const seq = rate(byName("single, sequential"));
  const conc = rate(byName(`single, ${CONCURRENCY} at a time`));
  const batch = rate(byName(`batch of ${MAX_BATCH}`));
  console.log(
    table([
      ["ratios", ""],
      ["batch / single sequential", ratio(batch, seq)],
      [`batch / single ${CONCURRENCY} at a time`, ratio(batch, conc)],
      [`single ${CONCURRENCY} at a time / sequential`, ratio(conc, seq)],
      [
        "duplicate / new, single sequential",
        ratio(rate(byName("single, sequential, duplicates")), seq),
      ],
      [
        `duplicate / new, single ${CONCURRENCY} at a time`,
        ratio(rate(byName(`single, ${CONCURRENCY} at a time, duplicates`)), conc),
      ],
      ["duplicate / new, batch", ratio(rate(byName(`batch of ${MAX_BATCH}, duplicates`)), batch)],
    ]),
  );
  console.log();
}

interface DrainOptions {
  label: string;
  limits: RateLimitSpec;
  /** Stop the worker while the batch is filed and start it after: the worker's own pace. */
  workerAfterFiling: boolean;
}

interface Drain extends DrainOptions {
  cards: number;
  /** Seconds from the batch request to its answer (NaN when the worker started after it). */
  filedS: number;
  /** Seconds to the first and last card in Slack, from the request or from the worker's start. */
  firstCardS: number;
  lastCardS: number;
  /** Cards per channel, busiest first. */
  perChannel: Array<[string, number]>;
  rateLimited: number;
  delivered: number;
}

/**
 * Files `bodies` in one batch on a fresh database and bot, then waits for every card to
 * reach the double; times come from the double's own record of each call.
 */
async function measureDrain(
  serverUrl: string,
  workspace: WorkspaceConfig,
  bodies: readonly ComplaintBody[],
  options: DrainOptions,
): Promise<Drain> {
  const scope = new Scope();
  try {
    const db = await createBenchDatabase(scope, serverUrl, "drain");
    const bench = await startBenchBot(scope, {
      db,
      workspace,
      rateLimits: options.limits,
      timers: false,
    });
    if (options.workerAfterFiling) await bench.bot.worker.stop();
    let started = Date.now();
    const res = await bench.post("/api/v1/complaints/batch", { complaints: bodies });
    const filedS = options.workerAfterFiling ? Number.NaN : (Date.now() - started) / 1000;
    if (res.status !== 200) throw new Error(`batch: ${res.status} ${JSON.stringify(res.json)}`);
    // A card or a #kudos note for every post, except the kinds listed in the daily roll-up.
    const expected = postedNow(workspace, res.json);
    if (options.workerAfterFiling) {
      started = Date.now();
      bench.bot.worker.start();
    }
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (cardCalls(bench.double).length < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const cards = cardCalls(bench.double);
    const perChannel = new Map<string, number>();
    for (const c of cards) perChannel.set(c.channel, (perChannel.get(c.channel) ?? 0) + 1);
    return {
      ...options,
      cards: expected,
      filedS,
      firstCardS: ((cards[0]?.at ?? Number.NaN) - started) / 1000,
      lastCardS: ((cards[cards.length - 1]?.at ?? Number.NaN) - started) / 1000,
      perChannel: [...perChannel].sort((a, b) => b[1] - a[1]),
      rateLimited: bench.double.callsTo("chat.postMessage").filter((c) => c.status === 429).length,
      delivered: cards.length,
    };
  } finally {
    await scope.close();
  }
}

/** How many of a batch's posts get a message at once (the rest wait for the daily roll-up). */
function postedNow(workspace: WorkspaceConfig, answer: unknown): number {
  const results =
    (answer as { results?: Array<{ status: number; kind?: string; department?: string }> })
      .results ?? [];
  return results.filter(
    (r) =>
      r.status === 202 &&
      firstPostTarget(workspace, {
        kind: r.kind ?? "complaint",
        department: r.department ?? "",
      }) !== null,
  ).length;
}

/** Cards the double accepted: top-level chat.postMessage calls that succeeded. */
function cardCalls(double: SlackDouble): Array<{ at: number; channel: string }> {
  return double
    .callsTo("chat.postMessage")
    .filter((c) => c.status === 200 && c.response?.ok === true && !c.args.thread_ts)
    .map((c) => ({ at: c.at, channel: String(c.args.channel) }));
}

/** The least time Slack's per-channel token bucket allows for these cards. */
function slackBoundS(perChannel: ReadonlyArray<[string, number]>): number {
  const bucket = SLACK_RATE_LIMITS.postMessagePerChannel ?? { burst: 4, perSecond: 1 };
  return Math.max(0, ...perChannel.map(([, n]) => (n - bucket.burst) / bucket.perSecond));
}

function printDrain(drains: readonly Drain[]): void {
  const bucket = SLACK_RATE_LIMITS.postMessagePerChannel;
  const seconds = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} s` : "—");
  console.log(
    "Outbox drain: cards filed in one batch request, until each reached the Slack double:",
  );
  console.log(
    table([
      ["", "cards", "batch answered", "first card", "last card", "cards/s", "429s"],
      ...drains.map((d) => [
        d.label,
        `${count(d.delivered)}/${count(d.cards)}`,
        seconds(d.filedS),
        seconds(d.firstCardS),
        seconds(d.lastCardS),
        (d.delivered / d.lastCardS).toFixed(1),
        count(d.rateLimited),
      ]),
    ]),
  );
  console.log(
    "(times from the batch request; for the worker started after filing, from its start)",
  );
  const limited = drains.find((d) => d.limits === SLACK_RATE_LIMITS);
  const largest = drains.find((d) => d.cards === DRAIN_UNLIMITED && !d.workerAfterFiling);
  if (!limited || !largest) return;
  const describe = (d: Drain) => d.perChannel.map(([channel, n]) => `${channel} ${n}`).join(", ");
  console.log(
    `\nSlack allows about ${bucket?.perSecond ?? 1} post per second per channel after a burst of ` +
      `${bucket?.burst ?? 4}, so a drain is as slow as its busiest channel:\n` +
      `  ${count(limited.cards)} cards (${describe(limited)}): at least ` +
      `${slackBoundS(limited.perChannel).toFixed(0)} s by the bucket; measured ${limited.lastCardS.toFixed(1)} s, ` +
      `with ${count(limited.rateLimited)} calls answered 429.\n` +
      `  ${count(largest.cards)} cards (${describe(largest)}): at least ` +
      `${slackBoundS(largest.perChannel).toFixed(0)} s under Slack's limit, against ` +
      `${largest.lastCardS.toFixed(1)} s without it.`,
  );
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
