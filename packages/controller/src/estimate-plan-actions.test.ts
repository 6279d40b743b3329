import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import {
  choosePlanAction,
  estimatePlanActions,
  type PlanActionEstimate,
  selectPlanPool,
} from './estimate-plan-actions.js';
import type { PlanOutcome } from './plan-action.js';
import { createRandom } from './seeded-random.js';

/** A generator cycling through 0, 1/4, 2/4, 3/4: with 4 draws each run of a pool of 4 (or 2) is drawn equally often. */
function quarters(): () => number {
  let index = 0;
  return () => {
    const value = (index % 4) / 4;
    index += 1;
    return value;
  };
}

const run = (
  action: string,
  costUsd: number,
  seconds: number,
  turns: number,
  succeeded: boolean,
  kind?: string,
): PlanOutcome => ({
  action,
  costUsd,
  seconds,
  turns,
  succeeded,
  ...(kind === undefined ? {} : { kind }),
});

// Hand-made history: 'fast' is cheap and quick but its runs are short; 'careful' is dear.
const history: PlanOutcome[] = [
  run('fast', 1, 100, 10, true),
  run('fast', 2, 400, 20, true),
  run('fast', 0.5, 50, 5, false),
  run('fast', 4, 200, 40, true),
  run('careful', 6, 300, 30, true),
  run('careful', 8, 600, 40, true),
  run('careful', 3, 150, 15, true),
  run('careful', 10, 900, 50, false),
];
const actions = [{ name: 'fast' }, { name: 'careful' }];
const limits = { capUsd: 5, deadlineSeconds: 500 };

