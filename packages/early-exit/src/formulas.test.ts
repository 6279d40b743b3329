import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import {
  CalibrationError,
  calibrateConformal,
  conformalPredictionSet,
  conformalQuantile,
  cosineSimilarity,
  createLexicalEmbedding,
  createLogisticProbe,
  extractAnswer,
  isConformalExit,
  normaliseAnswer,
  sigmoid,
  tokenEntropy,
  trainLogisticProbe,
} from './index.js';

describe('tokenEntropy', () => {
  it('is ln 2 for two equally likely alternatives', () => {
    const half = Math.log(0.5);
    const entropy = tokenEntropy({
      token: 'a',
      logprob: half,
      topLogprobs: [
        { token: 'a', logprob: half },
        { token: 'b', logprob: half },
      ],
    });
    expect(entropy).toBeCloseTo(Math.LN2, 12);
  });

  it('counts the mass the top list leaves out as one bucket', () => {
    // p = 0.5, 0.25 listed; 0.25 left out: H = 0.5 ln 2 + 0.25 ln 4 + 0.25 ln 4 = 1.5 ln 2.
    const entropy = tokenEntropy({
      token: 'a',
      logprob: Math.log(0.5),
      topLogprobs: [
        { token: 'a', logprob: Math.log(0.5) },
        { token: 'b', logprob: Math.log(0.25) },
      ],
    });
    expect(entropy).toBeCloseTo(1.5 * Math.LN2, 12);
  });

  it('is 0 for a certain token and NaN without alternatives', () => {
    expect(
      tokenEntropy({ token: 'a', logprob: 0, topLogprobs: [{ token: 'a', logprob: 0 }] }),
    ).toBe(0);
    expect(tokenEntropy({ token: 'a', logprob: -1 })).toBeNaN();
  });
});

