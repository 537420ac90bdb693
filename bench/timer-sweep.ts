/**
 * The SLA timer sweep: `npm run bench -- sweep`, or `node --import tsx bench/timer-sweep.ts`.
 *
 * Two questions from the ownership issue, at 1,000 and at 100,000 open threads:
 * 1. Cost. Does a sweep cost follow the number of due timers rather than the number of open
 *    threads? The real sweepTimers runs against a real PostgreSQL with a fake clock, with the
 *    same due timers at both sizes, from 0 to 500 due; EXPLAIN shows the due-timer query
 *    using the partial index on pending fire_at, and a run without that index shows why it is there.
 * 2. Lateness. How long after a timer's fire_at does its nudge go out? The real bot (timer job
 *    every second, outbox worker, Slack double, real clock) files complaints under SLA windows of
 *    seconds, so hundreds of timers fall due at scattered instants; the database and the double
 *    then say when each was fired, queued and received.
 * Prints figures; asserts nothing about time. Needs no data from ../shared.
 */
import { performance } from "node:perf_hooks";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { WorkspaceConfig } from "../src/config/workspace-types.ts";
import type { DatabaseHandle } from "../src/db/client.ts";
import { outbox, timers as timerRows } from "../src/db/schema.ts";
import { findDueSubjects } from "../src/db/timer-store.ts";
import { silentLogger } from "../src/logger.ts";
import type { ServiceContext } from "../src/services/context.ts";
import { OUTBOX_KINDS } from "../src/services/outbox-kinds.ts";
import { sweepTimers } from "../src/services/sweep-timers.ts";
import { FakeClock, HOUR, MINUTE } from "../tests/helpers/fake-clock.ts";
import { testWorkspace } from "../tests/helpers/workspace-fixture.ts";
import { startBenchBot, UNLIMITED_RATE } from "./support/bot.ts";
import { isEntryPoint, runAsScript, Scope } from "./support/lifecycle.ts";
import { type BenchDatabase, createBenchDatabase, startBenchPostgres } from "./support/postgres.ts";
import { SEED_TEXTS, ThreadSeeder } from "./support/seed-threads.ts";
import { count, distribution, median, ms, percentile, ratio, table } from "./support/stats.ts";

const SIZES = [1_000, 100_000] as const;
/** Threads whose one timer the cost runs make due; part of the open threads at both sizes. */
const POOL = 1_000;
/** Due timers for the 1k-vs-100k comparison. */
const COMPARED_DUE = 50;
/** Due timers per run, and repetitions; 500 is what one sweep takes at most (its limit). */
const DUE_STEPS: ReadonlyArray<{ due: number; reps: number; warmup: number }> = [
  { due: 0, reps: 30, warmup: 2 },
  { due: 10, reps: 20, warmup: 2 },
  { due: COMPARED_DUE, reps: 20, warmup: 2 },
  { due: 100, reps: 8, warmup: 1 },
  { due: 500, reps: 3, warmup: 1 },
];

/** Lateness runs: complaints filed one every INTERVAL, each starting 3 clocks of seconds. */
const LATE_COMPLAINTS = 40;
const LATE_INTERVAL_MS = 400;
const LATE_WINDOWS = { claim: 6_000, firstResponse: 12_000, resolution: 18_000 };
/** How long after the last timer's fire_at the run waits for stragglers before reporting. */
const LATE_GRACE_MS = 30_000;
const TARGET_P99_MS = 2_000;

/** One database of `size` open threads, POOL of which can be given a due timer. */
interface Fixture {
  size: number;
  db: BenchDatabase;
  pool: number[];
}

/** Median ms to fire `due` timers at each size, in SIZES order. */
interface CostRow {
  due: number;
  sweeps: number;
  medianMs: number[];
}

interface LatenessRow {
  timers: number;
  messages: number;
  /** Every outbox item the run delivered (cards, card updates, nudges) and over how long. */
  delivered: { items: number; seconds: number };
  fired: number[];
  queued: number[];
  received: number[] | null;
  inSweepMaxMs: number;
  missing: number;
}

export async function main(): Promise<void> {
  const scope = new Scope();
  try {
    console.log(
      "SLA timer sweep on a real PostgreSQL (embedded, 127.0.0.1): cost and nudge lateness.\n",
    );
    const pg = await startBenchPostgres(scope);
    const config = testWorkspace();
    const clock = new FakeClock(new Date());
    const fixtures: Fixture[] = [];
    for (const size of SIZES)
      fixtures.push(await createFixture(scope, pg.url, config, clock, size));
    console.log();
    const costs = await measureCost(fixtures, config, clock);
    const largest = fixtures[fixtures.length - 1];
    if (!largest) throw new Error("no sizes to measure");
    const withoutIndexMs = await explainWithAndWithoutIndex(largest, config, clock);
    const lateness: LatenessRow[] = [];
    for (const fixture of fixtures) lateness.push(await measureLateness(fixture));
    printSummary(costs, withoutIndexMs, lateness);
  } finally {
    await scope.close();
  }
}

