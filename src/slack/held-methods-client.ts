import { ErrorCode, type WebAPICallResult, WebClient, type WebClientOptions } from "@slack/web-api";
import { sql } from "drizzle-orm";
import type { DatabaseHandle, Executor } from "../db/client.ts";
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

type Outcome = { result: WebAPICallResult } | { error: unknown };

/**
 * The outbox's Web API client. A tiered method is called one call at a time, in this process
 * and (on PostgreSQL) across replicas, under a transaction-scoped advisory lock: each call
 * first reads whether Slack refused the method lately, and a 429 is written as a hold before
 * the lock passes to the next caller. Without that, calls already on their way when the
 * first 429 came back (another item's DM, another replica's card update) reached Slack
 * before the Retry-After: the fault suite counted them. The tiers allow 20 to 100 calls a
 * minute, so one at a time costs nothing they would allow.
 */
export class HeldMethodsClient extends WebClient {
  /** The last call queued for each tiered method in this process. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    token: string | undefined,
    options: WebClientOptions,
    private readonly holds: { db: DatabaseHandle; clock: Clock },
    /** Told of each call Slack accepted (what it shows may clear a Slack setup problem). */
    private readonly onAccepted?: (
      method: string,
      options: Record<string, unknown> | undefined,
      result: WebAPICallResult,
    ) => Promise<void>,
  ) {
    super(token, options);
  }

  override async apiCall(
    method: string,
    options?: Record<string, unknown>,
  ): Promise<WebAPICallResult> {
    const result = await this.heldCall(method, options);
    // Slack did it: nothing said about it afterwards may fail the call (it would be sent again).
    await this.onAccepted?.(method, options, result).catch(() => {});
    return result;
  }

  private async heldCall(
    method: string,
    options?: Record<string, unknown>,
  ): Promise<WebAPICallResult> {
    if (CHANNEL_PACED.has(method)) return super.apiCall(method, options);
    const call = (this.tails.get(method) ?? Promise.resolve()).then(() =>
      this.acrossReplicas(method, options),
    );
    this.tails.set(
      method,
      call.catch(() => {}),
    );
    const outcome = await call;
    if ("error" in outcome) throw outcome.error;
    return outcome.result;
  }

  private async acrossReplicas(
    method: string,
    options: Record<string, unknown> | undefined,
  ): Promise<Outcome> {
    const { db } = this.holds;
    // The embedded database serves one process, and a transaction there would stop every
    // other query for the length of a Slack call.
    if (db.kind !== "postgres") return this.unlessHeld(db.db, method, options);
    let answered: Outcome | undefined;
    try {
      return await db.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${METHOD_HOLD + method}))`);
        answered = await this.unlessHeld(tx, method, options);
        return answered;
      });
    } catch (error) {
      // Slack answered, then the database went away before the lock was let go: what Slack
      // did stands. Failing the call would make the outbox do it again (a second chart).
      if (answered) return answered;
      throw error;
    }
  }

  /** Calls Slack unless the method is held; a 429 becomes a hold. Never throws Slack's errors. */
  private async unlessHeld(
    executor: Executor,
    method: string,
    options: Record<string, unknown> | undefined,
  ): Promise<Outcome> {
    const until = await readHold(executor, METHOD_HOLD + method);
    const now = this.holds.clock.now().getTime();
    if (until && until.getTime() > now) {
      return { error: new MethodHeldError(method, Math.ceil((until.getTime() - now) / 1000)) };
    }
    try {
      return { result: await super.apiCall(method, options) };
    } catch (error) {
      if ((error as { code?: unknown }).code === ErrorCode.RateLimitedError) {
        const seconds = (error as { retryAfter?: number }).retryAfter ?? 1;
        const end = new Date(this.holds.clock.now().getTime() + Math.max(1, seconds) * 1000);
        await holdChannel(executor, METHOD_HOLD + method, end);
      }
      return { error };
    }
  }
}
