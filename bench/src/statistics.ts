/** Median, min and max of repeated measurements (and how many there were). */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** The `fraction` percentile (0..1) of `values`, by linear interpolation between the nearest ranks. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * fraction;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

/**
 * Summarises repeated measurements.
 *
 * @example
 * summarize([3, 1, 2]); // { median: 2, min: 1, max: 3, runs: 3 }
 */
export function summarize(values: readonly number[]): Summary {
  return {
    median: percentile(values, 0.5),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

/** Element-wise ratios of two equally long series measured side by side (a[i] / b[i]). */
export function pairwiseRatios(measured: readonly number[], reference: readonly number[]): number[] {
  return measured.map((value, index) => value / (reference[index] as number));
}
