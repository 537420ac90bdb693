import type { SlaClock } from "../domain/sla-clock.ts";
import type { StoredClock } from "./schema.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

/** SLA clocks to the JSON kept on the thread row. */
export function encodeClocks(clocks: readonly SlaClock[]): StoredClock[] {
  return clocks.map((c) => ({
    kind: c.kind,
    budgetMs: c.budgetMs,
    consumedMs: c.consumedMs,
    startedAt: c.startedAt.toISOString(),
    runningSince: iso(c.runningSince),
    stoppedAt: iso(c.stoppedAt),
    ...(c.breachedAt ? { breachedAt: c.breachedAt.toISOString() } : {}),
  }));
}

/** The thread row's JSON back to SLA clocks. */
export function decodeClocks(stored: readonly StoredClock[]): SlaClock[] {
  return stored.map((c) => ({
    kind: c.kind,
    budgetMs: c.budgetMs,
    consumedMs: c.consumedMs,
    startedAt: new Date(c.startedAt),
    runningSince: date(c.runningSince),
    stoppedAt: date(c.stoppedAt),
    ...(c.breachedAt ? { breachedAt: new Date(c.breachedAt) } : {}),
  }));
}
