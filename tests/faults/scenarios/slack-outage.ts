import { botSetup, launchTwoBots } from "../support/bots.ts";
import { complaint, slackLimits, startSlack } from "../support/fixture.ts";
import { createDatabase } from "../support/postgres.ts";
import { check, n, type Scenario, s } from "../support/report.ts";
import { Sender } from "../support/sender.ts";
import { auditCards, deliveryChecks, outboxCounts, outboxDrained } from "../support/slack-audit.ts";
import { sleep, until } from "../support/wait.ts";

/**
 * Two bots take a steady stream of complaints while Slack is down: half the outage it answers
 * 503, half it drops every connection unanswered. Intake must keep accepting, and once Slack
 * is back every card must arrive exactly once; the drain time is how long that takes.
 */
export const slackOutage: Scenario = {
  key: "slack",
  title: "Slack down",
  async run(ctx) {
    const { seconds, perSecond } = ctx.profile.slackOutage;
    const departments = 20;
    const { workspace, double } = await startSlack(ctx, { departments }, slackLimits(3_000));
    const { url, handle } = await createDatabase(ctx.scope, ctx.postgres.url, "slack");
    const setup = botSetup(ctx.runDir, workspace, double, url);
    const bots = await launchTwoBots(ctx.scope, setup);
    const sender = new Sender(() => bots);
    let stopLoad = false;
    const load = sender.fileMany(1_000_000, (i) => complaint("slack", i, workspace), {
      concurrency: 8,
      perSecond,
      stop: () => stopLoad,
    });
    await until(() => double.messages().length >= 50, "the first 50 cards", 120_000);
    const down = Date.now();
    ctx.log(`Slack answers 503 for ${seconds / 2} s`);
    double.setOutage(503);
    await sleep((seconds / 2) * 1000);
    ctx.log(`Slack drops every connection for ${seconds / 2} s`);
    double.setOutage("network");
    await sleep((seconds / 2) * 1000);
    const queued = (await outboxCounts(handle)).pending ?? 0;
    double.setOutage(null);
    const back = Date.now();
    stopLoad = true;
    await load;
    ctx.log(`Slack back with ${n(queued)} cards queued; waiting for the outbox to drain`);
    await until(() => outboxDrained(handle), "the outbox to drain", 10 * 60_000, 250);
    const drained = Date.now();
    const audit = await auditCards(handle, double, sender.accepted);
    const counts = await outboxCounts(handle);
    const duringOutage = sender.attempts.filter((a) => a.at >= down && a.at < back);
    const notAccepted = duringOutage.filter((a) => a.status !== 202);
    const postsAfter = double.calls.filter((c) => c.method === "chat.postMessage" && c.at >= back);
    const firstPost = Math.min(...postsAfter.filter((c) => c.status === 200).map((c) => c.at));
    return {
      scenario: "Slack down",
      setup: `${n(sender.accepted.size)} complaints at ${perSecond}/s into 2 bots; Slack down ${seconds} s (503, then no answer)`,
      lost: n(audit.lost),
      duplicated: n(audit.duplicated),
      measured: `intake took all ${n(duringOutage.length)} sent during the outage; ${n(queued)} cards queued; first card ${s(firstPost - back)} after Slack came back, all delivered in ${s(drained - back)}`,
      checks: [
        check(
          "intake accepts everything while Slack is down",
          notAccepted.length === 0 && duringOutage.length > 0,
          `${notAccepted.length} of ${duringOutage.length} not: ${[...new Set(notAccepted.map((a) => a.status))].join(", ")}`,
        ),
        ...deliveryChecks(audit, counts),
      ],
    };
  },
};
