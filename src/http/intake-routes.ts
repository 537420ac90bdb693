import express, { type Request, type RequestHandler, type Router } from "express";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { ValidationError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import { ComplaintBatchInput, describeIssues } from "../services/complaint-input.ts";
import type { ServiceContext } from "../services/context.ts";
import { ingestComplaint } from "../services/ingest-complaint.ts";
import { bearerAuth } from "./bearer-auth.ts";
import { errorBodyFor, sendError } from "./errors.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface IntakeDeps {
  intakeTokens: readonly string[];
  policy: WorkspaceConfig;
  logger: Logger;
  /** Builds the service context for a request made with the given token label. */
  context(tokenLabel: string): ServiceContext;
  /** Called after complaints were filed, so delivery starts at once. */
  onQueued(): void;
}

/** 415 unless the body is declared JSON; checked before the body is read. */
export const requireJson: RequestHandler = (req, res, next) => {
  if (!req.is("application/json")) {
    sendError(
      res,
      415,
      "unsupported_media_type",
      "Send the body as JSON with 'Content-Type: application/json'",
    );
    return;
  }
  next();
};

function contextFor(deps: IntakeDeps, req: Request) {
  return deps.context(String(req.res?.locals.tokenLabel ?? "token"));
}

/** POST /api/v1/complaints and /api/v1/complaints/batch. */
export function intakeRoutes(deps: IntakeDeps): Router {
  const router = express.Router();
  const parse = express.json({ limit: MAX_BODY_BYTES, strict: false });
  const guard = [bearerAuth(deps.intakeTokens), requireJson, parse];

  router.post("/api/v1/complaints", ...guard, async (req, res, next) => {
    try {
      const result = await ingestComplaint(contextFor(deps, req), deps.policy, req.body);
      if (!result.duplicate) deps.onQueued();
      res.status(202).json(result);
    } catch (error) {
      next(error);
    }
  });

  router.post("/api/v1/complaints/batch", ...guard, async (req, res, next) => {
    try {
      const batch = ComplaintBatchInput.safeParse(req.body);
      if (!batch.success) throw new ValidationError(describeIssues(batch.error));
      const ctx = contextFor(deps, req);
      const results = [];
      for (const [index, item] of batch.data.complaints.entries()) {
        try {
          results.push({ index, status: 202, ...(await ingestComplaint(ctx, deps.policy, item)) });
        } catch (error) {
          const { status, body } = errorBodyFor(error, deps.logger);
          results.push({ index, status, ...body });
        }
      }
      if (results.some((r) => r.status === 202 && !("duplicate" in r && r.duplicate)))
        deps.onQueued();
      res.status(200).json({ results, summary: summarise(results) });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function summarise(results: Array<{ status: number; duplicate?: boolean }>) {
  return {
    accepted: results.filter((r) => r.status === 202 && !r.duplicate).length,
    duplicates: results.filter((r) => r.status === 202 && r.duplicate).length,
    rejected: results.filter((r) => r.status !== 202).length,
  };
}
