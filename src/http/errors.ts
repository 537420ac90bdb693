import type { ErrorRequestHandler, Response } from "express";
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

/** Maps a service error to its HTTP answer; unknown errors are logged and answered generically. */
export function errorBodyFor(error: unknown, logger: Logger): { status: number; body: ErrorBody } {
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

/**
 * The last middleware: body-parser's own errors (too large, bad JSON) become 4xx with a
 * clear message; anything else goes through errorBodyFor.
 */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
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
    if (type === "encoding.unsupported" || type === "charset.unsupported") {
      sendError(res, 415, "unsupported_encoding", (error as Error).message);
      return;
    }
    const { status, body } = errorBodyFor(error, logger);
    res.status(status).json(body);
  };
}
