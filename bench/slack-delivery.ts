/**
 * Slack delivery against its ceiling: `npm run bench -- delivery`.
 *
 * 2,000 complaints across 10 department channels, filed over HTTP by autocannon (another
 * process) into the real bot (its own process), while the Slack double enforces Slack's
 * limits: chat.postMessage about 1 a second per channel after a burst of 4, and every
 * method's tier per minute for the workspace (chat.postMessage's workspace-wide "several
 * hundred a minute", chat.update and conversations.open Tier 3: 50). One in 100 complaints is
 * P1 with windows of minutes, so warnings, breach notices (in the thread, broadcast, and a
 * DM to the lead: conversations.open) and card updates (chat.update) join the cards.
 *
 * The ceiling is computed, not guessed: the same mix of calls, in the same order per channel,
 * each released when the bot queued it, replayed against the double's own rate limiter by an
 * ideal client that calls the instant a limit allows it. Delivered per second over that is the
 * figure (target ≥ 0.9). Then: none lost, none duplicated, each channel's cards in filing
 * order, and how long from intake to the card in Slack (p50/p99).
 */
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { loadWorkspaceConfig } from "../src/config/load-workspace.ts";
import type { DatabaseHandle } from "../src/db/client.ts";
import { OUTBOX_KINDS } from "../src/services/outbox-kinds.ts";
import type { CallRecord, RateLimitSpec, SlackDouble } from "../src/slack-double/index.ts";
import { RateLimiter } from "../src/slack-double/rate-limiter.ts";
import { SLACK_RATE_LIMITS, startWorkspaceDouble } from "./support/bot.ts";
import { startBotProcess } from "./support/bot-process.ts";
import { isEntryPoint, runAsScript, Scope } from "./support/lifecycle.ts";
import { runLoad } from "./support/load.ts";
import { CpuWindow } from "./support/machine.ts";
import { createBenchDatabase, describeServer, startBenchPostgres } from "./support/postgres.ts";
import { writeResults } from "./support/results.ts";
import { count, ms, percentile, table } from "./support/stats.ts";
import { writeStormWorkspace } from "./support/storm-workspace.ts";

const COMPLAINTS = Number(process.env.BENCH_DELIVERY_COMPLAINTS ?? 2_000);
const DEPARTMENTS = 10;
/** 97, not 100: a prime, so the P1s fall in every department, not all in the first. */
const P1_EVERY = 97;
const TARGET = 0.9;
const TIMEOUT_MS = 30 * 60_000;

export async function main(): Promise<void> {
  const scope = new Scope();
  const temp = scope.tempDir("delivery");
  try {
    const pg = await startBenchPostgres(scope);
    const server = await describeServer(pg.url);
    const workspaceFile = writeStormWorkspace(temp, {
      departments: DEPARTMENTS,
      p1: { claim: "2m", firstResponse: "4m", resolution: "1d" },
    });
    const workspace = loadWorkspaceConfig(workspaceFile);
    const double = await startWorkspaceDouble(scope, workspace, SLACK_RATE_LIMITS);
    const db = await createBenchDatabase(scope, pg.url, "delivery", 2);
    const bot = await startBotProcess(scope, {
      databaseUrl: db.url,
      slackApiUrl: double.apiUrl,
      slackBotToken: double.config.botToken,
      workspaceFile,
      logFile: join(temp, "bot.log"),
    });
    console.log(
      `Delivery: ${count(COMPLAINTS)} complaints over ${DEPARTMENTS} channels (1 in ${P1_EVERY} P1: ` +
        "claim 2 min, first response 4 min), Slack's limits enforced by the double " +
        "(postMessage burst 4 then 1/s per channel and 300/min per workspace; chat.update and " +
        "conversations.open 50/min)…",
    );
    const cpu = new CpuWindow([bot.cpuMs]);
    const started = Date.now();
    const filing = await runLoad({
      targets: [bot.url],
      token: bot.intakeToken,
      path: "/api/v1/complaints",
      connections: 8,
      amount: COMPLAINTS,
      prefix: "storm-",
      departments: DEPARTMENTS,
      p1Every: P1_EVERY,
    });
    const filedS = (Date.now() - started) / 1000;
    console.log(`  filed ${count(filing.complaints)} in ${filedS.toFixed(1)} s; delivering…`);
    await waitForQuiet(db, double, COMPLAINTS);
    const load = cpu.end();
    const figures = await measure(db, double, SLACK_RATE_LIMITS);
    const result = {
      ...figures,
      filedS,
      botCpuShare: load.cpuMs[0] ?? 0,
      machineBusy: load.machineBusy,
    };
    print(result);
    writeResults(
      "delivery",
      {
        complaints: COMPLAINTS,
        departments: DEPARTMENTS,
        p1Every: P1_EVERY,
        target: TARGET,
        ...result,
      },
      server.version,
    );
  } finally {
    await scope.close();
  }
}

