import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../../src/db/client.ts";
import type { SlackDouble } from "../../../src/slack-double/index.ts";
import { botSetup, launchTwoBots } from "../support/bots.ts";
import { complaint, slackLimits, startSlack } from "../support/fixture.ts";
import { createDatabase } from "../support/postgres.ts";
import { check, n, type Scenario } from "../support/report.ts";
import { Sender } from "../support/sender.ts";
import {
  auditCards,
  callsBeforeRetryAfter,
  clockOf,
  groupBy,
  messageType,
  outboxCounts,
  outboxDrained,
  threadOf,
} from "../support/slack-audit.ts";
import { until } from "../support/wait.ts";

/** The clocks every thread runs here, and the nudges each must get (see writeWorkspace). */
const CLOCKS = ["claim", "firstResponse"] as const;
/** In the card's thread: the 50% warning and the breach notice. */
const REPLIES_PER_CLOCK = 2;
/** To the department's lead: the breach, by DM. */
const DMS_PER_CLOCK = 1;

/**
 * Two bots on one database, SLA windows of seconds, and Slack's own rate limits: every
 * warning and breach of every thread falls due within seconds, in bursts per channel, while
 * both bots sweep the same timers every second. Each nudge must reach Slack exactly once,
 * and no call may come before the Retry-After of a 429 that bound it.
 */
export const twoBotsNudges: Scenario = {
  key: "nudges",
  title: "Two bots, short SLAs, rate-limited Slack",
  async run(ctx) {
    const { threads, departments } = ctx.profile.nudges;
    const { workspace, double } = await startSlack(
      ctx,
      { departments, sla: { claim: "4s", firstResponse: "8s" } },
      slackLimits(),
    );
    const { url, handle } = await createDatabase(ctx.scope, ctx.postgres.url, "nudges");
    const setup = botSetup(ctx.runDir, workspace, double, url);
    const bots = await launchTwoBots(ctx.scope, setup);
    const sender = new Sender(() => bots);
    await sender.fileMany(threads, (i) => complaint("nudge", i, workspace), { concurrency: 4 });
    ctx.log(`${threads} threads filed; waiting for every timer to fire and every nudge to go out`);
    await until(
      async () => (await pendingTimers(handle)) === 0 && (await outboxDrained(handle)),
      "every timer fired and the outbox drained",
      10 * 60_000,
      500,
    );
    const audit = await auditCards(handle, double, sender.accepted);
    const nudges = auditNudges(double, threads * CLOCKS.length);
    const early = callsBeforeRetryAfter(double.calls);
    const limited = double.calls.filter((c) => c.status === 429);
    const limitedMethods = [...new Set(limited.map((c) => c.method))].join(", ");
    const counts = await outboxCounts(handle);
    return {
      scenario: "Two bots, short SLAs, rate-limited Slack",
      setup: `${threads} threads in ${departments} channels, 2 bots sweeping the same timers; claim 4 s and first response 8 s; Slack's rate limits`,
      lost: n(audit.lost + nudges.missing),
      duplicated: n(audit.duplicated + nudges.extra),
      measured: `${n(nudges.total)} nudges (${n(nudges.expected)} expected) and ${n(threads)} cards; ${n(limited.length)} answers 429 (${limitedMethods || "none"}); ${n(early.length)} calls before Retry-After`,
      checks: [
        check(
          "every thread's card once",
          audit.lost === 0 && audit.duplicated === 0,
          `${audit.lost} lost, ${audit.duplicated} twice`,
        ),
        check(
          "every nudge once: a warning and a breach per clock in the thread, the breach to the lead by DM",
          nudges.missing === 0 && nudges.extra === 0,
          nudges.wrong.slice(0, 4).join("; "),
        ),
        check("Slack rate-limited the bots", limited.length > 0, `${limited.length} 429s`),
        check(
          "no call before a 429's Retry-After (per channel for chat.postMessage, per method otherwise)",
          early.length === 0,
          early
            .slice(0, 4)
            .map((e) => `${e.method} ${e.scope} ${e.earlyByMs} ms early`)
            .join("; "),
        ),
        check("no delivery failed", (counts.failed ?? 0) === 0, `${counts.failed ?? 0} failed`),
      ],
    };
  },
};

async function pendingTimers(db: DatabaseHandle): Promise<number> {
  const [row] = await db.query<{ n: string }>(
    sql`SELECT count(*) AS n FROM timers WHERE status = 'pending'`,
  );
  return Number(row?.n ?? 0);
}

/** Nudges per (thread, clock) in threads and in DMs, against what the workspace asks for. */
function auditNudges(double: SlackDouble, clocks: number) {
  const nudges = double.messages().filter((m) => messageType(m) === "nudge");
  const key = (m: (typeof nudges)[number]) => {
    const thread = threadOf(m);
    const clock = clockOf(m);
    return thread && clock ? `${thread} ${clock}` : null;
  };
  const inThreads = groupBy(
    nudges.filter((m) => m.threadTs),
    key,
  );
  const inDms = groupBy(
    nudges.filter((m) => m.channel.startsWith("D")),
    key,
  );
  const threadIds = new Set(
    double
      .messages()
      .filter((m) => messageType(m) === "card")
      .map(threadOf),
  );
  const wrong: string[] = [];
  let missing = 0;
  let extra = 0;
  for (const thread of threadIds) {
    for (const clock of CLOCKS) {
      for (const [where, groups, expected] of [
        ["in its thread", inThreads, REPLIES_PER_CLOCK],
        ["by DM", inDms, DMS_PER_CLOCK],
      ] as const) {
        const got = groups.get(`${thread} ${clock}`)?.length ?? 0;
        if (got !== expected) wrong.push(`${thread} ${clock} ${where}: ${got}, not ${expected}`);
        missing += Math.max(0, expected - got);
        extra += Math.max(0, got - expected);
      }
    }
  }
  return {
    total: nudges.length,
    expected: clocks * (REPLIES_PER_CLOCK + DMS_PER_CLOCK),
    missing,
    extra,
    wrong,
  };
}