/**
 * A database with `size` open threads: the due pool, and the rest opened in the last
 * 10 minutes at P3 or P4, so every timer they have is at least 20 minutes ahead.
 */
async function createFixture(
  scope: Scope,
  serverUrl: string,
  config: WorkspaceConfig,
  clock: FakeClock,
  size: number,
): Promise<Fixture> {
  const started = performance.now();
  const db = await createBenchDatabase(scope, serverUrl, `sweep${size}`);
  const seeder = new ThreadSeeder(db.url, config);
  try {
    const pool = await createDuePool(seeder, db, clock.now());
    await seeder.addOpenThreads({
      count: size - POOL,
      openedAt: () => new Date(clock.now().getTime() - Math.random() * 10 * MINUTE),
      priority: (i) => (i % 5 < 3 ? "P3" : "P4"),
    });
    await db.query(sql`VACUUM ANALYZE`);
    console.log(
      `${count(size)} open threads with ${count(await countPending(db))} pending timers, ` +
        `seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return { size, db, pool };
  } finally {
    await seeder.close();
  }
}

/**
 * POOL service/PR threads at P4 opened 2 h 1 min ago: each has exactly one timer due now (the
 * claim clock's 50% warning, 1 minute ago), marked fired until a cost run arms it again.
 */
async function createDuePool(seeder: ThreadSeeder, db: DatabaseHandle, now: Date) {
  const threadIds = await seeder.addOpenThreads({
    count: POOL,
    openedAt: () => new Date(now.getTime() - 2 * HOUR - MINUTE),
    priority: () => "P4",
    text: (i) => (i % 2 === 0 ? SEED_TEXTS.service : SEED_TEXTS.pr),
  });
  const timers = await db.db
    .select({ id: timerRows.id, fireAt: timerRows.fireAt })
    .from(timerRows)
    .where(and(eq(timerRows.subjectType, "thread"), inArray(timerRows.subjectId, threadIds)));
  const due = timers.filter((t) => t.fireAt <= now).map((t) => t.id);
  if (due.length !== POOL) throw new Error(`expected ${POOL} due timers, found ${due.length}`);
  await db.db
    .update(timerRows)
    .set({ status: "fired", firedAt: now })
    .where(inArray(timerRows.id, due));
  return due;
}

async function countPending(db: DatabaseHandle): Promise<number> {
  const [row] = await db.query<{ n: string }>(
    sql`SELECT count(*) AS n FROM timers WHERE status = 'pending'`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Makes these pool timers pending again and empties the outbox. In a cost run the outbox
 * holds only what the sweeps queued (nudges, card updates): nothing delivers it.
 */
async function arm(db: DatabaseHandle, timerIds: readonly number[]): Promise<void> {
  await db.db.delete(outbox);
  if (timerIds.length === 0) return;
  await db.db
    .update(timerRows)
    .set({ status: "pending", firedAt: null })
    .where(inArray(timerRows.id, [...timerIds]));
}

/** Sweeps as the job would until the armed timers have all fired; returns ms and sweeps. */
async function fireAll(ctx: ServiceContext, config: WorkspaceConfig, due: number) {
  const started = performance.now();
  let fired = 0;
  let sweeps = 0;
  for (;;) {
    const result = await sweepTimers(ctx, config);
    sweeps += 1;
    fired += result.fired;
    if (result.fired === 0 || fired >= due) break;
  }
  if (fired !== due) throw new Error(`armed ${due} timers, the sweep fired ${fired}`);
  return { elapsed: performance.now() - started, sweeps };
}

/**
 * Times the real sweepTimers firing 0…500 due timers at each size. The sizes take turns
 * rep by rep, so whatever else the machine does falls on both alike; each step starts
 * from a vacuumed table, as autovacuum would leave it.
 */
async function measureCost(
  fixtures: readonly Fixture[],
  config: WorkspaceConfig,
  clock: FakeClock,
): Promise<CostRow[]> {
  const rows: CostRow[] = [];
  for (const { due, reps, warmup } of DUE_STEPS) {
    const samples = fixtures.map(() => [] as number[]);
    let sweeps = 0;
    for (const { db } of fixtures) await db.query(sql`VACUUM ANALYZE timers, outbox`);
    for (let rep = 0; rep < warmup + reps; rep++) {
      for (const [i, { db, pool }] of fixtures.entries()) {
        const ctx: ServiceContext = { db, clock, logger: silentLogger, actor: { type: "system" } };
        await arm(db, pool.slice(0, due));
        const run = await fireAll(ctx, config, due);
        sweeps = run.sweeps;
        if (rep >= warmup) samples[i]?.push(run.elapsed);
      }
    }
    for (const { db } of fixtures) await db.db.delete(outbox);
    rows.push({ due, sweeps, medianMs: samples.map(median) });
  }
  console.log(
    "Sweep cost: the real sweepTimers with a fake clock, median ms to fire the due timers",
  );
  console.log(
    table([
      [
        "due timers",
        "sweeps",
        ...fixtures.map((f) => `${count(f.size)} open`),
        "ratio",
        "per timer, largest",
      ],
      ...rows.map((r) => {
        const small = r.medianMs[0] ?? Number.NaN;
        const large = r.medianMs[r.medianMs.length - 1] ?? Number.NaN;
        return [
          count(r.due),
          String(r.sweeps),
          ...r.medianMs.map(ms),
          ratio(large, small),
          r.due > 0 ? ms(large / r.due) : "—",
        ];
      }),
    ]),
  );
  console.log();
  return rows;
}

/** The statement findDueSubjects runs, taken from the function itself, not copied. */
async function dueTimerQuery(db: DatabaseHandle, now: Date): Promise<SQL> {
  let captured: SQL | undefined;
  const spy: DatabaseHandle = {
    ...db,
    query: async <T>(statement: SQL): Promise<T[]> => {
      captured = statement;
      return [];
    },
  };
  await findDueSubjects(spy, ["thread"], now, 500);
  if (!captured) throw new Error("findDueSubjects ran no query");
  return captured;
}

async function explain(db: DatabaseHandle, statement: SQL): Promise<string[]> {
  const rows = await db.query<{ "QUERY PLAN": string }>(
    sql`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${statement}`,
  );
  return rows.map((r) => r["QUERY PLAN"]);
}

/**
 * EXPLAIN of the due-timer query with COMPARED_DUE due, then the same without the partial
 * index, and that sweep's median ms (the index is rebuilt from its own definition after).
 */
async function explainWithAndWithoutIndex(
  { db, pool, size }: Fixture,
  config: WorkspaceConfig,
  clock: FakeClock,
): Promise<number> {
  const ctx: ServiceContext = { db, clock, logger: silentLogger, actor: { type: "system" } };
  const armed = pool.slice(0, COMPARED_DUE);
  const statement = await dueTimerQuery(db, clock.now());
  await db.query(sql`VACUUM ANALYZE timers`);
  await arm(db, armed);
  console.log(
    `EXPLAIN ANALYZE of findDueSubjects at ${count(size)} open threads, ${COMPARED_DUE} due:`,
  );
  for (const line of await explain(db, statement)) console.log(`  ${line}`);
  const [index] = await db.query<{ indexdef: string }>(
    sql`SELECT indexdef FROM pg_indexes WHERE indexname = 'timers_due_idx'`,
  );
  if (!index) throw new Error("timers_due_idx is missing: did the migrations change?");
  await db.query(sql`DROP INDEX timers_due_idx`);
  try {
    console.log("\nThe same without the partial index (dropped for this run, then rebuilt):");
    for (const line of await explain(db, statement)) console.log(`  ${line}`);
    const samples: number[] = [];
    for (let rep = 0; rep < 6; rep++) {
      await arm(db, armed);
      const run = await fireAll(ctx, config, COMPARED_DUE);
      if (rep > 0) samples.push(run.elapsed);
    }
    const withoutIndexMs = median(samples);
    console.log(
      `\nSweep of ${COMPARED_DUE} due timers without the index: ${ms(withoutIndexMs)} (median of 5)\n`,
    );
    return withoutIndexMs;
  } finally {
    await db.query(sql.raw(index.indexdef));
    await db.db.delete(outbox);
  }
}

/** Every department staffed around the clock, P3 windows of seconds: timers fall due during the run. */
function latenessWorkspace(): WorkspaceConfig {
  return testWorkspace((config) => {
    config.sla.P3 = {
      claimMs: LATE_WINDOWS.claim,
      firstResponseMs: LATE_WINDOWS.firstResponse,
      nextResponseMs: LATE_WINDOWS.firstResponse,
      resolutionMs: LATE_WINDOWS.resolution,
    };
    for (const department of config.departments) department.calendar = undefined;
  });
}

async function measureLateness({ db, size }: Fixture): Promise<LatenessRow> {
  const scope = new Scope();
  try {
    const { post } = await startBenchBot(scope, {
      db,
      workspace: latenessWorkspace(),
      rateLimits: UNLIMITED_RATE,
      timers: true,
    });
    const texts = Object.values(SEED_TEXTS);
    const prefix = `late-${size}-`;
    console.log(
      `Lateness: the real bot (timer job every second, real clock) with ${count(size)} open threads;\n` +
        `${LATE_COMPLAINTS} complaints filed about one every ${LATE_INTERVAL_MS} ms over HTTP, each with ` +
        `claim/first response/resolution windows of ${LATE_WINDOWS.claim / 1000}/` +
        `${LATE_WINDOWS.firstResponse / 1000}/${LATE_WINDOWS.resolution / 1000} s…`,
    );
    for (let i = 0; i < LATE_COMPLAINTS; i++) {
      // Jittered, so fire_at instants fall at every phase of the job's 1 s tick, not a few.
      const tick = new Promise((r) => setTimeout(r, LATE_INTERVAL_MS * (0.5 + Math.random())));
      const res = await post("/api/v1/complaints", {
        source: "twitter",
        externalId: `${prefix}${i}`,
        text: `${texts[i % texts.length]} (${i})`,
        author: { handle: `customer${i}`, followers: 150 },
      });
      if (res.status !== 202)
        throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.json)}`);
      await tick;
    }
    const missing = await waitForNudges(db, prefix);
    const row = await readLateness(db, prefix);
    printLateness(row, missing);
    return { ...row, missing };
  } finally {
    await scope.close();
  }
}

