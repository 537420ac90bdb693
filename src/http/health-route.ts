import { sql } from "drizzle-orm";
import express, { type Router } from "express";
import type { DatabaseHandle } from "../db/client.ts";
import { readOutboxHealth } from "../db/outbox-store.ts";
import type { Clock } from "../services/context.ts";

/**
 * GET /healthz: 200 while the database answers (status "ok", or "degraded" when Slack
 * deliveries are failing or backing up), 503 when it does not. Permanently failed
 * deliveries are listed so an operator can see what never reached Slack and why.
 */
export function healthRoute(db: DatabaseHandle, clock: Clock): Router {
  const router = express.Router();
  router.get("/healthz", async (_req, res) => {
    try {
      await db.query(sql`SELECT 1`);
      const outbox = await readOutboxHealth(db.db, clock.now());
      const oldestAgeSeconds = outbox.oldestPendingAt
        ? Math.max(0, Math.round((clock.now().getTime() - outbox.oldestPendingAt.getTime()) / 1000))
        : 0;
      // A queue older than five minutes means Slack is down, rate limiting hard, or no worker runs.
      const backedUp = oldestAgeSeconds > 300;
      res.status(200).json({
        status: outbox.failed > 0 || backedUp ? "degraded" : "ok",
        database: { ok: true, kind: db.kind },
        slackDelivery: {
          ok: outbox.failed === 0 && !backedUp,
          pending: outbox.pending,
          oldestPendingAgeSeconds: oldestAgeSeconds,
          failed: outbox.failed,
          recentFailures: outbox.recentFailures,
        },
      });
    } catch {
      res.status(503).json({ status: "down", database: { ok: false, kind: db.kind } });
    }
  });
  return router;
}
