import { botSetup, launchTwoBots } from "../support/bots.ts";
import { complaint, slackLimits, startSlack } from "../support/fixture.ts";
import { HealthProber, type Probe } from "../support/health-probe.ts";
import { createDatabase, startFaultyPostgres } from "../support/postgres.ts";
import { check, n, type Scenario, s } from "../support/report.ts";
import { type Attempt, Sender } from "../support/sender.ts";
import { auditCards, deliveryChecks, outboxCounts, outboxDrained } from "../support/slack-audit.ts";
import { sleep, until } from "../support/wait.ts";

/** README: intake waits at most 5 s for the database, then answers 503; margin for a busy machine. */
const INTAKE_BOUND_MS = 6_000;
/** README: /healthz answers within 2 s. */
const HEALTH_BOUND_MS = 2_000;
/** README: the pool reconnects within 2 s of the database coming back. */
const RECONNECT_MS = 2_000;

interface Fault {
  kind: "stopped" | "frozen";
  from: number;
  /** When the server accepted connections again (restarted, or thawed). */
  to: number;
}

/**
 * Two bots under a steady stream of complaints while their PostgreSQL is stopped, and later
 * frozen, for the profile's fault duration each. Intake must answer 503 with Retry-After
 * within its bound, /healthz must say what is true within 2 s, and once the sender has
 * retried as told, every complaint is filed and carded once.
 */
export const databaseOutage: Scenario = {
  key: "database",
  title: "PostgreSQL stopped, then frozen",
  async run(ctx) {
    const { faultSeconds, perSecond } = ctx.profile.database;
    const departments = 20;
    const { workspace, double } = await startSlack(ctx, { departments }, slackLimits(3_000));
    const pg = await startFaultyPostgres(ctx.scope);
    const { name, handle } = await createDatabase(ctx.scope, pg.adminUrl, "database");
    const setup = botSetup(ctx.runDir, workspace, double, pg.botUrl(name));
    const bots = await launchTwoBots(ctx.scope, setup);
    const sender = new Sender(() => bots);
    const prober = new HealthProber(() => bots);
    let stopLoad = false;
    const load = sender.fileMany(1_000_000, (i) => complaint("db", i, workspace), {
      concurrency: 16,
      perSecond,
      stop: () => stopLoad,
    });
    const acceptedSince = (t: number, count: number) => () =>
      sender.attempts.filter((a) => a.status === 202 && a.at >= t).length >= count;
    const cards = () => double.messages().length;
    await until(() => sender.accepted.size >= 100 && cards() >= 20, "the first cards", 120_000);
    const faults: Fault[] = [];
    for (const kind of ["stopped", "frozen"] as const) {
      const from = Date.now();
      ctx.log(`PostgreSQL ${kind} for ${faultSeconds} s`);
      await (kind === "stopped" ? pg.stop() : pg.freeze());
      await sleep(faultSeconds * 1000);
      await pg.restore();
      const to = Date.now();
      faults.push({ kind, from, to });
      ctx.log(`PostgreSQL back after ${s(to - from)}`);
      await until(acceptedSince(to, 50), "intake to accept 50 complaints again", 120_000);
    }
    stopLoad = true;
    await load;
    const filed = Date.now();
    const probes = await prober.stop();
    ctx.log(`${n(sender.accepted.size)} filed; waiting for the outbox to drain`);
    await until(() => outboxDrained(handle), "the outbox to drain", 10 * 60_000, 500);
    const drained = Date.now();
    const audit = await auditCards(handle, double, sender.accepted);
    const counts = await outboxCounts(handle);
    const intake = judgeIntake(sender.attempts, faults);
    const health = judgeHealth(probes, faults);
    return {
      scenario: "PostgreSQL stopped, then frozen",
      setup: `${n(sender.accepted.size)} complaints at ${perSecond}/s into 2 bots; PostgreSQL stopped ${faultSeconds} s, later frozen ${faultSeconds} s (${pg.how})`,
      lost: n(audit.lost),
      duplicated: n(audit.duplicated),
      measured: `intake: ${n(intake.refused)} answers 503 + Retry-After, slowest ${s(intake.slowest)}; /healthz: ${n(probes.length)} answers, slowest ${s(health.slowest)}, ok again ${health.recovery.map((r) => s(r)).join(" and ")} after the restart and the thaw; drained ${s(drained - filed)} after the last complaint`,
      checks: [
        check(
          "no 500 from intake, no hang",
          intake.bad.length === 0,
          intake.bad.slice(0, 3).join("; "),
        ),
        check(
          `every intake answer during a fault is 503 with Retry-After within ${s(INTAKE_BOUND_MS)}`,
          intake.late.length === 0 && intake.refused > 0,
          `${intake.late.length} not: ${intake.late.slice(0, 3).join("; ")}`,
        ),
        check(
          `every /healthz answer within ${s(HEALTH_BOUND_MS)}`,
          health.slow.length === 0,
          `${health.slow.length} slower, up to ${s(health.slowest)}`,
        ),
        check(
          "/healthz says down (503) throughout each fault",
          health.wrongDuring.length === 0,
          health.wrongDuring.slice(0, 3).join("; "),
        ),
        check(
          `/healthz says ok (200) outside the faults, from ${s(RECONNECT_MS)} after each`,
          health.wrongOutside.length === 0,
          health.wrongOutside.slice(0, 3).join("; "),
        ),
        ...deliveryChecks(audit, counts),
      ],
    };
  },
};

