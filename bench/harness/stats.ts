/** Medians and spreads of repeated figures. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(xs: readonly number[]): readonly [number, number] {
  return xs.length === 0 ? [NaN, NaN] : [Math.min(...xs), Math.max(...xs)];
}

/** `12.3 (11.9–13.0)`: the median and, for more than one sample, the spread. */
export function withSpread(xs: readonly number[], digits: number): string {
  const [lo, hi] = spread(xs);
  return xs.length > 1 ? `${median(xs).toFixed(digits)} (${lo.toFixed(digits)}–${hi.toFixed(digits)})` : median(xs).toFixed(digits);
}

/** The `p`th percentile of `sorted` (ascending), nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
