import { ErrorCode, type WebAPICallResult, WebClient, type WebClientOptions } from "@slack/web-api";
import type { DatabaseHandle } from "../db/client.ts";
import { holdChannel, readHold } from "../db/outbox-store.ts";
import type { Clock } from "../services/context.ts";

/**
 * Slack's per-method limits (its tiers: chat.update, conversations.open, views.publish…) are
 * the workspace's, so they bind every replica: after a 429 from such a method, no replica's
 * outbox calls it again before the Retry-After ends. chat.postMessage is left to the channel
 * holds: its limit that bites is the per-channel one (SLACK.md §6).
 */
const CHANNEL_PACED = new Set(["chat.postMessage"]);

/** Holds live in channel_holds beside the channels', under this prefix. */
const METHOD_HOLD = "method:";

/** An outbox call not made because Slack refused its method lately; retried when the hold ends. */
export class MethodHeldError extends Error {
  readonly code = ErrorCode.RateLimitedError;
  constructor(
    readonly slackMethod: string,
    /** Seconds until the hold ends, as Slack's own 429 says it. */
    readonly retryAfter: number,
  ) {
    super(`${slackMethod} is held after a 429 for ${retryAfter} s`);
    this.name = "MethodHeldError";
  }
}

/**
 * The outbox's Web API client. Before each call of a tiered method it asks the database
 * whether any replica was refused it lately (one primary-key read), and a 429 it receives
 * is written there before the error reaches the worker, which then waits it out as for any
 * 429 (its code and retryAfter are @slack/web-api's).
 */
export class HeldMethodsClient extends WebClient {
  constructor(
    token: string | undefined,
    options: WebClientOptions,
    private readonly holds: { db: DatabaseHandle; clock: Clock },
  ) {
    super(token, options);
  }

  override async apiCall(
    method: string,
    options?: Record<string, unknown>,
  ): Promise<WebAPICallResult> {
    if (CHANNEL_PACED.has(method)) return super.apiCall(method, options);
    const until = await readHold(this.holds.db.db, METHOD_HOLD + method);
    const now = this.holds.clock.now().getTime();
    if (until && until.getTime() > now) {
      throw new MethodHeldError(method, Math.ceil((until.getTime() - now) / 1000));
    }
    try {
      return await super.apiCall(method, options);
    } catch (error) {
      if ((error as { code?: unknown }).code === ErrorCode.RateLimitedError) {
        const seconds = (error as { retryAfter?: number }).retryAfter ?? 1;
        const end = new Date(this.holds.clock.now().getTime() + Math.max(1, seconds) * 1000);
        // The database may be down too: the 429 still reaches the worker, which waits it out.
        await holdChannel(this.holds.db.db, METHOD_HOLD + method, end).catch(() => {});
      }
      throw error;
    }
  }
}