describe('estimatePlanActions (MCPP: P(success within budget B and deadline T) by Monte Carlo)', () => {
  it('at the start, counts the runs that succeeded within the cap and the deadline', () => {
    const [fast, careful] = estimatePlanActions(
      history,
      actions,
      { ...limits, spentUsd: 0, elapsedSeconds: 0, turnsDone: 0 },
      { random: quarters(), samples: 4 },
    );
    // fast: runs 1, 2 and 4 succeed within $5 and 500 s; run 3 failed.
    expect(fast).toEqual({
      action: 'fast',
      pool: 4,
      fromKind: false,
      pOnTime: 3 / 4,
      pSuccess: 3 / 4,
      meanRemainingUsd: (1 + 2 + 0.5 + 4) / 4,
      meanRemainingSeconds: (100 + 400 + 50 + 200) / 4,
    });
    // careful: $6 and $8 are over the cap, run 3 fits, run 4 failed.
    expect(careful).toMatchObject({
      pool: 4,
      pOnTime: 1 / 4,
      pSuccess: 3 / 4,
      meanRemainingUsd: 27 / 4,
    });
    expect(choosePlanAction([fast, careful] as PlanActionEstimate[]).action).toBe('fast');
  });

  it('mid-run, draws only runs still going and charges each its remaining share', () => {
    const [fast, careful] = estimatePlanActions(
      history,
      actions,
      { ...limits, spentUsd: 1.5, elapsedSeconds: 300, turnsDone: 10 },
      { random: quarters(), samples: 4 },
    );
    // fast: runs of 20 and 40 turns are left; their rests are ($1, 200 s) and ($3, 150 s):
    // 1.5 + 1 ≤ 5 and 300 + 200 ≤ 500 (equal counts); 1.5 + 3 ≤ 5 and 300 + 150 ≤ 500.
    expect(fast).toMatchObject({
      pool: 2,
      pOnTime: 1,
      meanRemainingUsd: 2,
      meanRemainingSeconds: 175,
    });
    // careful: rests ($4, 200 s) → $5.5 over; ($6, 450 s) over; ($1, 50 s) fits; the last failed.
    expect(careful).toMatchObject({ pool: 4, pOnTime: 1 / 4 });
  });

  it('re-plans to the other action once the time left no longer fits the first', () => {
    const estimates = estimatePlanActions(
      history,
      actions,
      { ...limits, spentUsd: 0.5, elapsedSeconds: 450, turnsDone: 10 },
      { random: quarters(), samples: 4 },
    );
    // fast: 450 + 200 and 450 + 150 are past 500 s. careful: only the 15-turn run, 450 + 50 = 500.
    expect(estimates.map((estimate) => estimate.pOnTime)).toEqual([0, 1 / 4]);
    expect(choosePlanAction(estimates).action).toBe('careful');
  });

  it('uses runs of the same kind once there are enough of them', () => {
    const kinded = [
      run('fast', 1, 10, 5, true, 'django'),
      run('fast', 1, 10, 5, false, 'flask'),
      run('fast', 1, 10, 5, false, 'flask'),
    ];
    const state = { ...limits, spentUsd: 0, elapsedSeconds: 0, turnsDone: 0 };
    expect(selectPlanPool(kinded, 'fast', { ...state, kind: 'flask' }, 2)).toEqual({
      outcomes: kinded.slice(1),
      fromKind: true,
    });
    expect(selectPlanPool(kinded, 'fast', { ...state, kind: 'django' }, 2)).toEqual({
      outcomes: kinded,
      fromKind: false,
    });
    const [flask] = estimatePlanActions(
      kinded,
      [{ name: 'fast' }],
      { ...state, kind: 'flask' },
      {
        random: quarters(),
        samples: 4,
        minKindSamples: 2,
      },
    );
    expect(flask?.pOnTime).toBe(0);
  });

  it('reports an action with no run left as impossible, and ranks it last', () => {
    const [fast] = estimatePlanActions(
      history,
      [{ name: 'fast' }],
      { ...limits, spentUsd: 0, elapsedSeconds: 0, turnsDone: 40 },
      { random: quarters(), samples: 4 },
    );
    expect(fast).toEqual({
      action: 'fast',
      pool: 0,
      fromKind: false,
      pOnTime: 0,
      pSuccess: 0,
      meanRemainingUsd: null,
      meanRemainingSeconds: null,
    });
  });

  it('converges to the exact probability with a seeded generator', () => {
    const [fast] = estimatePlanActions(
      history,
      [{ name: 'fast' }],
      { ...limits, spentUsd: 0, elapsedSeconds: 0, turnsDone: 0 },
      { random: createRandom(7), samples: 8000 },
    );
    expect(fast?.pOnTime).toBeCloseTo(0.75, 1);
    expect(Math.abs((fast?.pOnTime ?? 0) - 0.75)).toBeLessThan(0.02);
    const again = estimatePlanActions(
      history,
      [{ name: 'fast' }],
      { ...limits, spentUsd: 0, elapsedSeconds: 0, turnsDone: 0 },
      { random: createRandom(7), samples: 8000 },
    );
    expect(again[0]?.pOnTime).toBe(fast?.pOnTime);
  });

  it('names the bad value of a plan state', () => {
    const good = { ...limits, spentUsd: 0, elapsedSeconds: 0, turnsDone: 0 };
    for (const [field, value] of [
      ['capUsd', 0],
      ['deadlineSeconds', Number.NaN],
      ['spentUsd', -1],
      ['turnsDone', 1.5],
    ] as const) {
      let caught: unknown;
      try {
        estimatePlanActions(history, actions, { ...good, [field]: value }, { random: quarters() });
      } catch (error) {
        caught = error;
      }
      expect(InvalidOptionsError.isInstance(caught)).toBe(true);
      expect((caught as InvalidOptionsError).field).toBe(field);
      expect((caught as Error).message).toContain(String(value));
    }
    expect(() =>
      estimatePlanActions(history, actions, good, { random: quarters(), samples: 0 }),
    ).toThrow(/samples is 0/);
  });
});

describe('choosePlanAction', () => {
  const estimate = (
    action: string,
    pOnTime: number,
    meanRemainingUsd: number | null,
    meanRemainingSeconds: number | null = 1,
  ): PlanActionEstimate => ({
    action,
    pool: 1,
    fromKind: false,
    pOnTime,
    pSuccess: pOnTime,
    meanRemainingUsd,
    meanRemainingSeconds,
  });

  it('takes the highest chance, then the lower cost, then the lower time, then the first', () => {
    expect(choosePlanAction([estimate('a', 0.4, 1), estimate('b', 0.5, 9)]).action).toBe('b');
    expect(choosePlanAction([estimate('a', 0.5, 2), estimate('b', 0.5, 1)]).action).toBe('b');
    expect(choosePlanAction([estimate('a', 0.5, 1, 9), estimate('b', 0.5, 1, 3)]).action).toBe('b');
    expect(choosePlanAction([estimate('a', 0.5, 1), estimate('b', 0.5, 1)]).action).toBe('a');
    expect(choosePlanAction([estimate('a', 0, null, null), estimate('b', 0, 5)]).action).toBe('b');
  });

  it('refuses an empty list', () => {
    expect(() => choosePlanAction([])).toThrow(/no estimates/);
  });
});
