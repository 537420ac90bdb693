import express, { type Router } from "express";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { figuresToCsv } from "../report/figures-csv.ts";
import { queryIssues, reportQuery } from "../report/report-query.ts";
import type { Clock } from "../services/context.ts";
import { readFigures } from "../services/read-figures.ts";
import { bearerAuth } from "./bearer-auth.ts";
import { sendError } from "./errors.ts";

export interface ReportDeps {
  tokens: readonly string[];
  config: WorkspaceConfig;
  db: DatabaseHandle;
  clock: Clock;
}

/**
 * GET /api/v1/reports/sla?from=&to=&department=&timezone=&format=: the figures for a period
 * (the same the digest shows), as JSON or CSV. A bad parameter gets a 400 naming it.
 */
export function reportRoutes(deps: ReportDeps): Router {
  const router = express.Router();
  const schema = reportQuery(deps.config.departments.map((d) => d.key));
  router.get("/api/v1/reports/sla", bearerAuth(deps.tokens), async (req, res, next) => {
    try {
      const parsed = schema.safeParse(req.query);
      if (!parsed.success) {
        const issues = queryIssues(parsed.error);
        sendError(
          res,
          400,
          "validation_failed",
          `Invalid parameters: ${issues.map((i) => i.path).join(", ")}`,
          issues,
        );
        return;
      }
      const q = parsed.data;
      const figures = await readFigures(deps.db, deps.config, { ...q, now: deps.clock.now() });
      if (q.format === "csv") {
        res.status(200).type("text/csv").send(figuresToCsv(figures));
        return;
      }
      res.status(200).json(figures);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
