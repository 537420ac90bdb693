import { createHmac } from "node:crypto";
import { STALE_SIGNATURE_AGE_S } from "./limits.ts";

/** How the driver signs a request: correctly, or wrong in one of Slack-realistic ways. */
export type SignatureMode = "good" | "bad" | "stale" | "missing";

/** `v0=` + hex HMAC-SHA256 of `v0:{ts}:{rawBody}` keyed with the signing secret (SLACK.md §1). */
export function computeSignature(
  signingSecret: string,
  timestampS: number,
  rawBody: string,
): string {
  const hmac = createHmac("sha256", signingSecret);
  hmac.update(`v0:${timestampS}:${rawBody}`);
  return `v0=${hmac.digest("hex")}`;
}

/**
 * The x-slack-* headers for a body. Uses the real wall clock, not the double's injected one,
 * because Bolt checks freshness against Date.now().
 */
export function signatureHeaders(
  signingSecret: string,
  rawBody: string,
  mode: SignatureMode,
  nowMs: number = Date.now(),
): Record<string, string> {
  if (mode === "missing") return {};
  const nowS = Math.floor(nowMs / 1000);
  const ts = mode === "stale" ? nowS - STALE_SIGNATURE_AGE_S : nowS;
  const secret = mode === "bad" ? `${signingSecret}-wrong` : signingSecret;
  return {
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": computeSignature(secret, ts, rawBody),
  };
}
