import { ErrorCode, type WebAPIPlatformError } from "@slack/web-api";
import type { Transaction } from "../db/client.ts";

/** Slack's own error name for a refused call (`ok: false`), or undefined for any other failure. */
export function slackErrorName(error: unknown): string | undefined {
  const platform = error as WebAPIPlatformError | undefined;
  return platform?.code === ErrorCode.PlatformError ? platform.data?.error : undefined;
}

/**
 * Slack refused a DM (conversations.open, or the post) because its reader's account is
 * deactivated: user_disabled, or account_inactive.
 */
export function isUserDeactivated(error: unknown): boolean {
  const name = slackErrorName(error);
  return name === "user_disabled" || name === "account_inactive";
}

/** What to do about a failed Slack call. */
export type SlackFailure =
  | { type: "rate_limited"; retryAfterMs: number; error: string }
  | { type: "transient"; error: string }
  | { type: "permanent"; error: string };

/**
 * Slack answers HTTP 200 with `ok: false` for platform errors. Almost all of them
 * (channel_not_found, not_in_channel, invalid_auth, msg_too_long, invalid_blocks…) will
 * fail the same way every time, so they are permanent; only these few are worth a retry.
 * https://docs.slack.dev/reference/methods/chat.postMessage (Errors)
 */
const TRANSIENT_PLATFORM_ERRORS = new Set([
  "ratelimited",
  "rate_limited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "team_added_to_org",
]);

/** An error our own delivery code raises when retrying cannot help (e.g. the card was never posted). */
export class PermanentDeliveryError extends Error {
  constructor(
    message: string,
    /**
     * What the failure teaches, recorded in the transaction that marks the delivery failed
     * (e.g. that a card was deleted in Slack, so its later redraws are not queued).
     */
    readonly record?: (tx: Transaction) => Promise<void>,
  ) {
    super(message);
  }
}

/**
 * Slack refused (429) or did not answer a call someone is waiting on, such as a membership
 * lookup for their click: nothing changed, and they should try again, not be told "no".
 */
export class SlackBusyError extends Error {
  constructor(
    /** Slack's Retry-After, when it gave one. */
    readonly retryAfterMs: number | undefined,
    readonly slackError: string,
  ) {
    super(`Slack is busy (${slackError})`);
    this.name = "SlackBusyError";
  }
}

/** True for the errors @slack/web-api throws (codes slack_webapi_*). */
function isWebApiError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("slack_webapi_");
}

/**
 * The SlackBusyError a failed Slack call amounts to (rate limited, outage, network), or
 * undefined when retrying would not help or the error is not Slack's.
 */
export function slackBusyFrom(error: unknown): SlackBusyError | undefined {
  if (error instanceof SlackBusyError) return error;
  if (!isWebApiError(error)) return undefined;
  const failure = classifySlackError(error);
  if (failure.type === "rate_limited")
    return new SlackBusyError(failure.retryAfterMs, failure.error);
  if (failure.type === "transient") return new SlackBusyError(undefined, failure.error);
  return undefined;
}

/** Sorts an error from @slack/web-api (or our delivery code) into rate-limited, transient or permanent. */
export function classifySlackError(error: unknown): SlackFailure {
  if (error instanceof PermanentDeliveryError) return { type: "permanent", error: error.message };
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case ErrorCode.RateLimitedError: {
      const retryAfter = (error as { retryAfter?: number }).retryAfter ?? 1;
      return {
        type: "rate_limited",
        retryAfterMs: Math.max(1, retryAfter) * 1000,
        error: "ratelimited",
      };
    }
    case ErrorCode.PlatformError: {
      const name = (error as { data?: { error?: string } }).data?.error ?? "unknown_platform_error";
      return TRANSIENT_PLATFORM_ERRORS.has(name)
        ? { type: "transient", error: name }
        : { type: "permanent", error: name };
    }
    case ErrorCode.HTTPError:
      return {
        type: "transient",
        error: `http_${(error as { statusCode?: number }).statusCode ?? "error"}`,
      };
    case ErrorCode.RequestError:
      return { type: "transient", error: `request_failed: ${(error as Error).message}` };
    default:
      return { type: "transient", error: error instanceof Error ? error.message : String(error) };
  }
}
