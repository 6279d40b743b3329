import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownAs } from '../../../scripts/thrown-by.js';
import { createToolDurationPredictor } from './tool-duration-predictor.js';

/** What `run` threw, as an InvalidOptionsError (any other outcome fails the test). */
const refusal = (run: () => unknown) => thrownAs(InvalidOptionsError, run);

describe('createToolDurationPredictor options', () => {
  it.each([
    ['windowSize', { windowSize: 0 }, '0'],
    ['globalWindowSize', { globalWindowSize: -3 }, '-3'],
    ['maxKeys', { maxKeys: 2.5 }, '2.5'],
    ['maxSuccessors', { maxSuccessors: 0 }, '0'],
  ] as const)('rejects a %s that is not a positive integer, naming it', (field, options, seen) => {
    const error = refusal(() => createToolDurationPredictor(options));
    expect(error.field).toBe(field);
    expect(error.message).toBe(
      `${field} must be a positive integer; got ${seen}. Pass a whole number ≥ 1 or leave it out for the default.`,
    );
  });

  it('accepts 1 for every size', () => {
    const predictor = createToolDurationPredictor({
      windowSize: 1,
      globalWindowSize: 1,
      maxKeys: 1,
      maxSuccessors: 1,
      minSamples: 1,
    });
    predictor.observe({ key: 'a', durationMs: 5 });
    predictor.observe({ key: 'a', durationMs: 7 });
    expect(predictor.sampleCount('a')).toBe(1);
    expect(predictor.distribution('a').quantile(1)).toBe(7);
    expect(predictor.global().samples).toBe(1);
  });

  it('rejects a negative or fractional minSamples, naming it, and accepts 0', () => {
    for (const [minSamples, seen] of [
      [-1, '-1'],
      [0.5, '0.5'],
      [Number.NaN, 'NaN'],
    ] as const) {
      const error = refusal(() => createToolDurationPredictor({ minSamples }));
      expect(error.field).toBe('minSamples');
      expect(error.message).toBe(`minSamples must be a whole number ≥ 0; got ${seen}.`);
    }
    const predictor = createToolDurationPredictor({ minSamples: 0 });
    predictor.observe({ key: 'a', durationMs: 3 });
    expect(predictor.distribution('a').source).toBe('tool');
    // a key never seen has no samples of its own: the global prior stands in even at 0
    expect(predictor.distribution('b').source).toBe('global');
  });

  it('uses the documented defaults', () => {
    const predictor = createToolDurationPredictor();
    for (let index = 0; index < 99; index++) predictor.observe({ key: 'k', durationMs: index });
    expect(predictor.distribution('k').source).toBe('global'); // 99 < 100
    predictor.observe({ key: 'k', durationMs: 99 });
    expect(predictor.distribution('k').source).toBe('tool');
    for (let index = 100; index < 300; index++) predictor.observe({ key: 'k', durationMs: index });
    expect(predictor.sampleCount('k')).toBe(256);
    expect(predictor.distribution('k').quantile(0)).toBe(44); // 300 - 256
  });
});

describe('observe', () => {
  it('ignores durations that are negative, NaN or infinite, and records 0', () => {
    const predictor = createToolDurationPredictor({ minSamples: 1 });
    for (const durationMs of [-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY, -Infinity])
      predictor.observe({ key: 'k', durationMs, previousKey: 'p' });
    expect(predictor.sampleCount('k')).toBe(0);
    expect(predictor.keys()).toEqual([]);
    expect(predictor.global().samples).toBe(0);
    expect(predictor.predictNext('p').source).toBe('global');
    predictor.observe({ key: 'k', durationMs: 0 });
    expect(predictor.sampleCount('k')).toBe(1);
    expect(predictor.global().samples).toBe(1);
  });

  it('counts 0 samples for a key never seen', () => {
    const predictor = createToolDurationPredictor();
    expect(predictor.sampleCount('never')).toBe(0);
    predictor.observe({ key: 'seen', durationMs: 1 });
    expect(predictor.sampleCount('never')).toBe(0);
    expect(predictor.sampleCount('seen')).toBe(1);
  });

  it('learns no transition from a sample without a previous key', () => {
    // maxKeys 2 also bounds the keys whose successors are remembered: x, then b
    const predictor = createToolDurationPredictor({ maxKeys: 2, minSamples: 1 });
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'x' });
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'b' });
    predictor.observe({ key: 'a', durationMs: 100 });
    predictor.observe({ key: 'z', durationMs: 5_000 });
    // x is still remembered as followed by a (a third remembered key would have dropped it)
    const afterX = predictor.predictNext('x');
    expect(afterX.source).toBe('tool');
    expect(afterX.quantile(0.5)).toBe(100);
    expect(predictor.predictNext().source).toBe('global');
  });
});

