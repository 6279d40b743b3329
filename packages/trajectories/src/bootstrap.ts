import { createRandom as createControllerRandom, percentileOfSorted } from '@reins/controller';

/** A confidence interval: the estimate on all data and the bootstrap percentile bounds. */
export interface ConfidenceInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** e.g. 0.95. */
  readonly confidence: number;
}

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /**
   * Resamples drawn.
   * @defaultValue 1000
   */
  readonly samples?: number;
  /**
   * Seed of the resampling, so that reports are reproducible.
   * @defaultValue 1
   */
  readonly seed?: number;
  /**
   * Coverage of the interval.
   * @defaultValue 0.95
   */
  readonly confidence?: number;
}

/** Defaults of {@link BootstrapOptions}. */
export const defaultBootstrapOptions = Object.freeze({ samples: 1000, seed: 1, confidence: 0.95 });

/**
 * The seeded generator (mulberry32) of `@reins/controller`, so that the bootstrap here and the
 * planner's Monte Carlo draws are one implementation.
 * @example
 * ```ts
 * const random = createRandom(42);
 * random(); // 0.6011037519201636
 * ```
 */
export const createRandom: (seed: number) => () => number = createControllerRandom;

/**
 * Percentile bootstrap confidence intervals of statistics over a set of items (runs): the items
 * are resampled with replacement and each statistic recomputed on each resample.
 *
 * @param items - the items, e.g. per-run evaluations.
 * @param statistics - named functions of a sample.
 * @param options - resamples, seed, confidence.
 * @returns one interval per statistic.
 * @example
 * ```ts
 * const { mean } = bootstrapInterval([1, 2, 3, 4], {
 *   mean: (sample) => sample.reduce((a, b) => a + b, 0) / sample.length,
 * });
 * ```
 */
export function bootstrapInterval<TItem, TName extends string>(
  items: readonly TItem[],
  statistics: Readonly<Record<TName, (sample: readonly TItem[]) => number>>,
  options: BootstrapOptions = {},
): Record<TName, ConfidenceInterval> {
  const samples = options.samples ?? defaultBootstrapOptions.samples;
  const confidence = options.confidence ?? defaultBootstrapOptions.confidence;
  const random = createRandom(options.seed ?? defaultBootstrapOptions.seed);
  const names = Object.keys(statistics) as TName[];
  const draws = new Map<TName, number[]>(names.map((name) => [name, []]));
  const sample: TItem[] = new Array(items.length);
  for (let round = 0; round < samples && items.length > 0; round += 1) {
    for (let index = 0; index < items.length; index += 1)
      sample[index] = items[Math.floor(random() * items.length)] as TItem;
    for (const name of names) (draws.get(name) as number[]).push(statistics[name](sample));
  }
  const result = {} as Record<TName, ConfidenceInterval>;
  const tail = (1 - confidence) / 2;
  for (const name of names) {
    const values = (draws.get(name) as number[]).filter(Number.isFinite).sort((a, b) => a - b);
    const estimate = items.length === 0 ? Number.NaN : statistics[name](items);
    result[name] = {
      estimate,
      low: quantile(values, tail),
      high: quantile(values, 1 - tail),
      confidence,
    };
  }
  return result;
}

/**
 * The `q` quantile of sorted values: `percentileOfSorted` of `@reins/controller`, the one
 * percentile definition (linear interpolation, NaN when empty).
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export const quantile: (sorted: readonly number[], q: number) => number = percentileOfSorted;
