import { describe, expect, it } from 'vitest';
import { fromSortedSamples, toMixture } from './duration-distribution.js';

describe('fromSortedSamples without samples', () => {
  it('puts every duration at 0: the CDF steps from 0 to 1 at 0 ms and every quantile is 0', () => {
    const empty = fromSortedSamples([], 'tool');
    expect(empty.samples).toBe(0);
    expect(empty.mean).toBe(0);
    expect(empty.source).toBe('tool');
    expect(empty.cdf(-1)).toBe(0);
    expect(empty.cdf(-0.001)).toBe(0);
    expect(empty.cdf(0)).toBe(1);
    expect(empty.cdf(0.001)).toBe(1);
    expect(empty.cdf(5_000)).toBe(1);
    expect(empty.quantile(0)).toBe(0);
    expect(empty.quantile(0.5)).toBe(0);
    expect(empty.quantile(1)).toBe(0);
  });
});

describe('toMixture', () => {
  const short = fromSortedSamples([1, 2, 3], 'tool'); // mean 6 / 3 = 2
  const long = fromSortedSamples([4, 5], 'tool'); // mean 9 / 2 = 4.5

  it('sums the samples of its parts and weights their means by the normalised weights', () => {
    const mixture = toMixture([
      { weight: 1, distribution: short },
      { weight: 3, distribution: long },
    ]);
    expect(mixture.source).toBe('mixture');
    expect(mixture.samples).toBe(5); // 3 + 2
    // weights 1/4 and 3/4: 0.25 * 2 + 0.75 * 4.5 = 0.5 + 3.375
    expect(mixture.mean).toBeCloseTo(3.875, 9);
    // CDF at 3: 0.25 * 1 + 0.75 * 0; at 4: 0.25 * 1 + 0.75 * 0.5
    expect(mixture.cdf(3)).toBeCloseTo(0.25, 9);
    expect(mixture.cdf(4)).toBeCloseTo(0.625, 9);
    expect(mixture.cdf(0)).toBe(0);
    expect(mixture.cdf(5)).toBe(1);
  });

  it('leaves out parts of weight 0 or below, from the samples, the mean and the CDF', () => {
    const other = fromSortedSamples([100], 'tool');
    const mixture = toMixture([
      { weight: 0, distribution: other },
      { weight: 1, distribution: short },
      { weight: -2, distribution: other },
      { weight: 1, distribution: long },
    ]);
    expect(mixture.samples).toBe(5); // 3 + 2, not the 1 of `other`
    // weights 1/2 and 1/2 (the negative weight does not reduce the total): 0.5 * 2 + 0.5 * 4.5
    expect(mixture.mean).toBeCloseTo(3.25, 9);
    expect(mixture.cdf(5)).toBe(1); // `other` (100 ms) takes no share
    expect(mixture.quantile(1)).toBe(5);
  });

  it('is the one distribution itself when only one part has a positive weight', () => {
    expect(toMixture([{ weight: 2, distribution: long }])).toBe(long);
    expect(
      toMixture([
        { weight: 0, distribution: short },
        { weight: 0.5, distribution: long },
      ]),
    ).toBe(long);
    expect(
      toMixture([
        { weight: -1, distribution: short },
        { weight: 4, distribution: long },
      ]),
    ).toBe(long);
  });

  it('is an empty mixture, every duration 0, when no part has a positive weight', () => {
    for (const parts of [[], [{ weight: 0, distribution: long }]]) {
      const mixture = toMixture(parts);
      expect(mixture.source).toBe('mixture');
      expect(mixture.samples).toBe(0);
      expect(mixture.mean).toBe(0);
      expect(mixture.cdf(-1)).toBe(0);
      expect(mixture.cdf(0)).toBe(1);
      expect(mixture.cdf(10)).toBe(1);
      expect(mixture.quantile(0.5)).toBe(0);
    }
  });

  it('finds a quantile by halving [0, largest sample] until the bracket is at most 0.5 ms wide', () => {
    // halves of 100 ms and 300 ms: the 0.5-quantile is 100 ms. Bisection on [0, 300]:
    // 150 up, 75 low, 112.5 up, 93.75 low, 103.125 up, 98.4375 low, 100.78125 up,
    // 99.609375 low, 100.1953125 up (width 0.5859375), 99.90234375 low (width 0.29296875): stop
    const mixture = toMixture([
      { weight: 1, distribution: fromSortedSamples([100], 'tool') },
      { weight: 1, distribution: fromSortedSamples([300], 'tool') },
    ]);
    expect(mixture.quantile(0.5)).toBe(100.1953125);
    // q = 1: every midpoint below 300 has CDF 0.5, so the upper end never moves
    expect(mixture.quantile(1)).toBe(300);
    // q = 0: the CDF at every midpoint is ≥ 0, so the upper end falls to the last midpoint:
    // 300 / 2^10 = 0.29296875 is the first width ≤ 0.5
    expect(mixture.quantile(0)).toBe(0.29296875);
  });

  it('stops as soon as the bracket is exactly 0.5 ms wide', () => {
    // 62.75 ms and 256 ms: 128 up, 64 up, 32 low, 48 low, 56 low, 60 low, 62 low, 63 up,
    // 62.5 low: the bracket [62.5, 63] is 0.5 wide, so 63 is returned, not 62.75
    const mixture = toMixture([
      { weight: 1, distribution: fromSortedSamples([62.75], 'tool') },
      { weight: 1, distribution: fromSortedSamples([256], 'tool') },
    ]);
    expect(mixture.quantile(0.5)).toBe(63);
  });

  it('takes a midpoint whose CDF equals q as the new upper end', () => {
    // 64 ms and 256 ms: 128 has CDF exactly 0.5, so it is an upper end; then 64 (CDF 0.5) is,
    // and the lower end climbs 32, 48, 56, 60, 62, 63, 63.5 below it
    const mixture = toMixture([
      { weight: 1, distribution: fromSortedSamples([64], 'tool') },
      { weight: 1, distribution: fromSortedSamples([256], 'tool') },
    ]);
    expect(mixture.quantile(0.5)).toBe(64);
  });

  it('halves at most 48 times, however wide the bracket still is', () => {
    // 1 ms and 2^50 ms: each midpoint 2^49, 2^48, … has CDF 0.5, so after 48 halvings the
    // upper end is 2^50 / 2^48 = 4 (the bracket [0, 4] is still wider than 0.5)
    const mixture = toMixture([
      { weight: 1, distribution: fromSortedSamples([1], 'tool') },
      { weight: 1, distribution: fromSortedSamples([2 ** 50], 'tool') },
    ]);
    expect(mixture.quantile(0.5)).toBe(4);
  });
});
