import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import {
  choosePlanAction,
  estimatePlanActions,
  type PlanActionEstimate,
  type PlanState,
  selectPlanPool,
} from './estimate-plan-actions.js';
import type { PlanOutcome } from './plan-action.js';

const first = () => 0;
const start: PlanState = {
  capUsd: 5,
  deadlineSeconds: 500,
  spentUsd: 0,
  elapsedSeconds: 0,
  turnsDone: 0,
};

const refusal = (call: () => unknown): InvalidOptionsError => {
  try {
    call();
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('the call was accepted');
};

const estimateOf = (
  action: string,
  pOnTime: number,
  meanRemainingUsd: number | null,
  meanRemainingSeconds: number | null,
): PlanActionEstimate => ({
  action,
  pool: meanRemainingUsd === null ? 0 : 1,
  fromKind: false,
  pOnTime,
  pSuccess: pOnTime,
  meanRemainingUsd,
  meanRemainingSeconds,
});

describe('estimatePlanActions state checks', () => {
  const stateRefusal = (state: Record<string, unknown>) =>
    refusal(() =>
      estimatePlanActions([], [{ name: 'quick' }], { ...start, ...state } as PlanState, {
        random: first,
      }),
    );

  it('needs a positive deadline, naming it and the value', () => {
    expect(stateRefusal({ deadlineSeconds: 0 })).toMatchObject({
      field: 'deadlineSeconds',
      message: "The plan state's deadlineSeconds is 0; use a positive number of seconds.",
    });
    expect(stateRefusal({ capUsd: 0 })).toMatchObject({
      field: 'capUsd',
      message: "The plan state's capUsd is 0; use a positive number of US dollars.",
    });
  });

  it('refuses an infinite cap or deadline and a number given as text', () => {
    expect(stateRefusal({ capUsd: Number.POSITIVE_INFINITY })).toMatchObject({
      field: 'capUsd',
      message: "The plan state's capUsd is Infinity; use a positive number of US dollars.",
    });
    expect(stateRefusal({ deadlineSeconds: Number.POSITIVE_INFINITY }).field).toBe(
      'deadlineSeconds',
    );
    expect(stateRefusal({ capUsd: '5' }).field).toBe('capUsd');
    expect(stateRefusal({ spentUsd: '0' }).field).toBe('spentUsd');
  });

  it('accepts zero spent, elapsed and turns done', () => {
    expect(estimatePlanActions([], [{ name: 'quick' }], start, { random: first })).toEqual([
      {
        action: 'quick',
        pool: 0,
        fromKind: false,
        pOnTime: 0,
        pSuccess: 0,
        meanRemainingUsd: null,
        meanRemainingSeconds: null,
      },
    ]);
  });

  it('names samples when the draws are not a whole positive number', () => {
    for (const samples of [0, 1.5, -1]) {
      expect(
        refusal(() =>
          estimatePlanActions([], [{ name: 'quick' }], start, { random: first, samples }),
        ),
      ).toMatchObject({
        field: 'samples',
        message: `samples is ${String(samples)}; use a whole number of Monte Carlo draws ≥ 1.`,
      });
    }
  });
});

describe('estimatePlanActions limits', () => {
  const outcome = (costUsd: number, seconds: number): PlanOutcome => ({
    action: 'quick',
    costUsd,
    seconds,
    turns: 10,
    succeeded: true,
  });
  const pOnTime = (costUsd: number, seconds: number, state: PlanState = start) =>
    (
      estimatePlanActions([outcome(costUsd, seconds)], [{ name: 'quick' }], state, {
        random: first,
        samples: 1,
      })[0] as PlanActionEstimate
    ).pOnTime;

  it('counts a run that ends exactly at the cap or the deadline as on time', () => {
    expect(pOnTime(5, 100)).toBe(1);
    expect(pOnTime(5.5, 100)).toBe(0);
    expect(pOnTime(4.5, 100)).toBe(1);
    expect(pOnTime(1, 500)).toBe(1);
    expect(pOnTime(1, 501)).toBe(0);
  });

  it('compares the rest of the run with what is left of the cap', () => {
    // 4 of 10 turns done: the rest costs 6/10 × $5 = $3 and takes 6/10 × 100 s = 60 s;
    // $2 spent of $5 leaves exactly $3
    const midway = { ...start, spentUsd: 2, elapsedSeconds: 100, turnsDone: 4 };
    expect(pOnTime(5, 100, midway)).toBe(1);
    expect(pOnTime(5, 100, { ...midway, spentUsd: 2.5 })).toBe(0);
  });
});

describe('selectPlanPool without a kind', () => {
  const history: PlanOutcome[] = [
    { action: 'quick', costUsd: 1, seconds: 10, turns: 5, succeeded: true },
    { action: 'quick', costUsd: 2, seconds: 20, turns: 8, succeeded: true, kind: 'django' },
    { action: 'slow', costUsd: 3, seconds: 30, turns: 9, succeeded: false },
  ];

  it('uses every run of the action, even when no kind sample is needed', () => {
    expect(selectPlanPool(history, 'quick', { turnsDone: 0 }, 0)).toEqual({
      outcomes: [history[0], history[1]],
      fromKind: false,
    });
  });

  it('uses the runs of the kind alone once there are enough of them', () => {
    expect(selectPlanPool(history, 'quick', { kind: 'django', turnsDone: 0 }, 1)).toEqual({
      outcomes: [history[1]],
      fromKind: true,
    });
    expect(selectPlanPool(history, 'quick', { kind: 'django', turnsDone: 0 }, 2)).toEqual({
      outcomes: [history[0], history[1]],
      fromKind: false,
    });
  });
});

describe('choosePlanAction ties', () => {
  it('names estimates when given none', () => {
    expect(refusal(() => choosePlanAction([]))).toMatchObject({
      field: 'estimates',
      message: 'choosePlanAction() got no estimates; give at least one action.',
    });
  });

  it('breaks an equal chance and cost by the lower expected time', () => {
    const slow = estimateOf('slow', 0.5, 2, 300);
    const quick = estimateOf('quick', 0.5, 2, 100);
    expect(choosePlanAction([slow, quick]).action).toBe('quick');
    expect(choosePlanAction([quick, slow]).action).toBe('quick');
  });

  it('keeps the earlier of two actions with no past run', () => {
    const [a, b] = estimatePlanActions([], [{ name: 'a' }, { name: 'b' }], start, {
      random: first,
    });
    expect(choosePlanAction([a as PlanActionEstimate, b as PlanActionEstimate]).action).toBe('a');
    const c = estimateOf('c', 0, null, null);
    const d = estimateOf('d', 0, null, null);
    expect(choosePlanAction([c, d]).action).toBe('c');
  });

  it('ranks an unknown expected cost after any known one, whatever the times', () => {
    const known = estimateOf('known', 0, 9, 900);
    const unknownCost = estimateOf('unknown', 0, null, 1);
    expect(choosePlanAction([known, unknownCost]).action).toBe('known');
    expect(choosePlanAction([unknownCost, known]).action).toBe('known');
  });

  it('among unknown costs, prefers the lower known time', () => {
    const long = estimateOf('long', 0, null, 900);
    const short = estimateOf('short', 0, null, 100);
    expect(choosePlanAction([long, short]).action).toBe('short');
    expect(choosePlanAction([short, long]).action).toBe('short');
  });
});