/**
 * Until every card is in Slack and nothing is left to deliver or to fire of the P1 claim and
 * first-response clocks (the last breach notice falls 4 minutes after the last P1 was filed;
 * the resolution clock's run a day).
 */
async function waitForQuiet(db: DatabaseHandle, double: SlackDouble, complaints: number) {
  const deadline = Date.now() + TIMEOUT_MS;
  let lastReport = Date.now();
  for (;;) {
    const [row] = await db.query<{ pending: string; timers: string }>(sql`
      SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending,
             (SELECT count(*) FROM timers t JOIN threads th ON th.id::text = t.subject_id
              WHERE t.status = 'pending' AND th.priority = 'P1' AND t.step <> 'escalation'
                AND t.clock_kind <> 'resolution') AS timers`);
    const cards = cardCalls(double).length;
    if (cards >= complaints && Number(row?.pending) === 0 && Number(row?.timers) === 0) return;
    if (Date.now() > deadline)
      throw new Error(`still ${row?.pending} to deliver after ${TIMEOUT_MS} ms`);
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      console.log(
        `  … ${count(cards)} cards in Slack, ${row?.pending} items pending, ${row?.timers} P1 timers to fire`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Successful top-level posts in the department channels: the cards. */
function cardCalls(double: SlackDouble): CallRecord[] {
  return double
    .callsTo("chat.postMessage")
    .filter(
      (c) =>
        c.status === 200 &&
        c.response?.ok === true &&
        !c.args.thread_ts &&
        String(c.args.channel).startsWith("C0STORM") &&
        !String(c.args.channel).includes("EXEC"),
    );
}

interface DeliveredRow {
  id: string;
  kind: string;
  channel: string | null;
  via: string | null;
  created: string;
  delivered: string;
}

async function measure(db: DatabaseHandle, double: SlackDouble, limits: RateLimitSpec) {
  const rows = await db.query<DeliveredRow>(sql`
    SELECT id, kind, channel, payload->>'via' AS via,
           extract(epoch FROM created_at) * 1000 AS created,
           extract(epoch FROM delivered_at) * 1000 AS delivered
    FROM outbox WHERE status = 'delivered' ORDER BY id`);
  const failed = await db.query<{ n: string }>(
    sql`SELECT count(*) AS n FROM outbox WHERE status <> 'delivered'`,
  );
  const ok = double.calls.filter((c) => c.status === 200 && c.response?.ok === true);
  const refused = double.calls.filter((c) => c.status === 429);
  const byMethod = (calls: readonly CallRecord[]) => {
    const m = new Map<string, number>();
    for (const c of calls) m.set(c.method, (m.get(c.method) ?? 0) + 1);
    return Object.fromEntries([...m].sort());
  };
  const first = Math.min(...rows.map((r) => Number(r.created)));
  const lastCall = Math.max(...ok.filter((c) => c.method !== "auth.test").map((c) => c.at));
  const actualS = (lastCall - first) / 1000;
  const ideal = idealSeconds(rows, limits, first);
  // Cards: exactly one per thread, each channel in the order the threads were opened.
  const threads = await db.query<{
    id: string;
    channel: string;
    ts: string | null;
    received: string;
    card: string;
  }>(sql`
    SELECT th.id, th.slack_channel AS channel, th.slack_ts AS ts,
           extract(epoch FROM c.received_at) * 1000 AS received,
           (SELECT min(o.id) FROM outbox o WHERE o.thread_id = th.id AND o.kind = ${OUTBOX_KINDS.postCard}) AS card
    FROM threads th JOIN complaints c ON c.id = th.opening_complaint_id`);
  const cards = cardCalls(double);
  const postedAt = new Map(cards.map((c) => [String(c.response?.ts), c.at]));
  const perThread = new Map<string, number>();
  for (const c of cards) {
    const id = threadIdOf(c);
    perThread.set(id, (perThread.get(id) ?? 0) + 1);
  }
  const lost = threads.filter((t) => !t.ts || !perThread.has(t.id)).length;
  const duplicated = [...perThread.values()].filter((n) => n > 1).length;
  let outOfOrder = 0;
  const byChannel = new Map<string, typeof threads>();
  for (const t of threads) byChannel.set(t.channel, [...(byChannel.get(t.channel) ?? []), t]);
  for (const list of byChannel.values()) {
    list.sort((a, b) => Number(a.card) - Number(b.card));
    for (let i = 1; i < list.length; i++)
      if (Number(list[i]?.ts) < Number(list[i - 1]?.ts)) outOfOrder += 1;
  }
  const latencies = threads
    .map((t) => (postedAt.get(String(t.ts)) ?? Number.NaN) - Number(t.received))
    .filter(Number.isFinite);
  // Nudges: each queued once (dedupe keys), each sent once: as many posts as delivered rows.
  const nudgeRows = rows.filter((r) => r.kind === OUTBOX_KINDS.nudge).length;
  const posts = ok.filter((c) => c.method === "chat.postMessage").length;
  const postRows = rows.filter(
    (r) => r.kind === OUTBOX_KINDS.postCard || r.kind === OUTBOX_KINDS.nudge,
  ).length;
  return {
    items: rows.length,
    calls: byMethod(ok.filter((c) => c.method !== "auth.test")),
    refused: byMethod(refused),
    actualS,
    idealS: ideal,
    deliveredPerSecond: rows.length / actualS,
    ceilingPerSecond: rows.length / ideal,
    ratio: ideal / actualS,
    lost,
    duplicated,
    extraPosts: posts - postRows,
    outOfOrder,
    notDelivered: Number(failed[0]?.n ?? 0),
    nudges: nudgeRows,
    ingestToPostP50Ms: percentile(latencies, 50),
    ingestToPostP99Ms: percentile(latencies, 99),
    ingestToPostMaxMs: percentile(latencies, 100),
  };
}

/** The thread id a card carries in its buttons' values (the only uuid in its blocks). */
function threadIdOf(call: CallRecord): string {
  const blocks = call.args.blocks;
  const text = typeof blocks === "string" ? blocks : JSON.stringify(blocks ?? "");
  const m = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(text);
  return m?.[0] ?? `? ${String(call.response?.ts)}`;
}

/** The Slack calls one outbox item makes, by its kind (see src/slack/deliveries.ts). */
function callsOf(row: DeliveredRow): Array<{ method: string; channel?: string }> {
  const channel = row.channel ?? "";
  if (row.kind === OUTBOX_KINDS.postCard) return [{ method: "chat.postMessage", channel }];
  if (row.kind === OUTBOX_KINDS.updateCard) return [{ method: "chat.update" }];
  if (row.kind === OUTBOX_KINDS.nudge) {
    const post = {
      method: "chat.postMessage",
      channel: row.via === "dm" ? `D:${channel}` : channel,
    };
    const open = row.via === "dm" ? [{ method: "conversations.open" }] : [];
    return [...open, { method: "chat.getPermalink" }, post];
  }
  return [{ method: row.kind }];
}

/**
 * The least time Slack's limits allow for these deliveries: an ideal client replaying the
 * same calls against the double's own RateLimiter on a virtual clock, in 5 ms steps. Each
 * queue (outbox channel) keeps its order, an item's calls go in sequence, and nothing goes
 * before the bot queued it. It never makes a refused call, so it loses nothing to 429s.
 */
function idealSeconds(rows: readonly DeliveredRow[], limits: RateLimitSpec, start: number): number {
  let now = start;
  const limiter = new RateLimiter(limits, () => now);
  const queues = new Map<string, Array<{ release: number; calls: ReturnType<typeof callsOf> }>>();
  for (const row of rows) {
    const key = row.channel ?? `#${row.id}`;
    queues.set(key, [
      ...(queues.get(key) ?? []),
      { release: Number(row.created), calls: callsOf(row) },
    ]);
  }
  let left = rows.length;
  const STEP = 5;
  while (left > 0) {
    for (const queue of queues.values()) {
      const head = queue[0];
      if (!head || head.release > now) continue;
      while (head.calls.length > 0) {
        const call = head.calls[0] as { method: string; channel?: string };
        if (!wouldAllow(limiter, call)) break;
        head.calls.shift();
      }
      if (head.calls.length === 0) {
        queue.shift();
        left -= 1;
      }
    }
    if (left > 0) now += STEP;
  }
  return (now - start) / 1000;
}

/** Takes the call's tokens only when all of them are free (the ideal client never hears 429). */
function wouldAllow(limiter: RateLimiter, call: { method: string; channel?: string }): boolean {
  if (call.method === "chat.postMessage" && call.channel) {
    const probe = limiter.takePost(call.channel);
    if (!probe.ok) return false;
    const method = limiter.takeMethod(call.method);
    if (!method.ok) {
      refundPost(limiter, call.channel);
      return false;
    }
    return true;
  }
  return limiter.takeMethod(call.method).ok;
}

/** Gives back a per-channel token taken for a call the workspace window then refused. */
function refundPost(limiter: RateLimiter, channel: string): void {
  const buckets = (limiter as unknown as { buckets: Map<string, { tokens: number }> }).buckets;
  const b = buckets.get(channel);
  if (b) b.tokens += 1;
}

function print(r: Awaited<ReturnType<typeof measure>> & { filedS: number; machineBusy: number }) {
  console.log();
  console.log(
    table([
      ["", ""],
      ["outbox items delivered (cards, nudges, card updates)", count(r.items)],
      [
        "Slack calls answered ok, by method",
        Object.entries(r.calls)
          .map(([m, n]) => `${m} ${n}`)
          .join(", "),
      ],
      [
        "calls answered 429, by method",
        Object.entries(r.refused)
          .map(([m, n]) => `${m} ${n}`)
          .join(", ") || "none",
      ],
      ["first queued → last delivered", `${r.actualS.toFixed(1)} s`],
      ["the least Slack's limits allow for this mix", `${r.idealS.toFixed(1)} s`],
      [
        "delivered per second / ceiling",
        `${r.deliveredPerSecond.toFixed(2)} / ${r.ceilingPerSecond.toFixed(2)}`,
      ],
      [
        `ratio (target ≥ ${TARGET})`,
        `${r.ratio.toFixed(2)} ${r.ratio >= TARGET ? "met" : "NOT met"}`,
      ],
      ["cards lost / duplicated / out of order", `${r.lost} / ${r.duplicated} / ${r.outOfOrder}`],
      ["posts beyond one per card or nudge row", String(r.extraPosts)],
      ["items not delivered", String(r.notDelivered)],
      [
        "ingest → card in Slack p50 / p99 / max",
        `${ms(r.ingestToPostP50Ms)} / ${ms(r.ingestToPostP99Ms)} / ${ms(r.ingestToPostMaxMs)}`,
      ],
      ["machine busy while delivering", `${(100 * r.machineBusy).toFixed(0)}%`],
    ]),
  );
}

if (isEntryPoint(import.meta.url)) await runAsScript(main);
