import type { Figures } from "./figures.ts";

/** What changed between two periods' figures (this digest against the previous one). */
export interface FigureChanges {
  complaints: { now: number; before: number };
  breaches: { now: number; before: number };
  /** Overall compliance, 0–1, or null when nothing finished in that period. */
  compliance: { now: number | null; before: number | null };
  medianTimeToFirstResponseMs: { now: number | null; before: number | null };
  /**
   * Length of each period, in ms: an on-demand digest (or one after an outage) covers a
   * shorter (or longer) time than the one it is set against, so its counts are not alike.
   */
  periodMs?: { now: number; before: number };
}

/** Pairs this period's headline figures with the previous period's. */
export function compareFigures(current: Figures, previous: Figures): FigureChanges {
  return {
    complaints: { now: current.complaints, before: previous.complaints },
    breaches: { now: current.breaches.length, before: previous.breaches.length },
    compliance: {
      now: current.compliance.overall.compliance,
      before: previous.compliance.overall.compliance,
    },
    medianTimeToFirstResponseMs: {
      now: current.timeToFirstResponse.medianMs,
      before: previous.timeToFirstResponse.medianMs,
    },
    periodMs: {
      now: current.to.getTime() - current.from.getTime(),
      before: previous.to.getTime() - previous.from.getTime(),
    },
  };
}
