import { describe, expect, it } from 'vitest';
import {
  type DriftSums,
  emptyDriftSums,
  estimateDriftRates,
  poolDriftSums,
} from './contract-drift.js';

/** Sums of pairs (D(t), D(t+1) − D(t)), over as many steps as given. */
function sumsOf(
  pairs: readonly (readonly [number, number])[],
  steps: number,
  sum: number,
  max: number,
): DriftSums {
  const sums = emptyDriftSums();
  sums.steps = steps;
  sums.sum = sum;
  sums.max = max;
  for (const [x, y] of pairs) {
    sums.pairs += 1;
    sums.sumX += x;
    sums.sumY += y;
    sums.sumXX += x * x;
    sums.sumXY += x * y;
  }
  return sums;
}

describe('pooling drift sums', () => {
  it('adds every field, keeps the larger maximum and drops previous', () => {
    const a: DriftSums = {
      steps: 4,
      sum: 1.5,
      max: 0.75,
      pairs: 3,
      sumX: 1,
      sumY: 0.25,
      sumXX: 0.5,
      sumXY: -0.25,
      previous: 0.5,
    };
    const b: DriftSums = {
      steps: 6,
      sum: 2,
      max: 0.5,
      pairs: 5,
      sumX: 2,
      sumY: -0.5,
      sumXX: 1.25,
      sumXY: 0.75,
      previous: 0,
    };
    expect(poolDriftSums([a, b])).toEqual({
      steps: 10, // 4 + 6
      sum: 3.5, // 1.5 + 2
      max: 0.75, // max(0.75, 0.5)
      pairs: 8, // 3 + 5
      sumX: 3, // 1 + 2
      sumY: -0.25, // 0.25 − 0.5
      sumXX: 1.75, // 0.5 + 1.25
      sumXY: 0.5, // −0.25 + 0.75
      previous: null,
    });
    expect(poolDriftSums([b, a]).max).toBe(0.75);
  });

  it('pools nothing into empty sums', () => {
    expect(poolDriftSums([])).toEqual(emptyDriftSums());
  });
});

describe('estimating the drift rates', () => {
  it('gives mean 0 and no rates without a step', () => {
    expect(estimateDriftRates(emptyDriftSums())).toEqual({
      steps: 0,
      mean: 0,
      max: 0,
      alpha: null,
      gamma: null,
      bound: null,
      bounded: null,
    });
  });

  it('gives the mean and maximum but no rates with one step', () => {
    expect(estimateDriftRates(sumsOf([], 1, 0.5, 0.5))).toEqual({
      steps: 1,
      mean: 0.5,
      max: 0.5,
      alpha: null,
      gamma: null,
      bound: null,
      bounded: null,
    });
  });

  it('with D(t) constant, α is the mean change and γ is unknown', () => {
    // D = 0.5, 0.5 then pooled with D = 0.5 → 1: pairs (0.5, 0), (0.5, 0.5): Σy = 0.5, n = 2, α = 0.25.
    expect(
      estimateDriftRates(
        sumsOf(
          [
            [0.5, 0],
            [0.5, 0.5],
          ],
          4,
          2,
          1,
        ),
      ),
    ).toEqual({
      steps: 4,
      mean: 0.5, // 2 / 4
      max: 1,
      alpha: 0.25,
      gamma: null,
      bound: null,
      bounded: null,
    });
  });

  it('fits α and γ when both Σx and Σy are non-zero', () => {
    // Pairs (0, 0.5), (0.5, 0.5), (1, −0.5): n = 3, Σx = 1.5, Σy = 0.5, Σx² = 1.25, Σxy = −0.25.
    // slope = (3·(−0.25) − 1.5·0.5) / (3·1.25 − 2.25) = (−0.75 − 0.75) / 1.5 = −1 → γ = 1;
    // α = (0.5 + 1·1.5) / 3 = 2/3; D* = 2/3; γ > α.
    const rates = estimateDriftRates(
      sumsOf(
        [
          [0, 0.5],
          [0.5, 0.5],
          [1, -0.5],
        ],
        4,
        2,
        1,
      ),
    );
    expect(rates.gamma).toBeCloseTo(1, 12);
    expect(rates.alpha).toBeCloseTo(2 / 3, 12);
    expect(rates.bound).toBeCloseTo(2 / 3, 12);
    expect(rates.bounded).toBe(true);
  });

  it('has no bound when γ is 0 (no recovery), and none when γ is negative', () => {
    // Pairs (0, 0.5), (1, 0.5): slope = (2·0.5 − 1·1) / (2·1 − 1) = 0, γ = 0, α = 1/2.
    const flat = estimateDriftRates(
      sumsOf(
        [
          [0, 0.5],
          [1, 0.5],
        ],
        3,
        1.5,
        1,
      ),
    );
    expect(flat.gamma === 0).toBe(true);
    expect(flat.alpha).toBe(0.5);
    expect(flat.bound).toBeNull();
    expect(flat.bounded).toBe(false);
    // Pairs (0, 0), (1, 0.5): slope = (2·0.5 − 1·0.5) / 1 = 0.5, γ = −0.5, α = (0.5 − 0.5) / 2 = 0.
    const growing = estimateDriftRates(
      sumsOf(
        [
          [0, 0],
          [1, 0.5],
        ],
        3,
        1.5,
        1,
      ),
    );
    expect(growing.gamma).toBe(-0.5);
    expect(growing.alpha).toBe(0);
    expect(growing.bound).toBeNull();
    expect(growing.bounded).toBe(false);
  });

  it('is bounded only when γ is strictly greater than α', () => {
    // Pairs (0, 0.5), (1, 0): slope = (0 − 1·0.5) / 1 = −0.5, γ = 0.5, α = (0.5 + 0.5) / 2 = 0.5.
    const even = estimateDriftRates(
      sumsOf(
        [
          [0, 0.5],
          [1, 0],
        ],
        3,
        1.5,
        1,
      ),
    );
    expect(even.gamma).toBe(0.5);
    expect(even.alpha).toBe(0.5);
    expect(even.bound).toBe(1);
    expect(even.bounded).toBe(false);
  });

  it('treats a variance of D(t) within 1e-12 of n·ΣD² (at least 1e-12) as none', () => {
    const base = { ...emptyDriftSums(), steps: 3, sum: 0, max: 0, pairs: 2, sumX: 0, sumY: 1 };
    // n·Σx² − (Σx)² = 2·5e-13 = 1e-12 exactly at the floor of the tolerance: no γ; α = 1/2.
    expect(estimateDriftRates({ ...base, sumXX: 5e-13 })).toMatchObject({
      alpha: 0.5,
      gamma: null,
    });
    // 2·6e-13 = 1.2e-12 > 1e-12: a slope is fitted (Σxy = 0 → slope 0, γ = 0).
    expect(estimateDriftRates({ ...base, sumXX: 6e-13 }).gamma).not.toBeNull();
    // The tolerance is relative: n·Σx² = 1e6 + 5e-7, (Σx)² = 1e6, variance 5e-7 ≤ 1e-12·1e6.
    const large = { ...base, sumX: 1000, sumXX: (1e6 + 5e-7) / 2 };
    expect(estimateDriftRates(large)).toMatchObject({ alpha: 0.5, gamma: null, bound: null });
  });
});
