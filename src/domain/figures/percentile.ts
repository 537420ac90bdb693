/**
 * Nearest-rank percentile: the smallest value with at least p% of values at or below it
 * (so the median of 1, 2, 3, 4 is 2). Every value reported is one that happened.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
