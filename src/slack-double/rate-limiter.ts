import { METHOD_PER_MINUTE, RATE_LIMIT_DEFAULTS } from "./limits.ts";
import type { RateLimitSpec } from "./types.ts";

/** The outcome of asking for one call: allowed, or wait this many whole seconds. */
export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** The call times of one method inside the current window, oldest first. */
interface Window {
  times: number[];
  /** Index of the oldest time still inside the window (older ones are dropped lazily). */
  start: number;
}

function retryAfter(waitMs: number): number {
  return Math.max(RATE_LIMIT_DEFAULTS.minRetryAfterS, Math.ceil(waitMs / 1000));
}

/**
 * Slack's limits: every method's per-minute window (its tier, SLACK.md §6), counted per
 * workspace, plus chat.postMessage's per-channel token bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly overrides = new Map<string, number>();
  private readonly windows = new Map<string, Window>();
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

  /** Changes one method's per-minute limit from now on (undefined: back to the configured one). */
  setMethodLimit(method: string, perMinute: number | undefined): void {
    if (perMinute === undefined) this.overrides.delete(method);
    else this.overrides.set(method, perMinute);
  }

  /** The method's per-minute limit: an explicit one, else its tier scaled by perMinuteFactor. */
  limitOf(method: string): number | undefined {
    const explicit = this.overrides.get(method) ?? this.spec.perMethodPerMinute?.[method];
    if (explicit !== undefined) return explicit;
    const tier = METHOD_PER_MINUTE[method];
    return tier === undefined ? undefined : tier * (this.spec.perMinuteFactor ?? 1);
  }

  /** Counts one call against the method's one-minute window. */
  takeMethod(method: string): RateDecision {
    const limit = this.limitOf(method);
    if (limit === undefined) return { ok: true };
    if (limit <= 0) return { ok: false, retryAfterS: retryAfter(RATE_LIMIT_DEFAULTS.windowMs) };
    const now = this.now();
    const w = this.windows.get(method) ?? { times: [], start: 0 };
    this.windows.set(method, w);
    const windowMs = RATE_LIMIT_DEFAULTS.windowMs;
    while (w.start < w.times.length && now - (w.times[w.start] as number) >= windowMs) w.start += 1;
    if (w.start > 1024 && w.start * 2 > w.times.length) {
      w.times = w.times.slice(w.start);
      w.start = 0;
    }
    const oldest = w.times[w.start];
    if (w.times.length - w.start >= limit && oldest !== undefined) {
      return { ok: false, retryAfterS: retryAfter(oldest + windowMs - now) };
    }
    w.times.push(now);
    return { ok: true };
  }
}
