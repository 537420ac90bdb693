import { randomBytes } from "node:crypto";

/** Hands out Slack-shaped ids and message timestamps from the double's clock. */
export class IdFactory {
  private counter = 0;
  private lastMicros = 0;

  constructor(private readonly now: () => number) {}

  /** The counters, so a restored double never hands out an id or ts it gave before. */
  get position(): { counter: number; lastMicros: number } {
    return { counter: this.counter, lastMicros: this.lastMicros };
  }

  set position(p: { counter: number; lastMicros: number }) {
    this.counter = Math.max(this.counter, p.counter);
    this.lastMicros = Math.max(this.lastMicros, p.lastMicros);
  }

  /** An id like Slack's: a type prefix and upper-case alphanumerics, e.g. "V0000000A". */
  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(8, "0")}`;
  }

  /** A message ts "seconds.micros", strictly increasing even when the clock stands still. */
  ts(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.lastMicros + 1);
    this.lastMicros = micros;
    const secs = Math.floor(micros / 1e6);
    return `${secs}.${String(micros % 1e6).padStart(6, "0")}`;
  }

  /** A trigger_id shaped like Slack's "digits.digits.hex". */
  trigger(): string {
    this.counter += 1;
    return `${Math.floor(this.now())}.${this.counter}.${randomBytes(16).toString("hex")}`;
  }

  /** A random token for URLs (response_url path segments). */
  secret(): string {
    return randomBytes(12).toString("hex");
  }
}

/** A short random id like the ones Slack fills in for missing block_id / action_id. */
export function shortRandomId(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(randomBytes(5), (b) => alphabet[b % alphabet.length]).join("");
}
