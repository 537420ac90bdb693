/** Words for figures, shared by the digest, the App Home and status. Pure. */
import type { Tally, TimeStats } from "../../domain/figures/figures.ts";
import { formatCount } from "../../domain/match-conditions.ts";
import { formatDay, formatSpan, formatTime } from "./due-line.ts";

/** "1 complaint", "2 complaints": a count with its noun in the right number. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** "83%", or "–" when nothing finished. */
export function formatRate(rate: number | null): string {
  return rate === null ? "–" : `${Math.round(rate * 100)}%`;
}

/** "83% of SLA clocks in time", or that none finished (not "–" or "0%": there is nothing to rate). */
export function describeOverallRate(rate: number | null): string {
  return rate === null ? "no SLA clock finished yet" : `${formatRate(rate)} of SLA clocks in time`;
}

/** "83% in time (10 met, 2 breached, 1 running)". */
export function describeTally(tally: Tally): string {
  if (tally.met + tally.breached + tally.running === 0) return "no SLA clocks";
  return `${formatRate(tally.compliance)} in time (${tally.met} met, ${tally.breached} breached, ${tally.running} running)`;
}

/** "median 12 min, 90th percentile 45 min (business hours), 3 still waiting". */
export function describeTimes(stats: TimeStats): string {
  if (stats.count === 0) {
    return stats.waiting > 0 ? `none yet, ${stats.waiting} waiting` : "nothing to measure";
  }
  const hours =
    stats.measuredIn === "business"
      ? " (business hours)"
      : stats.measuredIn === "mixed"
        ? " (business hours where a department has them)"
        : "";
  const waiting = stats.waiting > 0 ? `, ${stats.waiting} still waiting` : "";
  return `median ${formatSpan(stats.medianMs ?? 0)}, 90th percentile ${formatSpan(stats.p90Ms ?? 0)}${hours}${waiting}`;
}

/** "Monday 08:00" within a week of `now`, else "Mon 2 Mar 2026 08:00", in `timezone`. */
export function describeSince(at: Date, now: Date, timezone: string): string {
  const days = (now.getTime() - at.getTime()) / 86_400_000;
  const time = formatTime(at, timezone);
  if (days >= 0 && days < 6.5) {
    const weekday = new Intl.DateTimeFormat("en-GB", {
      weekday: "long",
      timeZone: timezone,
    }).format(at);
    return `${weekday} ${time}`;
  }
  return `${formatDay(at, timezone)} ${time}`;
}

/**
 * "Sun 29 Nov 2026 08:00 to Mon 30 Nov 2026 08:00 (Europe/London)": a period with its dates
 * and zone, for what is read later or alone (a chart on the Home), where "since Sunday" is not
 * enough.
 */
export function describePeriod(from: Date, to: Date, timezone: string): string {
  const at = (d: Date) => `${formatDay(d, timezone)} ${formatTime(d, timezone)}`;
  return `${at(from)} to ${at(to)} (${timezone})`;
}

/** "+8", "−3", "±0" for a count change. */
export function formatDelta(now: number, before: number): string {
  const d = now - before;
  return d > 0 ? `+${d}` : d < 0 ? `−${-d}` : "±0";
}