const during = (f: Fault, at: number) => at >= f.from && at < f.to;

/** Intake's answers to requests sent during a fault: 503 + Retry-After in time, or a 202 once back. */
function judgeIntake(attempts: readonly Attempt[], faults: readonly Fault[]) {
  const bad = attempts
    .filter((a) => typeof a.status !== "number" || (a.status >= 500 && a.status !== 503))
    .map((a) => `${a.status} after ${s(a.ms)}`);
  const inFault = attempts.filter((a) => faults.some((f) => during(f, a.at)));
  const refused = inFault.filter((a) => a.status === 503);
  const late = inFault
    .filter((a) => {
      const fault = faults.find((f) => during(f, a.at)) as Fault;
      const acceptedOnceBack = a.status === 202 && a.at + a.ms >= fault.to;
      const refusedInTime = a.status === 503 && Number(a.retryAfter) > 0 && a.ms <= INTAKE_BOUND_MS;
      return !acceptedOnceBack && !refusedInTime;
    })
    .map((a) => `${a.status} after ${s(a.ms)}${a.retryAfter ? "" : " without Retry-After"}`);
  return { bad, late, refused: refused.length, slowest: Math.max(0, ...refused.map((a) => a.ms)) };
}

/** /healthz: within its bound always; down throughout a fault; ok from shortly after it. */
function judgeHealth(probes: readonly Probe[], faults: readonly Fault[]) {
  const describe = (p: Probe) => {
    const last = faults.filter((f) => f.to <= p.at).at(-1);
    const when = last
      ? `, sent ${s(p.at - last.to)} after PostgreSQL was ${last.kind === "stopped" ? "restarted" : "thawed"}`
      : "";
    return `${p.bot} ${p.status} ${p.says ?? ""} after ${s(p.ms)}${when}`;
  };
  const slow = probes.filter((p) => typeof p.status !== "number" || p.ms > HEALTH_BOUND_MS);
  // Sent during a fault, with time left in it to notice (the check itself waits 1.5 s).
  const wrongDuring = probes
    .filter((p) => faults.some((f) => p.at >= f.from && p.at + p.ms <= f.to))
    .filter((p) => p.status !== 503 || p.says !== "down")
    .map(describe);
  const wrongOutside = probes
    .filter((p) => faults.every((f) => p.at + p.ms < f.from || p.at >= f.to + RECONNECT_MS))
    .filter((p) => p.status !== 200)
    .map(describe);
  const recovery = faults.map((f) => {
    const first = probes
      .filter((p) => p.at >= f.to && p.status === 200)
      .sort((a, b) => a.at - b.at)[0];
    return first ? first.at + first.ms - f.to : Number.NaN;
  });
  return {
    slow,
    slowest: Math.max(0, ...probes.map((p) => p.ms)),
    wrongDuring,
    wrongOutside,
    recovery,
  };
}
