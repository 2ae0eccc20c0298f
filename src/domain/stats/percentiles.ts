/**
 * Percentiles by the nearest-rank method: the p-th percentile of n values is the value at
 * rank ⌈p/100 · n⌉ (1-based) in ascending order, so it is always one of the values and
 * needs no interpolation. The median is the 50th percentile by the same rule (for an even
 * count, the lower of the two middle values). Computed here rather than in SQL so SQLite and
 * MariaDB give the same figure.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return nearestRank(sorted, p);
}

/** The median and the 90th percentile of `values` (null each when there are none). */
export function medianAndP90(values: readonly number[]): { median: number | null; p90: number | null } {
  if (values.length === 0) return { median: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  return { median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) };
}

function nearestRank(sorted: readonly number[], p: number): number {
  // A small tolerance, so that p/100 · n landing on a whole number (0.9 · 10 = 9.000000000000002) is not rounded up past it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
