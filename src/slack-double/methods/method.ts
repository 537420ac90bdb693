import type { Obj } from "../args.ts";
import type { RateLimiter } from "../rate-limiter.ts";
import type { DoubleState } from "../state.ts";

/** What a method handler gets besides its arguments. */
export interface MethodContext {
  state: DoubleState;
  rate: RateLimiter;
}

/** A Web API method: returns the success body (without `ok`) or throws ApiError. */
export type Method = (args: Obj, ctx: MethodContext) => Obj;

/** Thrown by a handler when a per-key limit (postMessage per channel) is exceeded. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterS: number) {
    super("ratelimited");
  }
}
