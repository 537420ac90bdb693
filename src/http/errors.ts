import type { ErrorRequestHandler, Request, Response } from "express";
import { isDatabaseUnavailable } from "../db/availability.ts";
import { DomainError, ValidationError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";

/** Every API error has this body: a stable code, a sentence, and for bad input each field's path. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: Array<{ path: string; message: string }> };
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  issues?: Array<{ path: string; message: string }>,
): void {
  const body: ErrorBody = { error: { code, message, ...(issues ? { issues } : {}) } };
  res.status(status).json(body);
}

const STATUS: Record<string, number> = {
  validation_failed: 400,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
};

/** Seconds a client should wait before retrying when the database is unavailable. */
export const DATABASE_RETRY_AFTER_S = 5;

/** The 503 for "the database did not answer": retrying later is safe (resends are deduplicated). */
export function databaseUnavailable(): { status: number; body: ErrorBody; retryAfterS: number } {
  return {
    status: 503,
    retryAfterS: DATABASE_RETRY_AFTER_S,
    body: {
      error: {
        code: "database_unavailable",
        message:
          "The database is not answering. Retry after the Retry-After delay: sending the same complaint (source and externalId) again never files it twice.",
      },
    },
  };
}

/** Maps a service error to its HTTP answer; unknown errors are logged and answered generically. */
export function errorBodyFor(
  error: unknown,
  logger: Logger,
): { status: number; body: ErrorBody; retryAfterS?: number } {
  if (error instanceof ValidationError) {
    const issues = error.issues;
    const fields = issues.map((i) => i.path).join(", ");
    return {
      status: 400,
      body: { error: { code: error.code, message: `Invalid fields: ${fields}`, issues } },
    };
  }
  if (error instanceof DomainError) {
    return {
      status: STATUS[error.code] ?? 400,
      body: { error: { code: error.code, message: error.message } },
    };
  }
  if (isDatabaseUnavailable(error)) {
    logger.warn("http.database_unavailable", { error });
    return databaseUnavailable();
  }
  logger.error("http.unexpected_error", { error });
  return {
    status: 500,
    body: {
      error: {
        code: "internal_error",
        message: "Something went wrong on our side; nothing was saved. Please retry.",
      },
    },
  };
}

/** Node's zlib error codes (Z_DATA_ERROR, Z_BUF_ERROR…): a corrupt or truncated compressed body. */
const isZlibError = (error: unknown) => /^Z_/.test(String((error as { code?: unknown }).code));

/** A client error body-parser or raw-body raised (status 4xx), if this is one. */
function clientErrorStatus(error: unknown): number | null {
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" && status >= 400 && status < 500 ? status : null;
}

/** Answers with the error body, and Retry-After when there is one. */
export function sendErrorBody(
  res: Response,
  answer: { status: number; body: ErrorBody; retryAfterS?: number },
): void {
  if (answer.retryAfterS !== undefined) res.set("Retry-After", String(answer.retryAfterS));
  res.status(answer.status).json(answer.body);
}

function bodyProblem(res: Response, message: string, status = 400): void {
  sendError(res, status, "invalid_body", message, [{ path: "(body)", message }]);
}

/**
 * The last middleware: body-parser's own errors (too large, bad JSON, a body that cannot be
 * decompressed or read) become 4xx with a clear message; anything else goes through
 * errorBodyFor.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, req: Request, res, _next) => {
    const type = (error as { type?: string }).type;
    if (type === "entity.too.large") {
      sendError(
        res,
        413,
        "payload_too_large",
        "The body is larger than 1 MiB; split it into smaller batches",
      );
      return;
    }
    if (type === "entity.parse.failed") {
      sendError(
        res,
        400,
        "invalid_json",
        `The body is not valid JSON: ${(error as Error).message}`,
      );
      return;
    }
    if (type === "encoding.invalid") {
      bodyProblem(res, (error as Error).message);
      return;
    }
    if (type === "encoding.unsupported" || type === "charset.unsupported") {
      sendError(res, 415, "unsupported_encoding", (error as Error).message);
      return;
    }
    if (isZlibError(error)) {
      const encoding = req.get("content-encoding") ?? "compressed";
      bodyProblem(
        res,
        `The body is not valid ${encoding} data (Content-Encoding: ${encoding}): ${(error as Error).message}`,
      );
      return;
    }
    const status = clientErrorStatus(error);
    if (status !== null) {
      bodyProblem(res, `The body could not be read: ${(error as Error).message}`, status);
      return;
    }
    sendErrorBody(res, errorBodyFor(error, logger));
  };
}
