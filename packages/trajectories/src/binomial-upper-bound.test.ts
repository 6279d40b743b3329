import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialUpperBound } from './binomial-upper-bound.js';

describe('binomialUpperBound', () => {
  it('matches the closed form with no events and known Clopper–Pearson values', () => {
    // With no events the bound solves (1 - p)^n = 1 - confidence.
    expect(binomialUpperBound(0, 100, 0.95)).toBeCloseTo(1 - 0.05 ** (1 / 100), 6);
    expect(binomialUpperBound(0, 185, 0.8)).toBeCloseTo(1 - 0.2 ** (1 / 185), 6);
    // SciPy: beta.ppf(0.95, k + 1, n - k), the Clopper–Pearson upper bound.
    expect(binomialUpperBound(1, 185, 0.95)).toBeCloseTo(0.0253845, 6);
    expect(binomialUpperBound(5, 232, 0.95)).toBeCloseTo(0.0447781, 6);
    expect(binomialUpperBound(3, 3, 0.95)).toBe(1);
    expect(binomialUpperBound(0, 0, 0.95)).toBe(1);
  });

  it('lies above the observed rate and grows with the events and the confidence', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 400 })
          .chain((trials) =>
            fc.tuple(fc.constant(trials), fc.integer({ min: 0, max: trials - 1 })),
          ),
        ([trials, events]) => {
          const bound = binomialUpperBound(events, trials, 0.95);
          expect(bound).toBeGreaterThan(events / trials);
          expect(binomialUpperBound(events + 1, trials, 0.95)).toBeGreaterThanOrEqual(bound);
          expect(binomialUpperBound(events, trials, 0.99)).toBeGreaterThan(bound);
        },
      ),
      { numRuns: 200 },
    );
  });
});
