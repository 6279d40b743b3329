import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createView } from '../test/replay.js';
import {
  chooseFailureThreshold,
  createFailurePredictor,
  type FailurePredictorOptions,
} from './failure-predictor.js';
import type { TurnFeatures } from './turn-features.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

const turnOf = (turn: number): TurnRecord => ({
  turn,
  text: 'Running the tests.',
  actions: [{ name: 'bash', arguments: 'pytest -q' }],
  observations: [{ name: 'bash', status: 'ok', text: '1 passed' }],
});

function observeTurns(options: FailurePredictorOptions, count: number, state?: unknown) {
  const session = createFailurePredictor(options).open({ runId: 'r', task: 't', state });
  const view = createView();
  const results = Array.from({ length: count }, (_, index) =>
    session.observe(toObservedTurn(turnOf(index + 1)), view),
  );
  return { session, results };
}

describe('createFailurePredictor options', () => {
  it('names the wrong field', () => {
    const score = () => 0;
    expect(
      thrownBy(() => createFailurePredictor({} as unknown as FailurePredictorOptions)),
    ).toMatchObject({ name: 'InvalidOptionsError', field: 'score' });
    expect(thrownBy(() => createFailurePredictor({ score, threshold: 2 }))).toMatchObject({
      name: 'InvalidOptionsError',
      field: 'threshold',
    });
  });

  it('needs a scorer', () => {
    expect(() => createFailurePredictor(undefined as unknown as FailurePredictorOptions)).toThrow(
      InvalidOptionsError,
    );
    expect(() =>
      createFailurePredictor({ threshold: 0.5 } as unknown as FailurePredictorOptions),
    ).toThrow(/needs score: \(features, previous\) => P\(fail\)/);
  });

  it('takes a threshold in [0, 1], both ends included, and names a wrong one', () => {
    const score = () => 0;
    expect(() => createFailurePredictor({ score, threshold: 0 })).not.toThrow();
    expect(() => createFailurePredictor({ score, threshold: 1 })).not.toThrow();
    for (const bad of [-0.01, 1.01, Number.NaN, 2])
      expect(() => createFailurePredictor({ score, threshold: bad })).toThrow(
        new RegExp(`threshold is ${String(bad)}; use a probability in \\[0, 1\\]`),
      );
  });
});

describe('createFailurePredictor findings', () => {
  it('reports from turn minTurns (3 by default), at a probability equal to the threshold', () => {
    const { results } = observeTurns({ score: () => 0.8, threshold: 0.8 }, 4);
    expect(results.map((found) => found?.map((finding) => finding.turn))).toEqual([
      undefined,
      undefined,
      [3],
      [4],
    ]);
    // Just under the threshold: nothing.
    expect(observeTurns({ score: () => 0.79, threshold: 0.8 }, 4).results).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('reports the whole finding', () => {
    const { results } = observeTurns({ score: () => 0.9, threshold: 0.8, minTurns: 1 }, 1);
    expect(results[0]).toStrictEqual([
      {
        monitor: 'predicted-failure',
        category: 'predicted-failure',
        pattern: 'scorer-threshold',
        event: 'failure.predicted',
        message: 'The run is predicted to fail (P = 0.900 ≥ 0.8).',
        turn: 1,
        evidence: { probability: 0.9, threshold: 0.8 },
      },
    ]);
  });

  it('hands the scorer the features of the last `window` turns, 5 by default', () => {
    const seen: number[][] = [];
    const score = (_: TurnFeatures, previous: readonly TurnFeatures[]) => {
      seen.push(previous.map((features) => features.turn));
      return 0;
    };
    observeTurns({ score, threshold: 1 }, 7);
    expect(seen).toEqual([
      [],
      [1],
      [1, 2],
      [1, 2, 3],
      [1, 2, 3, 4],
      [1, 2, 3, 4, 5],
      [2, 3, 4, 5, 6],
    ]);
    seen.length = 0;
    observeTurns({ score, threshold: 1, window: 2 }, 5);
    expect(seen).toEqual([[], [1], [1, 2], [2, 3], [3, 4]]);
  });

  it('gives back the saved last turn in a snapshot taken before any new turn', () => {
    const options = { score: () => 0, threshold: 1 };
    const saved = observeTurns(options, 2).session.snapshot() as { last: unknown };
    expect(saved.last).not.toBeNull();
    expect(observeTurns(options, 0, saved).session.snapshot()).toStrictEqual(saved);
  });
});

describe('chooseFailureThreshold', () => {
  it('reports its rates over the failed and the successful runs', () => {
    // 0.9 and 0.8 failed, 0.1 succeeded; target 0: at 0.8 both failures stopped (2 / 2), no
    // success stopped (0 / 1); 0.1 would stop the success (1 / 1 > 0).
    const runs = [
      { score: 0.9, failed: true },
      { score: 0.8, failed: true },
      { score: 0.1, failed: false },
    ];
    expect(chooseFailureThreshold(runs, { maxFalsePositiveRate: 0 })).toEqual({
      threshold: 0.8,
      truePositiveRate: 1,
      falsePositiveRate: 0,
    });
  });

  it('keeps the highest threshold among equal true-positive rates', () => {
    // At 0.9: TPR 1 / 1, FPR 0 / 2; at 0.6: TPR 1, FPR 1 / 2 (within 0.5) — not better.
    const runs = [
      { score: 0.9, failed: true },
      { score: 0.6, failed: false },
      { score: 0.3, failed: false },
    ];
    expect(chooseFailureThreshold(runs, { maxFalsePositiveRate: 0.5 })).toEqual({
      threshold: 0.9,
      truePositiveRate: 1,
      falsePositiveRate: 0,
    });
  });

  it('chooses no threshold without failed runs', () => {
    const none = { threshold: Number.POSITIVE_INFINITY, truePositiveRate: 0, falsePositiveRate: 0 };
    expect(chooseFailureThreshold([], { maxFalsePositiveRate: 0.1 })).toEqual(none);
    expect(
      chooseFailureThreshold([{ score: 0.5, failed: false }], { maxFalsePositiveRate: 1 }),
    ).toEqual(none);
  });
});
