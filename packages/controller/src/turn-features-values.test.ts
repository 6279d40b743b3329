import { describe, expect, it } from 'vitest';
import { extractTurnFeatures, toFeatureVector } from './turn-features.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

const base: TurnRecord = {
  turn: 4,
  text: 'Run it.',
  actions: [{ name: 'bash', arguments: 'ls' }],
  observations: [{ name: 'bash', status: 'error', text: 'no such file' }],
};

describe('extractTurnFeatures', () => {
  it('takes the lowest log-probability and the mean of the lowest ones, and the token counts', () => {
    const turn = toObservedTurn({
      ...base,
      lowestLogprobs: [-3, -1],
      usage: { inputTokens: 100, outputTokens: 20 },
    });
    // Mean of −3 and −1: −4 ÷ 2 = −2. 'bash ls' is 7 characters, 'no such file' 12, 'Run it.' 7.
    expect(extractTurnFeatures(turn, undefined)).toStrictEqual({
      turn: 4,
      lowestLogprob: -3,
      meanLowestLogprob: -2,
      inputTokens: 100,
      outputTokens: 20,
      outputChars: 7,
      actionCount: 1,
      actionChars: 7,
      observationChars: 12,
      errorCount: 1,
      actionSimilarity: 0,
      observationSimilarity: 0,
      repeatedAction: 0,
    });
  });

  it('gives null without log-probabilities (absent or none) or usage', () => {
    for (const lowestLogprobs of [undefined, []]) {
      const features = extractTurnFeatures(
        toObservedTurn({ ...base, ...(lowestLogprobs ? { lowestLogprobs } : {}) }),
        undefined,
      );
      expect(features.lowestLogprob).toBeNull();
      expect(features.meanLowestLogprob).toBeNull();
      expect(features.inputTokens).toBeNull();
      expect(features.outputTokens).toBeNull();
    }
  });

  it('compares with the previous turn: the same action is similar and repeated', () => {
    const turn = toObservedTurn(base);
    const features = extractTurnFeatures(turn, toObservedTurn({ ...base, turn: 3 }));
    expect([
      features.actionSimilarity,
      features.observationSimilarity,
      features.repeatedAction,
    ]).toEqual([1, 1, 1]);
  });
});

describe('toFeatureVector', () => {
  it('lists the features in order, null as NaN', () => {
    const turn = toObservedTurn({ ...base, lowestLogprobs: [-0.5] });
    expect(toFeatureVector(extractTurnFeatures(turn, undefined))).toEqual([
      4,
      -0.5,
      -0.5,
      Number.NaN,
      Number.NaN,
      7,
      1,
      7,
      12,
      1,
      0,
      0,
      0,
    ]);
  });
});
