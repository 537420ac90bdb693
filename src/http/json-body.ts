import express, { type RequestHandler } from "express";

export const MAX_BODY_BYTES = 1024 * 1024;

/** body-parser's error shape, so the error middleware answers it like its own errors. */
export class InvalidUtf8Error extends Error {
  readonly type = "encoding.invalid";
  readonly status = 400;
  constructor() {
    super(
      "The body is not valid UTF-8: send the JSON encoded as UTF-8 (or declare its charset in Content-Type)",
    );
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * The API's JSON parser. body-parser decodes bytes that are not UTF-8 as U+FFFD, so a sender
 * with a wrong encoding would get a 202 and a card reading "��"; refusing it keeps the
 * complaint's text as the customer wrote it.
 */
export function jsonBody(): RequestHandler {
  return express.json({
    limit: MAX_BODY_BYTES,
    strict: false,
    verify: (_req, _res, buf, encoding) => {
      if (encoding.toLowerCase().replace("-", "") !== "utf8") return;
      try {
        strictUtf8.decode(buf);
      } catch {
        throw new InvalidUtf8Error();
      }
    },
  });
}
