import { InvalidOptionsError } from '@reins/core';
import {
  type DurationDistribution,
  fromSortedSamples,
  toMixture,
} from './duration-distribution.js';

/** Options of {@link createToolDurationPredictor}. */
export interface ToolDurationPredictorOptions {
  /**
   * Most recent samples kept per tool key (older ones are forgotten).
   * @defaultValue 256
   */
  readonly windowSize?: number;
  /**
   * Most recent samples kept for the global prior, over all keys.
   * @defaultValue 4096
   */
  readonly globalWindowSize?: number;
  /**
   * Tool keys tracked; the least recently seen key is dropped beyond this.
   * @defaultValue 512
   */
  readonly maxKeys?: number;
  /**
   * Samples a key needs before its own distribution replaces the global prior (Continuum's
   * paper uses the global CDF below 100 samples).
   * @defaultValue 100
   */
  readonly minSamples?: number;
  /**
   * Successor keys remembered per key for predicting which tool runs next.
   * @defaultValue 16
   */
  readonly maxSuccessors?: number;
}

/** The documented defaults of {@link createToolDurationPredictor}. */
export const defaultToolDurationPredictorOptions = {
  windowSize: 256,
  globalWindowSize: 4096,
  maxKeys: 512,
  minSamples: 100,
  maxSuccessors: 16,
} as const satisfies Required<ToolDurationPredictorOptions>;

/** One recorded tool duration, e.g. from a past run. */
export interface ToolDurationSample {
  /** The tool key (see `toToolKey`). */
  readonly key: string;
  readonly durationMs: number;
  /** The key of the tool that ran before it in the same run, to learn which tool follows which. */
  readonly previousKey?: string;
}

/**
 * Online, bounded-memory prediction of tool durations per tool key. Each key keeps a ring of
 * its most recent durations (an empirical distribution: quantiles and CDF); until a key has
 * `minSamples` samples the global distribution over all keys stands in for it. It also counts
 * which key followed which, so the pause after a response that is not yet generated can be
 * predicted as a mixture over the likely next tools.
 */
export interface ToolDurationPredictor {
  /** Records one duration (and, with `previousKey`, one transition). */
  observe(sample: ToolDurationSample): void;
  /** Records many durations, e.g. from recorded runs. */
  seed(samples: Iterable<ToolDurationSample>): void;
  /** The key's distribution, or the global prior while it has fewer than `minSamples`. */
  distribution(key: string): DurationDistribution;
  /** The global distribution over every key. */
  global(): DurationDistribution;
  /**
   * The distribution of the next tool's duration, given the key of the tool that ran last: a
   * mixture of each likely successor's distribution weighted by how often it followed; the
   * global prior when nothing is known.
   */
  predictNext(previousKey?: string): DurationDistribution;
  /** Samples held for a key (at most `windowSize`). */
  sampleCount(key: string): number;
  /** Keys tracked, least recently seen first. */
  keys(): string[];
}

class Ring {
  readonly values: Float64Array;
  size = 0;
  next = 0;
  private sorted: Float64Array | undefined;

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  push(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    if (this.size < this.values.length) this.size++;
    this.sorted = undefined;
  }

  sortedValues(): Float64Array {
    if (this.sorted === undefined) this.sorted = this.values.slice(0, this.size).sort();
    return this.sorted;
  }
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidOptionsError(
      field,
      `${field} must be a positive integer; got ${String(value)}. Pass a whole number ≥ 1 or leave it out for the default.`,
    );
  }
  return value;
}

/**
 * Creates a tool-duration predictor.
 *
 * @param options - window sizes, key limit, samples needed before a key's own distribution is used.
 * @returns an empty predictor; `seed` it from recorded runs and `observe` each call's duration.
 * @throws {InvalidOptionsError} for a non-positive size.
 * @example
 * ```ts
 * const predictor = createToolDurationPredictor({ minSamples: 20 });
 * predictor.observe({ key: 'bash:pytest', durationMs: 8_400 });
 * predictor.distribution('bash:pytest').quantile(0.9);
 * predictor.predictNext('bash:sed').cdf(2_000); // P(the next tool finishes within 2 s)
 * ```
 */
export function createToolDurationPredictor(
  options: ToolDurationPredictorOptions = {},
): ToolDurationPredictor {
  const settings = { ...defaultToolDurationPredictorOptions, ...options };
  const windowSize = positiveInteger('windowSize', settings.windowSize);
  const globalWindowSize = positiveInteger('globalWindowSize', settings.globalWindowSize);
  const maxKeys = positiveInteger('maxKeys', settings.maxKeys);
  const maxSuccessors = positiveInteger('maxSuccessors', settings.maxSuccessors);
  const minSamples = settings.minSamples;
  if (!Number.isInteger(minSamples) || minSamples < 0) {
    throw new InvalidOptionsError(
      'minSamples',
      `minSamples must be a whole number ≥ 0; got ${String(minSamples)}.`,
    );
  }
  const globalRing = new Ring(globalWindowSize);
  const perKey = new Map<string, Ring>();
  const successors = new Map<string, Map<string, number>>();

  const touch = <T>(map: Map<string, T>, key: string, create: () => T): T => {
    let value = map.get(key);
    if (value === undefined) value = create();
    else map.delete(key);
    map.set(key, value);
    while (map.size > maxKeys) map.delete(map.keys().next().value as string);
    return value;
  };

  const observe = (sample: ToolDurationSample): void => {
    const duration = sample.durationMs;
    if (!Number.isFinite(duration) || duration < 0) return;
    globalRing.push(duration);
    touch(perKey, sample.key, () => new Ring(windowSize)).push(duration);
    if (sample.previousKey !== undefined) {
      const counts = touch(successors, sample.previousKey, () => new Map<string, number>());
      counts.set(sample.key, (counts.get(sample.key) ?? 0) + 1);
      if (counts.size > maxSuccessors) {
        let rarest: string | undefined;
        let fewest = Number.POSITIVE_INFINITY;
        for (const [key, count] of counts) {
          if (key !== sample.key && count < fewest) {
            fewest = count;
            rarest = key;
          }
        }
        if (rarest !== undefined) counts.delete(rarest);
      }
      let total = 0;
      for (const count of counts.values()) total += count;
      if (total > 4 * windowSize) for (const [key, count] of counts) counts.set(key, count / 2);
    }
  };

  const global = () => fromSortedSamples(globalRing.sortedValues(), 'global');
  const distribution = (key: string): DurationDistribution => {
    const ring = perKey.get(key);
    if (ring === undefined || ring.size < minSamples || ring.size === 0) return global();
    return fromSortedSamples(ring.sortedValues(), 'tool');
  };

  return {
    observe,
    seed(samples) {
      for (const sample of samples) observe(sample);
    },
    distribution,
    global,
    predictNext(previousKey) {
      const counts = previousKey === undefined ? undefined : successors.get(previousKey);
      if (counts === undefined || counts.size === 0) return global();
      return toMixture(
        [...counts].map(([key, weight]) => ({ weight, distribution: distribution(key) })),
      );
    },
    sampleCount: (key) => perKey.get(key)?.size ?? 0,
    keys: () => [...perKey.keys()],
  };
}