describe('split-conformal calibration', () => {
  it('takes the ⌈(n+1)(1−δ)⌉-th smallest score', () => {
    // n = 4, δ = 0.25: rank ⌈5 · 0.75⌉ = ⌈3.75⌉ = 4.
    expect(conformalQuantile([0.1, 0.4, 0.2, 0.3], 0.25)).toBe(0.4);
    // n = 9, δ = 0.1: rank ⌈10 · 0.9⌉ = 9 exactly (no floating-point round-up to 10).
    expect(conformalQuantile([9, 1, 8, 2, 7, 3, 6, 4, 5], 0.1)).toBe(9);
    // n = 19, δ = 0.2: rank ⌈20 · 0.8⌉ = 16.
    expect(conformalQuantile([...Array(19).keys()].reverse(), 0.2)).toBe(15);
    // n = 3, δ = 0.1: rank 4 > n: no finite quantile.
    expect(conformalQuantile([0.1, 0.2, 0.3], 0.1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('scores 1 − p for correct cues and p for wrong ones', () => {
    // scores: 0.1, 0.3, 0.2 (wrong at p 0.2), 0.05, 0.4 (wrong at p 0.4); sorted
    // 0.05 0.1 0.2 0.3 0.4; n = 5, δ = 0.3: rank ⌈6 · 0.7⌉ = ⌈4.2⌉ = 5 → 0.4.
    const calibration = calibrateConformal({
      probabilities: [0.9, 0.7, 0.2, 0.95, 0.4],
      labels: [true, true, false, true, false],
      delta: 0.3,
    });
    expect(calibration).toEqual({ threshold: 0.4, delta: 0.3, samples: 5, rank: 5 });
  });

  it('exits only when the prediction set is {correct}', () => {
    expect(conformalPredictionSet(0.95, 0.2)).toEqual({ correct: true, incorrect: false });
    expect(conformalPredictionSet(0.6, 0.45)).toEqual({ correct: true, incorrect: false });
    expect(conformalPredictionSet(0.5, 0.6)).toEqual({ correct: true, incorrect: true });
    expect(conformalPredictionSet(0.1, 0.2)).toEqual({ correct: false, incorrect: true });
    expect(isConformalExit(0.95, 0.2)).toBe(true);
    expect(isConformalExit(0.6, 0.2)).toBe(false);
    expect(isConformalExit(0.5, 0.6)).toBe(false);
  });

  it('refuses too few samples for δ, naming the count needed', () => {
    const calibrate = () =>
      calibrateConformal({ probabilities: [0.9, 0.8], labels: [true, false], delta: 0.1 });
    expect(calibrate).toThrow(/2 calibration samples cannot certify δ = 0.1.*at least 9/);
    try {
      calibrate();
    } catch (error) {
      expect(CalibrationError.isInstance(error)).toBe(true);
      expect((error as CalibrationError).code).toBe('calibration');
    }
    expect(() => calibrateConformal({ probabilities: [1.2], labels: [true], delta: 0.5 })).toThrow(
      /outside \[0, 1\]/,
    );
    expect(() => conformalQuantile([0.1], 1)).toThrow(/delta must be in \(0, 1\)/);
  });

  it('takes probabilities 0 and 1 at face value and refuses any outside [0, 1], with n and δ', () => {
    // Scores: 1 − 1 = 0, 0 (wrong at p 0), 1 − 0.5 = 0.5; n = 3, δ = 0.5: rank ⌈4 · 0.5⌉ = 2.
    expect(
      calibrateConformal({ probabilities: [1, 0, 0.5], labels: [true, false, true], delta: 0.5 }),
    ).toEqual({ threshold: 0, delta: 0.5, samples: 3, rank: 2 });
    for (const bad of [-0.01, 1.01, Number.NaN]) {
      const error = thrownBy(() =>
        calibrateConformal({ probabilities: [0.5, bad], labels: [true, true], delta: 0.5 }),
      );
      expect(CalibrationError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ samples: 2, delta: 0.5 });
      expect((error as Error).message).toContain(`probabilities[1] is ${bad}, outside [0, 1]`);
    }
  });

  it('refuses labels that do not pair up with the probabilities, naming both counts', () => {
    const error = thrownBy(() =>
      calibrateConformal({ probabilities: [0.5, 0.6], labels: [true], delta: 0.5 }),
    );
    expect(CalibrationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ samples: 2, delta: 0.5 });
    expect((error as Error).message).toBe(
      'calibrateConformal received 2 probabilities but 1 labels. Pass one label per probability.',
    );
  });

  it('names n and δ in the error when too few samples certify δ', () => {
    const error = thrownBy(() =>
      calibrateConformal({ probabilities: [0.9, 0.8], labels: [true, false], delta: 0.1 }),
    );
    expect(error).toMatchObject({ samples: 2, delta: 0.1 });
  });
});

describe('logistic probe', () => {
  it('computes σ(w·(x − mean)/scale + b)', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-800)).toBe(0);
    const probe = createLogisticProbe({ weights: [2, -1], bias: 0.5, mean: [1, 0], scale: [2, 1] });
    // z = 0.5 + 2·(3 − 1)/2 − 1·1 = 1.5
    expect(probe.predict([3, 1])).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 12);
  });

  it('learns a separable rule and is deterministic', () => {
    const samples = Array.from({ length: 200 }, (_, index) => {
      const x = (index % 20) / 10 - 1;
      const y = ((index * 7) % 13) / 6.5 - 1;
      return { features: [x, y], label: x + 0.2 * y > 0 };
    });
    const probe = trainLogisticProbe(samples);
    const accuracy =
      samples.filter((sample) => probe.predict(sample.features) > 0.5 === sample.label).length /
      samples.length;
    expect(accuracy).toBeGreaterThan(0.95);
    expect(trainLogisticProbe(samples).weights).toEqual(probe.weights);
    expect(() => trainLogisticProbe([])).toThrow(/no samples/);
  });
});

describe('answers and embeddings', () => {
  it('extracts boxed, stated and plain answers', () => {
    expect(extractAnswer('So the final answer is \\boxed{42}.')).toBe('42');
    expect(extractAnswer('\\boxed{\\frac{1}{2}}')).toBe('\\frac{1}{2}');
    expect(extractAnswer('<think>maybe 3</think>\nAnswer: 17 apples.')).toBe('17 apples');
    expect(extractAnswer('<think>still thinking')).toBe('');
    expect(normaliseAnswer(' $1,200.00 ')).toBe('1200');
  });

  it('scores the same step close to 1 and a different step low', () => {
    const embedding = createLexicalEmbedding();
    const [a, b, c] = embedding.embed([
      'So the total cost is 3 times 14 which is 42 dollars.',
      'So the total cost is 3 times 14, which is 42 dollars.',
      'Now consider the train leaving the station at noon.',
    ]) as [number[], number[], number[]];
    expect(cosineSimilarity(a, b)).toBeCloseTo(1, 6);
    expect(cosineSimilarity(a, c)).toBeLessThan(0.3);
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });
});
