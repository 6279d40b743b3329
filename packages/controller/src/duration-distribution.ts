/**
 * An empirical distribution of durations (milliseconds): what a TTL rule needs to know about the
 * pause that follows a model response.
 */
export interface DurationDistribution {
  /** Samples it was built from (the sum of its parts' for a mixture). */
  readonly samples: number;
  /** Mean duration, in milliseconds. */
  readonly mean: number;
  /** Where it came from: the tool key's own samples, the global prior, or a mixture. */
  readonly source: 'tool' | 'global' | 'mixture' | 'fixed';
  /** P(duration ≤ ms). */
  cdf(ms: number): number;
  /** The `q`-quantile (0 ≤ q ≤ 1), by the nearest-rank method. */
  quantile(q: number): number;
}

/**
 * A distribution over sorted samples.
 *
 * @param sorted - durations in ascending order (not copied; do not change it afterwards).
 * @param source - where the samples came from.
 * @returns the empirical distribution; with no samples every duration is 0.
 * @example
 * ```ts
 * const d = fromSortedSamples([100, 200, 300, 400], 'tool');
 * d.cdf(250); // 0.5
 * d.quantile(0.5); // 200
 * ```
 */
export function fromSortedSamples(
  sorted: ArrayLike<number>,
  source: DurationDistribution['source'],
): DurationDistribution {
  const count = sorted.length;
  let sum = 0;
  for (let index = 0; index < count; index++) sum += sorted[index] as number;
  return {
    samples: count,
    mean: count === 0 ? 0 : sum / count,
    source,
    cdf(ms) {
      if (count === 0) return ms >= 0 ? 1 : 0;
      // number of samples ≤ ms: upper bound by binary search
      let low = 0;
      let high = count;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((sorted[middle] as number) <= ms) low = middle + 1;
        else high = middle;
      }
      return low / count;
    },
    quantile(q) {
      if (count === 0) return 0;
      const rank = Math.min(count, Math.max(1, Math.ceil(q * count)));
      return sorted[rank - 1] as number;
    },
  };
}

/**
 * A weighted mixture of distributions, e.g. over the tools likely to run next.
 *
 * @param parts - distributions with non-negative weights (normalised here).
 * @returns the mixture; its quantiles are found by bisection on its CDF.
 * @example
 * ```ts
 * const next = toMixture([{ weight: 3, distribution: pytest }, { weight: 1, distribution: ls }]);
 * next.cdf(2_000);
 * ```
 */
export function toMixture(
  parts: readonly { readonly weight: number; readonly distribution: DurationDistribution }[],
): DurationDistribution {
  const total = parts.reduce((sum, part) => sum + Math.max(0, part.weight), 0);
  const weighted = parts
    .filter((part) => part.weight > 0)
    .map((part) => ({ weight: part.weight / total, distribution: part.distribution }));
  if (weighted.length === 0) return fromSortedSamples([], 'mixture');
  if (weighted.length === 1) return (weighted[0] as (typeof weighted)[number]).distribution;
  const cdf = (ms: number) =>
    weighted.reduce((sum, part) => sum + part.weight * part.distribution.cdf(ms), 0);
  let upper = 0;
  for (const part of weighted) upper = Math.max(upper, part.distribution.quantile(1));
  return {
    samples: weighted.reduce((sum, part) => sum + part.distribution.samples, 0),
    mean: weighted.reduce((sum, part) => sum + part.weight * part.distribution.mean, 0),
    source: 'mixture',
    cdf,
    quantile(q) {
      let low = 0;
      let high = upper;
      for (let step = 0; step < 48 && high - low > 0.5; step++) {
        const middle = (low + high) / 2;
        if (cdf(middle) >= q) high = middle;
        else low = middle;
      }
      return high;
    },
  };
}
