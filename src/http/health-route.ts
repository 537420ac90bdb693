import { sql } from "drizzle-orm";
import express, { type Router } from "express";
import { withDeadline } from "../db/availability.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { readOutboxHealth } from "../db/outbox-store.ts";
import type { Clock } from "../services/context.ts";
import type { SlackStatus } from "../slack/slack-connection.ts";

/** /healthz waits this long for the database, so it answers within 2 s even when it hangs. */
export const HEALTH_DATABASE_DEADLINE_MS = 1_500;

/** A queue older than this means Slack is down, rate limiting hard, or no worker runs. */
const BACKED_UP_SECONDS = 300;

/**
 * GET /healthz: 200 while the database answers (status "ok", or "degraded" when Slack is
 * unreachable or deliveries are failing or backing up), 503 "down" when it does not answer
 * within HEALTH_DATABASE_DEADLINE_MS. Permanently failed deliveries are listed so an
 * operator can see what never reached Slack and why.
 */
export function healthRoute(
  db: DatabaseHandle,
  clock: Clock,
  slackStatus: () => SlackStatus,
  deadlineMs = HEALTH_DATABASE_DEADLINE_MS,
): Router {
  const router = express.Router();
  router.get("/healthz", async (_req, res) => {
    const slack = describeSlack(slackStatus(), clock.now());
    let outbox: Awaited<ReturnType<typeof readOutboxHealth>>;
    try {
      outbox = await withDeadline(
        db.query(sql`SELECT 1`).then(() => readOutboxHealth(db.db, clock.now())),
        deadlineMs,
        "the health check",
      );
    } catch (error) {
      res.status(503).json({
        status: "down",
        database: { ok: false, kind: db.kind, error: (error as Error).message },
        slack,
      });
      return;
    }
    const now = clock.now();
    const oldestAgeSeconds = outbox.oldestPendingAt
      ? Math.max(0, Math.round((now.getTime() - outbox.oldestPendingAt.getTime()) / 1000))
      : 0;
    const backedUp = oldestAgeSeconds > BACKED_UP_SECONDS;
    const deliveryOk = outbox.failed === 0 && !backedUp;
    res.status(200).json({
      status: deliveryOk && slack.ok ? "ok" : "degraded",
      database: { ok: true, kind: db.kind },
      slack,
      slackDelivery: {
        ok: deliveryOk,
        pending: outbox.pending,
        oldestPendingAgeSeconds: oldestAgeSeconds,
        failed: outbox.failed,
        recentFailures: outbox.recentFailures,
      },
    });
  });
  return router;
}

function describeSlack(status: SlackStatus, now: Date) {
  return {
    ok: status.state === "connected",
    state: status.state,
    sinceSeconds: Math.max(0, Math.round((now.getTime() - status.since.getTime()) / 1000)),
    ...(status.error ? { error: status.error } : {}),
  };
}
