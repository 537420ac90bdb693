import type { RequestHandler } from "express";
import type { Logger } from "../logger.ts";

/** Slack's advice: refuse requests signed more than five minutes from now, either way. */
export const MAX_REQUEST_SKEW_S = 5 * 60;

/**
 * Refuses a signed Slack request whose x-slack-request-timestamp is more than five minutes
 * from now, before or after. Bolt's receiver refuses old timestamps only, so a request
 * signed with a timestamp in the future could be replayed until then.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 *
 * Compared with the wall clock, not the injected one: Slack stamps requests with real time.
 */
export function refuseSkewedSlackRequests(
  logger: Logger,
  now: () => number = Date.now,
): RequestHandler {
  return (req, res, next) => {
    const header = req.get("x-slack-request-timestamp");
    const stamped = Number(header);
    if (header !== undefined && Number.isFinite(stamped)) {
      const skewS = Math.round(stamped - now() / 1000);
      if (Math.abs(skewS) > MAX_REQUEST_SKEW_S) {
        logger.warn("slack.request_refused", { reason: "timestamp_skew", skewS });
        res.status(401).send();
        return;
      }
    }
    next();
  };
}
