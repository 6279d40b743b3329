import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { actionTurn, replay } from '../test/replay.js';
import { fromHistory } from './from-history.js';
import { createTurnBudget } from './turn-budget.js';

const turns = (count: number) =>
  Array.from({ length: count }, (_, index) => actionTurn(index + 1, `step ${index}`, 'ok'));

describe('fromHistory refusals', () => {
  it('names runs when none is usable', () => {
    let caught: unknown;
    try {
      fromHistory([{ model: 'm', turns: Number.NaN }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidOptionsError);
    expect(caught).toMatchObject({
      field: 'runs',
      message:
        'fromHistory() found no usable run among 1; pass runs as { model, turns, resolved? } with turns > 0.',
    });
  });
});

describe('fromHistory sessions', () => {
  it('snapshots the state of the fixed budget it runs once a turn has begun', () => {
    // one model with runs of 4 turns: limit 4
    const budget = fromHistory([{ model: 'm', turns: 4 }]);
    const fromRuns = replay(budget, turns(2), { modelId: 'm' });
    const fixed = replay(createTurnBudget({ mode: 'fixed', limit: 4 }), turns(2), {
      modelId: 'm',
    });
    const snapshot = fromRuns.session.snapshot?.();
    expect(snapshot).toMatchObject({ version: 1, granted: 0, extensions: 0 });
    expect(snapshot).toEqual(fixed.session.snapshot?.());
  });

  it('keeps each session to its own model’s limit', () => {
    const budget = fromHistory([
      { model: 'small', turns: 3 },
      { model: 'large', turns: 6 },
    ]);
    expect(replay(budget, turns(20), { modelId: 'small' }).stoppedAt).toBe(3);
    expect(replay(budget, turns(20), { modelId: 'large' }).stoppedAt).toBe(6);
    expect(replay(budget, turns(20), { modelId: 'small' }).stoppedAt).toBe(3);
  });
});
