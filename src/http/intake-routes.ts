import express, { type Request, type RequestHandler, type Router } from "express";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { isDatabaseUnavailable, withDeadline } from "../db/availability.ts";
import { ValidationError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import {
  batchConversationOf,
  ComplaintBatchInput,
  describeIssues,
} from "../services/complaint-input.ts";
import type { ServiceContext } from "../services/context.ts";
import { ingestComplaint } from "../services/ingest-complaint.ts";
import { bearerAuth } from "./bearer-auth.ts";
import { errorBodyFor, sendError } from "./errors.ts";
import { jsonBody } from "./json-body.ts";

export interface IntakeDeps {
  intakeTokens: readonly string[];
  policy: WorkspaceConfig;
  logger: Logger;
  /** Builds the service context for a request made with the given token label. */
  context(tokenLabel: string): ServiceContext;
  /** Called after complaints were filed, so delivery starts at once. */
  onQueued(): void;
  /** How long one complaint may wait for the database before the answer is 503 (default 5 s). */
  databaseDeadlineMs?: number;
}

/** Long enough for a loaded database, short enough that a sender retries rather than hangs. */
export const INTAKE_DATABASE_DEADLINE_MS = 5_000;

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

/**
 * Files one complaint, or rejects with a DatabaseTimeoutError once the deadline passes (the
 * route answers 503 then). The work itself may still finish; a resend is then a duplicate.
 */
function ingestWithin(deps: IntakeDeps, ctx: ServiceContext, input: unknown) {
  return withDeadline(
    ingestComplaint(ctx, deps.policy, input),
    deps.databaseDeadlineMs ?? INTAKE_DATABASE_DEADLINE_MS,
    "while filing a complaint",
    (error) => deps.logger.warn("intake.failed_after_deadline", { error }),
  );
}

/** POST /api/v1/complaints and /api/v1/complaints/batch. */
export function intakeRoutes(deps: IntakeDeps): Router {
  const router = express.Router();
  const parse = jsonBody();
  const guard = [bearerAuth(deps.intakeTokens), requireJson, parse];

  router.post("/api/v1/complaints", ...guard, async (req, res, next) => {
    try {
      const result = await ingestWithin(deps, contextFor(deps, req), req.body);
      if (!result.duplicate) deps.onQueued();
      res.status(202).json(result);
    } catch (error) {
      next(error);
    }
  });

  router.post("/api/v1/complaints/batch", ...guard, async (req, res, next) => {
    try {
      const batch = ComplaintBatchInput.safeParse(req.body);
      if (!batch.success)
        throw new ValidationError(describeIssues(batch.error, ComplaintBatchInput));
      const ctx = contextFor(deps, req);
      const fileOne = async (index: number) => {
        try {
          return {
            index,
            status: 202,
            ...(await ingestWithin(deps, ctx, batch.data.complaints[index])),
          };
        } catch (error) {
          // The rest would fail the same way: answer 503 for the batch; a resend of it files
          // what is missing and reports the rest as duplicates.
          if (isDatabaseUnavailable(error)) throw error;
          const { status, body } = errorBodyFor(error, deps.logger);
          return { index, status, ...body };
        }
      };
      const results = await fileByConversation(batch.data.complaints, fileOne);
      if (results.some((r) => r.status === 202 && !("duplicate" in r && r.duplicate)))
        deps.onQueued();
      res.status(200).json({ results, summary: summarise(results) });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

/**
 * After the API's routes: a wrong method on an API path is 405, any other path under /api
 * is 404, both with the JSON error body every API error has (not Express's HTML page).
 */
export function apiFallback(): Router {
  const router = express.Router();
  const allowed: ReadonlyArray<readonly [string, string]> = [
    ["/api/v1/complaints", "POST"],
    ["/api/v1/complaints/batch", "POST"],
    ["/api/v1/campaigns", "GET, POST"],
    ["/api/v1/campaigns/:id", "GET, PATCH"],
    ["/api/v1/campaigns/:id/cancel", "POST"],
    ["/api/v1/reports/sla", "GET"],
  ];
  for (const [path, methods] of allowed) {
    router.all(path, (req, res) => {
      res.set("Allow", methods);
      const where = req.originalUrl.split("?")[0];
      sendError(
        res,
        405,
        "method_not_allowed",
        `${req.method} is not allowed on ${where}; use ${methods.replace(", ", " or ")}`,
      );
    });
  }
  router.use("/api", (req, res) => {
    sendError(
      res,
      404,
      "not_found",
      `No API endpoint ${req.method} ${req.originalUrl.split("?")[0]}. The intake API is POST /api/v1/complaints and POST /api/v1/complaints/batch; campaigns are under /api/v1/campaigns, reports at GET /api/v1/reports/sla.`,
    );
  });
  return router;
}

/** Complaints of one batch filed at once: a few transactions in flight, not a whole pool's worth. */
export const BATCH_CONCURRENCY = 4;

/**
 * Files a batch's complaints BATCH_CONCURRENCY at a time, so a batch costs what concurrent
 * single requests cost rather than one transaction after another. Posts of one conversation
 * (same source and conversationId, or externalId without one) go one after another in batch
 * order, so a reply never lands in its thread before the post it answers. Results come back
 * in batch order; the first error thrown (the database unavailable) fails the batch.
 */
async function fileByConversation<R>(
  items: readonly unknown[],
  fileOne: (index: number) => Promise<R>,
): Promise<R[]> {
  const groups = new Map<string, number[]>();
  for (const [index, item] of items.entries()) {
    const key = batchConversationOf(item) ?? `#${index}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  }
  const queue = [...groups.values()];
  const results: R[] = new Array(items.length);
  const lane = async () => {
    for (let group = queue.shift(); group; group = queue.shift())
      for (const index of group) results[index] = await fileOne(index);
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, queue.length) }, lane));
  return results;
}

function summarise(results: Array<{ status: number; duplicate?: boolean }>) {
  return {
    accepted: results.filter((r) => r.status === 202 && !r.duplicate).length,
    duplicates: results.filter((r) => r.status === 202 && r.duplicate).length,
    rejected: results.filter((r) => r.status !== 202).length,
  };
}
