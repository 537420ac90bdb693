import { botSetup, launchBot } from "../support/bots.ts";
import { complaint, slackLimits, startSlack } from "../support/fixture.ts";
import { createDatabase } from "../support/postgres.ts";
import { check, n, type Scenario, s } from "../support/report.ts";
import { Sender } from "../support/sender.ts";
import { auditCards, outboxDrained } from "../support/slack-audit.ts";
import { until } from "../support/wait.ts";

const COMPLAINTS = 40;

/** /healthz as an operator reads it. */
async function health(url: string): Promise<{ status: number; says?: string; slack?: string }> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { status?: string; slack?: { state?: string } };
  return {
    status: res.status,
    ...(body.status ? { says: body.status } : {}),
    ...(body.slack?.state ? { slack: body.slack.state } : {}),
  };
}

/**
 * A deploy during a Slack outage: the bot starts while Slack drops every connection. It must
 * take complaints, say in /healthz that Slack is unreachable, keep trying, and deliver every
 * card once Slack is back.
 */
export const startSlackDown: Scenario = {
  key: "start",
  title: "Start while Slack is down",
  async run(ctx) {
    const { workspace, double } = await startSlack(ctx, { departments: 4 }, slackLimits());
    const { url, handle } = await createDatabase(ctx.scope, ctx.postgres.url, "start");
    double.setOutage("network");
    const bot = await launchBot(ctx.scope, botSetup(ctx.runDir, workspace, double, url), "bot");
    const down = await health(bot.url);
    const sender = new Sender(() => [bot]);
    await sender.fileMany(COMPLAINTS, (i) => complaint("start", i, workspace), { concurrency: 4 });
    await until(
      () => double.callsTo("auth.test").length >= 3,
      "auth.test to be tried again",
      120_000,
    );
    const tries = double.callsTo("auth.test").length;
    double.setOutage(null);
    const back = Date.now();
    ctx.log("Slack is back");
    await until(
      async () => (await health(bot.url)).slack === "connected",
      "the bot to connect",
      120_000,
      100,
    );
    const connected = Date.now();
    await until(() => outboxDrained(handle), "the outbox to drain", 5 * 60_000, 250);
    const drained = Date.now();
    const after = await health(bot.url);
    const audit = await auditCards(handle, double, sender.accepted);
    return {
      scenario: "Start while Slack is down",
      setup: `1 bot started while Slack drops every connection; ${COMPLAINTS} complaints filed before Slack comes back`,
      lost: n(audit.lost),
      duplicated: n(audit.duplicated),
      measured: `/healthz ${down.status} ${down.says} (Slack ${down.slack}); ${n(sender.accepted.size)}/${COMPLAINTS} accepted; auth.test tried ${tries} times; connected ${s(connected - back)} and all delivered ${s(drained - back)} after Slack came back`,
      checks: [
        check(
          "it starts and /healthz says 200 degraded, Slack unreachable",
          down.status === 200 && down.says === "degraded" && down.slack === "unreachable",
          JSON.stringify(down),
        ),
        check(
          "intake accepts every complaint while Slack is down",
          sender.accepted.size === COMPLAINTS,
          `${sender.accepted.size}/${COMPLAINTS}`,
        ),
        check(
          "/healthz says ok once Slack is back and the queue is empty",
          after.status === 200 && after.says === "ok",
          JSON.stringify(after),
        ),
        check(
          "every accepted complaint's card is in Slack",
          audit.lost === 0,
          `${audit.lost} lost`,
        ),
        check("no card twice", audit.duplicated === 0, `${audit.duplicated}`),
        check("the process kept running", bot.alive),
      ],
    };
  },
};
