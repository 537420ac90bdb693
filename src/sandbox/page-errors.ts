import express, { type ErrorRequestHandler, type RequestHandler, type Response } from "express";
import { ZodError, type z } from "zod";
import type { Logger } from "../logger.ts";
import { issueMessage } from "../services/issue-message.ts";
import { PageActionError } from "./page-actions.ts";

/**
 * How the page's server reads a JSON body and answers what it cannot take: every refusal is
 * `{ ok: false, error }` with a 4xx, worded as the bot's intake API words it (src/http/errors.ts),
 * so that curl and scripts learn what to fix rather than "see its terminal".
 */

/** The most a request to the page may carry; the page itself sends a few kilobytes. */
const BODY_LIMIT = "1mb";

/** One field the page's API could not take, as the bot's intake API lists them. */
export interface FieldIssue {
  path: string;
  message: string;
}

function refuse(res: Response, status: number, error: string, issues?: FieldIssue[]): void {
  res.status(status).json({ ok: false, error, ...(issues ? { issues } : {}) });
}

/** 415 unless the body is declared JSON; checked before the body is read. */
const requireJsonType: RequestHandler = (req, res, next) => {
  if (req.is("application/json")) return next();
  refuse(res, 415, "Send the body as JSON with 'Content-Type: application/json'");
};

/** Every route reads a JSON object; a list or a bare value is refused here. */
const requireObject: RequestHandler = (req, res, next) => {
  const body: unknown = req.body;
  if (typeof body === "object" && body !== null && !Array.isArray(body)) return next();
  refuse(res, 400, `The body must be a JSON object, found ${describeJson(body)}`);
};

function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

/** The middleware of a route that reads a JSON object. */
export const jsonBody: RequestHandler[] = [
  requireJsonType,
  express.json({ limit: BODY_LIMIT, strict: false }),
  requireObject,
];

/**
 * Each field zod refused, by its dotted path. A choice between shapes (the message or the
 * modal an action is on) is named by its alternatives: "channel and ts, or viewId".
 */
export function describeFields(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: pathOf(issue), message: issueMessage(issue) }));
}

function pathOf(issue: z.core.$ZodIssue): string {
  const own = issue.path.map(String);
  if (issue.code !== "invalid_union" || issue.errors.length === 0) {
    return own.length > 0 ? own.join(".") : "(body)";
  }
  // Alternatives of one field (a string, or a list…) all name that field: name it once.
  const alternatives = issue.errors.map((alternative) =>
    alternative.map((i) => [...own, ...i.path.map(String)].join(".")).join(" and "),
  );
  return [...new Set(alternatives)].join(", or ");
}

/** A client error body-parser raised (too large, bad JSON, unreadable), as a 4xx refusal. */
function bodyParserRefusal(error: unknown): { status: number; error: string } | undefined {
  const { type, status, message } = error as { type?: unknown; status?: unknown; message?: string };
  if (type === "entity.too.large") {
    return {
      status: 413,
      error: "The body is larger than 1 MiB; the page's requests are a few kilobytes, send less",
    };
  }
  if (type === "entity.parse.failed") {
    return { status: 400, error: `The body is not valid JSON: ${message}` };
  }
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return { status: 415, error: String(message) };
  }
  // A truncated, aborted or corrupt body (Node's zlib codes) is the client's to resend.
  if (/^Z_/.test(String((error as { code?: unknown }).code))) {
    return { status: 400, error: `The body could not be decompressed: ${message}` };
  }
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { status, error: `The body could not be read: ${message}` };
  }
  return undefined;
}

/** The last middleware: refusals as 4xx; anything else is the sandbox's own failure, logged. */
export function pageErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof PageActionError) {
      res.status(error.status).json({ ok: false, error: error.message, blockId: error.blockId });
      return;
    }
    if (error instanceof ZodError) {
      const issues = describeFields(error);
      refuse(res, 400, `Invalid fields: ${issues.map((i) => i.path).join(", ")}`, issues);
      return;
    }
    const refusal = bodyParserRefusal(error);
    if (refusal) {
      refuse(res, refusal.status, refusal.error);
      return;
    }
    logger.error("sandbox.page_error", { error });
    refuse(res, 500, "The sandbox failed to do that; see its terminal.");
  };
}
