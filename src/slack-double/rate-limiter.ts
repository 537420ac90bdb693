import { RATE_LIMIT_DEFAULTS } from "./limits.ts";
import type { RateLimitSpec } from "./types.ts";

/** The outcome of asking for one call: allowed, or wait this many whole seconds. */
export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  at: number;
}

function retryAfter(waitMs: number): number {
  return Math.max(RATE_LIMIT_DEFAULTS.minRetryAfterS, Math.ceil(waitMs / 1000));
}

/** chat.postMessage's per-channel token bucket plus optional per-method-per-minute windows. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly windows = new Map<string, number[]>();
  private readonly burst: number;
  private readonly perSecond: number;

  constructor(
    private readonly spec: RateLimitSpec,
    private readonly now: () => number,
  ) {
    this.burst = spec.postMessagePerChannel?.burst ?? RATE_LIMIT_DEFAULTS.postMessageBurst;
    this.perSecond =
      spec.postMessagePerChannel?.perSecond ?? RATE_LIMIT_DEFAULTS.postMessagePerSecond;
  }

  /** Takes one postMessage token for a channel. */
  takePost(channel: string): RateDecision {
    const now = this.now();
    const b = this.buckets.get(channel) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(channel, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: retryAfter(((1 - b.tokens) / this.perSecond) * 1000) };
  }

  /** Counts one call against the method's per-minute window, when one is configured. */
  takeMethod(method: string): RateDecision {
    const limit = this.spec.perMethodPerMinute?.[method];
    if (limit === undefined) return { ok: true };
    const now = this.now();
    const recent = (this.windows.get(method) ?? []).filter((t) => now - t < 60_000);
    this.windows.set(method, recent);
    const oldest = recent[0];
    if (recent.length >= limit && oldest !== undefined) {
      return { ok: false, retryAfterS: retryAfter(oldest + 60_000 - now) };
    }
    recent.push(now);
    return { ok: true };
  }
}
