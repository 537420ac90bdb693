import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { sendError } from "./errors.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Accepts `Authorization: Bearer <token>` for any configured token. Tokens are compared
 * as SHA-256 digests with timingSafeEqual, against every token without stopping early,
 * so response time says nothing about how close a guess was. Sets `res.locals.tokenLabel`
 * ("token#2") for the audit log: the token itself is never stored or logged.
 */
export function bearerAuth(tokens: readonly string[]): RequestHandler {
  const known = tokens.map(digest);
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    const presented = match?.[1] ? digest(match[1]) : null;
    let found = -1;
    for (const [i, candidate] of known.entries()) {
      if (presented && timingSafeEqual(candidate, presented) && found < 0) found = i;
    }
    if (found < 0) {
      res.set("WWW-Authenticate", 'Bearer realm="switchboard"');
      sendError(
        res,
        401,
        "unauthorized",
        "Send a valid intake token as 'Authorization: Bearer <token>' (see INTAKE_TOKENS)",
      );
      return;
    }
    res.locals.tokenLabel = `token#${found + 1}`;
    next();
  };
}
