import { InvalidOptionsError } from '@reins/core';

/**
 * The `p` quantile of values already sorted ascending, by linear interpolation between closest
 * ranks (the common "type 7" definition, as in NumPy and spreadsheets): the one percentile
 * definition of Reins (turn budgets, calibration, bootstrap intervals). NaN when empty.
 *
 * @param sorted - values sorted ascending.
 * @param p - the quantile in [0, 1] (clamped).
 * @example
 * ```ts
 * percentileOfSorted([10, 20, 30, 40], 0.75); // 32.5
 * ```
 */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, p));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (position - lower);
}

/**
 * The `p`-th percentile of values (not necessarily sorted); see {@link percentileOfSorted}.
 *
 * @param values - any numbers; at least one.
 * @param p - the percentile in [0, 1].
 * @throws {InvalidOptionsError} when `values` is empty.
 * @example
 * ```ts
 * percentile([40, 10, 30, 20], 0.75); // 32.5
 * ```
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new InvalidOptionsError('values', 'percentile() needs at least one value.');
  }
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}
