import { InvalidOptionsError, type TokenLogprob } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { confidenceFeatureNames, createConfidenceFeatureTracker } from './confidence-features.js';

const ln = Math.log;

/** A token of probability `p`, with top alternatives of the given probabilities when given. */
function token(p: number, top?: readonly number[]): TokenLogprob {
  return {
    token: 'x',
    logprob: ln(p),
    ...(top === undefined
      ? {}
      : { topLogprobs: top.map((q, index) => ({ token: `t${index}`, logprob: ln(q) })) }),
  };
}

/** −Σ q ln q: the entropy of a distribution that the top alternatives cover whole. */
const entropy = (top: readonly number[]) => -top.reduce((sum, q) => sum + q * ln(q), 0);
const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/** Features named, to compare with hand-computed values. */
function named(features: readonly number[]) {
  return Object.fromEntries(confidenceFeatureNames.map((name, index) => [name, features[index]]));
}

function expectFeatures(actual: readonly number[], expected: Record<string, number>) {
  const got = named(actual);
  for (const [name, value] of Object.entries(expected))
    expect(got[name], name).toBeCloseTo(value, 12);
}

describe('createConfidenceFeatureTracker', () => {
  it('reports zeros but for the counts before any token', () => {
    const tracker = createConfidenceFeatureTracker();
    expect(tracker.features()).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(tracker.tokens).toBe(0);
  });

  it('computes each feature over a window of 3 as it slides', () => {
    const tracker = createConfidenceFeatureTracker({ window: 3 });
    const t1 = [0.8, 0.2];
    const t3 = [0.25, 0.25, 0.25, 0.25];
    const t5 = [0.9, 0.1];
    const t6 = [0.3, 0.7];
    tracker.push(token(0.8, t1));
    tracker.push(token(0.4)); // no alternatives: no entropy
    tracker.push(token(0.25, t3));
    tracker.countCue();
    expectFeatures(tracker.features(), {
      meanLogprob: mean([ln(0.8), ln(0.4), ln(0.25)]),
      minLogprob: ln(0.25),
      meanEntropy: mean([entropy(t1), entropy(t3)]),
      uncertainShare: 2 / 3,
      traceMeanLogprob: mean([ln(0.8), ln(0.4), ln(0.25)]),
      logTokens: ln(4),
      logCues: ln(2),
    });

    tracker.push({ token: '?', logprob: Number.NaN }); // unknown: counted, not measured
    expect(tracker.tokens).toBe(4);
    tracker.push(token(0.9, t5)); // 0.8 leaves the window
    expectFeatures(tracker.features(), {
      meanLogprob: mean([ln(0.4), ln(0.25), ln(0.9)]),
      minLogprob: ln(0.25),
      meanEntropy: mean([entropy(t3), entropy(t5)]),
      uncertainShare: 2 / 3,
      traceMeanLogprob: mean([ln(0.8), ln(0.4), ln(0.25), ln(0.9)]),
      logTokens: ln(6),
    });

    tracker.push(token(0.3, t6)); // 0.4, without an entropy, leaves
    expectFeatures(tracker.features(), {
      meanLogprob: mean([ln(0.25), ln(0.9), ln(0.3)]),
      meanEntropy: mean([entropy(t3), entropy(t5), entropy(t6)]),
      uncertainShare: 2 / 3,
    });

    tracker.push(token(0.95)); // 0.25, uncertain and with an entropy, leaves
    expectFeatures(tracker.features(), {
      meanLogprob: mean([ln(0.9), ln(0.3), ln(0.95)]),
      minLogprob: ln(0.3),
      meanEntropy: mean([entropy(t5), entropy(t6)]),
      uncertainShare: 1 / 3,
    });

    // Probability 0.5 is not below one half: not uncertain.
    tracker.push(token(0.5, [0.5, 0.5]));
    expectFeatures(tracker.features(), {
      minLogprob: ln(0.3),
      meanEntropy: mean([entropy(t6), ln(2)]),
      uncertainShare: 1 / 3,
      traceMeanLogprob: mean([0.8, 0.4, 0.25, 0.9, 0.3, 0.95, 0.5].map(ln)),
      logTokens: ln(9),
      logCues: ln(2),
    });
    tracker.push(token(0.3));
    tracker.push(token(0.95));
    // Window: 0.5, 0.3 and 0.95; only 0.5 has alternatives.
    expectFeatures(tracker.features(), { uncertainShare: 1 / 3, meanEntropy: ln(2) });
    tracker.push(token(0.9));
    expectFeatures(tracker.features(), { uncertainShare: 1 / 3, meanEntropy: 0 });
  });

  it('covers the last 64 tokens by default', () => {
    const tracker = createConfidenceFeatureTracker();
    tracker.push(token(0.1));
    for (let index = 0; index < 64; index++) tracker.push(token(0.9));
    expectFeatures(tracker.features(), {
      meanLogprob: ln(0.9),
      minLogprob: ln(0.9),
      uncertainShare: 0,
      traceMeanLogprob: (ln(0.1) + 64 * ln(0.9)) / 65,
    });
  });

  it('writes into the array it is given, and forgets everything on reset', () => {
    const tracker = createConfidenceFeatureTracker({ window: 2 });
    tracker.push(token(0.4, [0.4, 0.6]));
    tracker.countCue();
    const into = [9, 9, 9, 9, 9, 9, 9];
    expect(tracker.features(into)).toBe(into);
    expectFeatures(into, { meanLogprob: ln(0.4), uncertainShare: 1, logCues: ln(2) });
    tracker.reset();
    expect(tracker.tokens).toBe(0);
    expect(tracker.features()).toEqual([0, 0, 0, 0, 0, 0, 0]);
    tracker.push(token(0.9));
    expectFeatures(tracker.features(), { meanLogprob: ln(0.9), traceMeanLogprob: ln(0.9) });
  });

  it.each([0, -3, 2.5, Number.NaN])('refuses a window of %s', (window) => {
    let error: unknown;
    try {
      createConfidenceFeatureTracker({ window });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'window',
      message: `window must be a positive integer number of tokens; received ${window}. Try 64.`,
    });
  });
});
