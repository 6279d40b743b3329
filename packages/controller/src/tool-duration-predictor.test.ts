import { InvalidOptionsError } from '@reins/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { share } from '../test/generators.js';
import { createToolDurationPredictor } from './tool-duration-predictor.js';

describe('createToolDurationPredictor', () => {
  it('gives nearest-rank quantiles and the empirical CDF of a key', () => {
    const predictor = createToolDurationPredictor({ minSamples: 4 });
    for (const durationMs of [400, 100, 300, 200]) predictor.observe({ key: 'k', durationMs });
    const d = predictor.distribution('k');
    expect(d.source).toBe('tool');
    expect([0.25, 0.5, 0.75, 1].map((q) => d.quantile(q))).toEqual([100, 200, 300, 400]);
    expect(d.cdf(250)).toBe(0.5);
    expect(d.cdf(99)).toBe(0);
    expect(d.mean).toBe(250);
  });

  it('matches a sorted reference for any samples (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 300 }),
        share(),
        (durations, q) => {
          const predictor = createToolDurationPredictor({ minSamples: 1, windowSize: 1000 });
          for (const durationMs of durations) predictor.observe({ key: 't', durationMs });
          const sorted = [...durations].sort((a, b) => a - b);
          const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
          const d = predictor.distribution('t');
          expect(d.quantile(q)).toBe(sorted[rank - 1]);
          const probe = sorted[rank - 1] as number;
          expect(d.cdf(probe)).toBe(
            sorted.filter((value) => value <= probe).length / sorted.length,
          );
        },
      ),
    );
  });

  it('uses the global prior until a key has minSamples samples', () => {
    const predictor = createToolDurationPredictor({ minSamples: 3 });
    for (let index = 0; index < 10; index++) predictor.observe({ key: 'ls', durationMs: 10 });
    predictor.observe({ key: 'pytest', durationMs: 9_000 });
    predictor.observe({ key: 'pytest', durationMs: 11_000 });
    expect(predictor.distribution('pytest').source).toBe('global');
    expect(predictor.distribution('pytest').quantile(0.5)).toBe(10);
    predictor.observe({ key: 'pytest', durationMs: 10_000 });
    expect(predictor.distribution('pytest').source).toBe('tool');
    expect(predictor.distribution('pytest').quantile(0.5)).toBe(10_000);
    expect(predictor.distribution('never-seen').source).toBe('global');
  });

  it('keeps bounded memory: a window per key, a key limit, a successor limit', () => {
    const predictor = createToolDurationPredictor({
      windowSize: 8,
      globalWindowSize: 16,
      maxKeys: 5,
      maxSuccessors: 3,
      minSamples: 1,
    });
    for (let index = 0; index < 1_000; index++) {
      predictor.observe({
        key: `k${index % 20}`,
        durationMs: index,
        previousKey: `k${(index + 7) % 20}`,
      });
    }
    expect(predictor.keys().length).toBe(5);
    for (const key of predictor.keys()) expect(predictor.sampleCount(key)).toBeLessThanOrEqual(8);
    expect(predictor.global().samples).toBe(16);
    // 20 keys in rotation through 5 slots: each key was dropped and came back with one sample
    expect(predictor.keys()).toEqual(['k15', 'k16', 'k17', 'k18', 'k19']);
    expect(predictor.sampleCount('k19')).toBe(1);
    expect(predictor.distribution('k19').quantile(0)).toBe(999);
  });

  it("forgets a key's old durations beyond its window", () => {
    const predictor = createToolDurationPredictor({ windowSize: 8, minSamples: 1 });
    for (let index = 0; index < 100; index++) predictor.observe({ key: 'k', durationMs: index });
    expect(predictor.sampleCount('k')).toBe(8);
    expect(predictor.distribution('k').quantile(0)).toBe(92);
    expect(predictor.distribution('k').quantile(1)).toBe(99);
  });

  it('predicts the next pause as a mixture over the tools that followed the last one', () => {
    const predictor = createToolDurationPredictor({ minSamples: 2 });
    predictor.seed([
      { key: 'sed', durationMs: 100, previousKey: 'pytest' },
      { key: 'sed', durationMs: 100, previousKey: 'pytest' },
      { key: 'pytest', durationMs: 8_000, previousKey: 'sed' },
      { key: 'pytest', durationMs: 8_000, previousKey: 'sed' },
      { key: 'pytest', durationMs: 8_000, previousKey: 'sed' },
      { key: 'ls', durationMs: 50, previousKey: 'sed' },
    ]);
    const afterSed = predictor.predictNext('sed');
    expect(afterSed.source).toBe('mixture');
    // 3 of 4 successors of sed were pytest (8 s); the other was ls, below minSamples (global prior)
    expect(afterSed.cdf(7_999)).toBeCloseTo(0.25 * predictor.global().cdf(7_999), 10);
    expect(afterSed.cdf(8_000)).toBe(1);
    expect(afterSed.quantile(0.9)).toBeGreaterThan(7_990);
    expect(predictor.predictNext('pytest').quantile(0.5)).toBe(100);
    expect(predictor.predictNext(undefined).source).toBe('global');
  });

  it('rejects sizes that are not positive integers, naming the field', () => {
    expect(() => createToolDurationPredictor({ windowSize: 0 })).toThrow(InvalidOptionsError);
    expect(() => createToolDurationPredictor({ maxKeys: 1.5 })).toThrow(/maxKeys must be/);
  });
});