/** `WITH run AS (…)`: this run's timers, but escalations (30 min after a breach, beyond the run). */
function withRunTimers(prefix: string) {
  return sql`WITH run AS (
    SELECT t.* FROM timers t JOIN threads th ON t.subject_type = 'thread' AND th.id::text = t.subject_id
    WHERE th.conversation_key LIKE ${`${prefix}%`} AND t.step <> 'escalation')`;
}

/** Waits until every timer of the run has fired and its nudges were delivered; returns how many have not. */
async function waitForNudges(db: DatabaseHandle, prefix: string): Promise<number> {
  const [last] = await db.query<{ at: string }>(
    sql`${withRunTimers(prefix)} SELECT extract(epoch FROM max(fire_at)) * 1000 AS at FROM run`,
  );
  const deadline = Number(last?.at ?? 0) + LATE_GRACE_MS;
  for (;;) {
    const [left] = await db.query<{ n: string }>(sql`${withRunTimers(prefix)}
      SELECT (SELECT count(*) FROM run WHERE status = 'pending')
           + (SELECT count(*) FROM outbox o JOIN threads th ON th.id = (o.payload->>'threadId')::uuid
              WHERE o.kind = ${OUTBOX_KINDS.nudge} AND o.status = 'pending'
                AND th.conversation_key LIKE ${`${prefix}%`}) AS n`);
    const waiting = Number(left?.n ?? 0);
    if (waiting === 0 || Date.now() > deadline) return waiting;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Lateness of each fired timer and each nudge message it queued, in ms after fire_at:
 * fired_at (the sweep's clock at its start), the outbox row's created_at (the database clock
 * when that thread's transaction began), and when the Slack double received the message.
 */
async function readLateness(
  db: DatabaseHandle,
  prefix: string,
): Promise<Omit<LatenessRow, "missing">> {
  const timers = await db.query<{ fire: string; fired: string | null }>(sql`${withRunTimers(prefix)}
    SELECT extract(epoch FROM fire_at) * 1000 AS fire, extract(epoch FROM fired_at) * 1000 AS fired
    FROM run`);
  const messages = await db.query<{
    fire: string;
    fired: string;
    queued: string;
    delivered: string | null;
  }>(sql`${withRunTimers(prefix)}
    SELECT extract(epoch FROM t.fire_at) * 1000 AS fire, extract(epoch FROM t.fired_at) * 1000 AS fired,
           extract(epoch FROM o.created_at) * 1000 AS queued,
           extract(epoch FROM o.delivered_at) * 1000 AS delivered
    FROM run t JOIN outbox o ON o.kind = ${OUTBOX_KINDS.nudge} AND split_part(o.dedupe_key, ':', 2) = t.id::text
    ORDER BY o.delivered_at, o.id`);
  const [all] = await db.query<{ items: string; first: string; last: string }>(sql`
    SELECT count(*) AS items, extract(epoch FROM min(created_at)) * 1000 AS first,
           extract(epoch FROM max(delivered_at)) * 1000 AS last
    FROM outbox WHERE status = 'delivered'`);
  const fired = timers.filter((t) => t.fired !== null).map((t) => Number(t.fired) - Number(t.fire));
  const queued = messages.map((m) => Number(m.queued) - Number(m.fire));
  const inSweepMaxMs = Math.max(0, ...messages.map((m) => Number(m.queued) - Number(m.fired)));
  return {
    timers: timers.length,
    messages: messages.length,
    delivered: {
      items: Number(all?.items ?? 0),
      seconds: (Number(all?.last ?? 0) - Number(all?.first ?? 0)) / 1000,
    },
    fired,
    queued,
    received: deliveredLateness(messages),
    inSweepMaxMs,
  };
}

/**
 * When Slack had each nudge: the outbox row's delivered_at, written (with the worker's real
 * clock) right after the Slack double answered ok. The worker serves channels in parallel,
 * so calls cannot be paired with rows by order; delivered_at bounds the receipt from above.
 */
function deliveredLateness(
  messages: ReadonlyArray<{ fire: string; delivered: string | null }>,
): number[] | null {
  const delivered = messages.filter((m) => m.delivered !== null);
  return delivered.length ? delivered.map((m) => Number(m.delivered) - Number(m.fire)) : null;
}

function printLateness(row: Omit<LatenessRow, "missing">, missing: number): void {
  const span = (LATE_COMPLAINTS * LATE_INTERVAL_MS + LATE_WINDOWS.resolution) / 1000;
  console.log(
    `${count(row.timers)} timers fell due over about ${span.toFixed(0)} s; they queued ` +
      `${count(row.messages)} nudge messages.` +
      (missing > 0 ? ` ${missing} timers or nudges were still pending at the deadline.` : ""),
  );
  console.log(
    table([
      ["lateness after fire_at", "p50", "p95", "p99", "max"],
      ["marked fired (fired_at: the sweep's start)", ...distribution(row.fired)],
      ["nudge queued (outbox.created_at)", ...distribution(row.queued)],
      row.received
        ? ["delivered to the Slack double", ...distribution(row.received)]
        : ["delivered to the Slack double", "(none delivered)"],
    ]),
  );
  const { items, seconds } = row.delivered;
  console.log(
    `(fired_at is the bot's clock, the real one here; each nudge was queued at most ` +
      `${ms(row.inSweepMaxMs)} after its sweep started. The outbox worker delivered ` +
      `${count(items)} items — cards, card updates, nudges — in ${seconds.toFixed(1)} s.)\n`,
  );
}

function printSummary(costs: CostRow[], withoutIndexMs: number, lateness: LatenessRow[]): void {
  const sizes = SIZES.map((size) => `${count(size)} open`);
  const last = SIZES.length - 1;
  const ratioOf = (values: number[]) => ratio(values[last] ?? Number.NaN, values[0] ?? Number.NaN);
  const compared = costs.find((r) => r.due === COMPARED_DUE)?.medianMs[last] ?? Number.NaN;
  const latenessRows = (["fired", "queued", "received"] as const).flatMap((kind) => {
    const label = { fired: "marked fired", queued: "nudge queued", received: "Slack received" }[
      kind
    ];
    return [50, 99].map((q) => {
      const values = lateness.map((l) => percentile(l[kind] ?? [], q));
      return [`lateness p${q}, ${label}`, ...values.map(ms), ratioOf(values)];
    });
  });
  console.log("Summary");
  console.log(
    table([
      ["", ...sizes, "ratio"],
      ...costs.map((r) => [
        `sweep firing ${count(r.due)} due`,
        ...r.medianMs.map(ms),
        ratioOf(r.medianMs),
      ]),
      [
        `sweep firing ${COMPARED_DUE} due, no partial index`,
        ...SIZES.map((_, i) => (i === last ? ms(withoutIndexMs) : "")),
        `${ratio(withoutIndexMs, compared)} indexed`,
      ],
      ...latenessRows,
    ]),
  );
  const worst = Math.max(...lateness.map((l) => percentile(l.received ?? l.queued, 99)));
  console.log(
    `\nTarget p99 lateness < ${ms(TARGET_P99_MS)}: ${worst < TARGET_P99_MS ? "met" : "NOT met"} ` +
      `(worst p99 ${ms(worst)}, at the Slack double). Cost should follow the due timers, not the ` +
      "open threads: the ratio column should stay near 1.",
  );
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