describe('successors', () => {
  /** A predictor in which a, b, c, d last 100, 200, 300 and 400 ms. */
  function withDurations(maxSuccessors: number) {
    const predictor = createToolDurationPredictor({ minSamples: 1, maxSuccessors });
    for (const [key, durationMs] of [
      ['a', 100],
      ['b', 200],
      ['c', 300],
      ['d', 400],
    ] as const)
      predictor.observe({ key, durationMs });
    return predictor;
  }

  it('keeps up to maxSuccessors successors without dropping any', () => {
    const predictor = withDurations(2);
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'p' });
    predictor.observe({ key: 'b', durationMs: 200, previousKey: 'p' });
    const next = predictor.predictNext('p');
    expect(next.source).toBe('mixture');
    // a and b, once each: half the mass at 100 ms, half at 200 ms
    expect(next.cdf(100)).toBeCloseTo(0.5, 9);
    expect(next.cdf(200)).toBe(1);
    expect(next.samples).toBe(4); // a and b now hold 2 samples each
  });

  it('drops the rarest other successor beyond maxSuccessors, the first seen among equals', () => {
    const predictor = withDurations(2);
    for (const key of ['a', 'b', 'c'] as const)
      predictor.observe({ key, durationMs: 100 * (key.charCodeAt(0) - 96), previousKey: 'p' });
    // {a: 1, b: 1, c: 1} is one too many: a (first of the rarest, and not c) goes
    const next = predictor.predictNext('p');
    expect(next.cdf(100)).toBe(0);
    expect(next.cdf(200)).toBeCloseTo(0.5, 9);
    expect(next.cdf(300)).toBe(1);
  });

  it('drops the successor seen least often, even when it is not the first', () => {
    const predictor = withDurations(2);
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'p' });
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'p' });
    predictor.observe({ key: 'b', durationMs: 200, previousKey: 'p' });
    predictor.observe({ key: 'c', durationMs: 300, previousKey: 'p' });
    // {a: 2, b: 1, c: 1}: b goes, c (the newest) stays; weights 2/3 and 1/3
    const next = predictor.predictNext('p');
    expect(next.cdf(100)).toBeCloseTo(2 / 3, 9);
    expect(next.cdf(299)).toBeCloseTo(2 / 3, 9);
    expect(next.cdf(300)).toBe(1);
  });

  it('keeps the newest successor even when it is the rarest', () => {
    const predictor = withDurations(1);
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'p' });
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'p' });
    predictor.observe({ key: 'd', durationMs: 400, previousKey: 'p' });
    // {a: 2, d: 1}: a goes although d is rarer; only d remains
    const next = predictor.predictNext('p');
    expect(next.source).toBe('tool');
    expect(next.quantile(0)).toBe(400);
  });

  it('halves every count once they sum to more than 4 × windowSize', () => {
    const predictor = createToolDurationPredictor({ windowSize: 1, minSamples: 1 });
    for (let index = 0; index < 5; index++)
      predictor.observe({ key: 'a', durationMs: 100, previousKey: 'p' });
    predictor.observe({ key: 'b', durationMs: 200, previousKey: 'p' });
    // a: 1, 2, 3, 4 (a sum of 4 is not more than 4), 5 → halved to 2.5; then b: 1 (sum 3.5)
    // weights 2.5 / 3.5 = 5/7 and 1 / 3.5 = 2/7
    const next = predictor.predictNext('p');
    expect(next.cdf(100)).toBeCloseTo(5 / 7, 9);
    expect(next.cdf(200)).toBe(1);
  });

  it('sums every count before halving', () => {
    const predictor = createToolDurationPredictor({ windowSize: 1, minSamples: 1 });
    for (const key of ['a', 'b', 'a', 'b'] as const)
      predictor.observe({ key, durationMs: key === 'a' ? 100 : 200, previousKey: 'p' });
    // {a: 2, b: 2}: a sum of 4, not halved; one more a makes {a: 3, b: 2}, sum 5 → {1.5, 1}
    predictor.observe({ key: 'a', durationMs: 100, previousKey: 'p' });
    predictor.observe({ key: 'b', durationMs: 200, previousKey: 'p' });
    // then b: {1.5, 2}, sum 3.5; weights 1.5 / 3.5 = 3/7 and 2 / 3.5 = 4/7
    expect(predictor.predictNext('p').cdf(100)).toBeCloseTo(3 / 7, 9);
  });
});
