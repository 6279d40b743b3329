import { InvalidOptionsError } from '@reins/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { share } from '../test/generators.js';
import { actionTurn, replay } from '../test/replay.js';
import { createDeadlineBudget } from './deadline-budget.js';
import { fromHistory } from './from-history.js';
import { percentile } from './percentile.js';
import { createTokenBudget } from './token-budget.js';

const turns = (count: number, inputTokens = 100) =>
  Array.from({ length: count }, (_, index) => ({
    ...actionTurn(index + 1, `s${index}`, 'ok'),
    usage: { inputTokens, outputTokens: 10 },
  }));

describe('token and deadline budgets', () => {
  it('stops once the tokens reach the limit, warning once on the way', () => {
    const result = replay(createTokenBudget({ maxTokens: 1000, warnAt: 0.5 }), turns(20));
    expect(result.stop?.reason).toBe('token-budget');
    expect(result.view.usage.inputTokens + result.view.usage.outputTokens).toBeGreaterThanOrEqual(
      1000,
    );
    expect(result.view.turn).toBe(Math.ceil(1000 / 110));
    expect(result.events.filter((event) => event.name === 'budget.warning')).toHaveLength(1);
  });

  it('stops once the clock passes the deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 100, max: 5000 }),
        (seconds, msPerTurn) => {
          const result = replay(
            createDeadlineBudget({ deadlineMs: seconds * 1000, warnAt: false }),
            turns(200),
            { msPerTurn },
          );
          expect(result.view.turn).toBe(Math.min(200, Math.ceil((seconds * 1000) / msPerTurn)));
        },
      ),
    );
  });
});

describe('fromHistory', () => {
  it('says which runs it found unusable, names the field, and refuses an empty percentile', () => {
    const unresolved = [{ model: 'm', turns: 12, resolved: false }];
    expect(() => fromHistory(unresolved, { resolvedOnly: true })).toThrow(
      'fromHistory() found no usable run among 1 (resolved only); pass runs as { model, turns, resolved? } with turns > 0.',
    );
    expect(() => fromHistory([{ model: 'm', turns: 0 }])).toThrow(
      'fromHistory() found no usable run among 1; pass runs',
    );
    const error = (() => {
      try {
        percentile([], 0.5);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'values',
      message: 'percentile() needs at least one value.',
    });
  });

  it('takes percentile 1 as the longest run, refuses more, and is named turn-budget by default', () => {
    const runs = [12, 30, 18].map((count) => ({ model: 'm', turns: count }));
    const longest = fromHistory(runs, { percentile: 1 });
    expect(longest.limits).toEqual({ m: 30 });
    expect(longest.name).toBe('turn-budget');
    expect(fromHistory(runs, { name: 'history' }).name).toBe('history');
    expect(() => fromHistory(runs, { percentile: 1.01 })).toThrow(
      expect.objectContaining({ field: 'percentile' }),
    );
  });

  it('passes its reminder to the budget, and has nothing to snapshot before the first turn', () => {
    const budget = fromHistory([{ model: 'm', turns: 3 }], {
      reminder: { template: 'Only {turns_left} left.' },
    });
    const session = budget.open({ runId: 'r', task: 't' });
    expect(session.snapshot?.()).toBeUndefined();
    const { steps } = replay(budget, turns(5), { modelId: 'm' });
    const texts = JSON.stringify(steps.map((step) => step.directive));
    // Limit 3: after turns 1 and 2, the coming turn included, 2 and then 1 are left.
    expect(texts).toContain('Only 2 left.');
    expect(texts).toContain('Only 1 left.');
    expect(texts).not.toContain('turns left to complete the task');
  });

  it('computes the type-7 percentile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 200 }),
        share(),
        (values, p) => {
          const sorted = [...values].sort((a, b) => a - b);
          const value = percentile(values, p);
          expect(value).toBeGreaterThanOrEqual(sorted[0] as number);
          expect(value).toBeLessThanOrEqual(sorted.at(-1) as number);
          const below = sorted.filter((entry) => entry < value).length;
          expect(below).toBeLessThanOrEqual(Math.ceil(p * (sorted.length - 1)));
        },
      ),
    );
    expect(percentile([10, 20, 30, 40], 0.75)).toBe(32.5);
  });

  it('builds a limit per model and picks it from the view, with a pooled fallback', () => {
    const runs = [
      ...Array.from({ length: 8 }, (_, index) => ({ model: 'small', turns: 10 + index })),
      ...Array.from({ length: 8 }, (_, index) => ({
        model: 'large',
        turns: 40 + index,
        resolved: index % 2 === 0,
      })),
    ];
    const budget = fromHistory(runs, { percentile: 0.5 });
    expect(budget.limits).toEqual({ small: 14, large: 44 });
    expect(replay(budget, turns(100), { modelId: 'small' }).stoppedAt).toBe(14);
    // Pooled: the 16 counts 10…17, 40…47; position 0.5 · 15 = 7.5 lies between 17 and 40.
    expect(budget.pooledLimit).toBe(29);
    expect(replay(budget, turns(100), { modelId: 'unknown' }).stoppedAt).toBe(29);
    expect(fromHistory(runs, { percentile: 0.5, resolvedOnly: true }).limits).toEqual({
      large: 43,
    });
    expect(() => fromHistory([], {})).toThrow(/no usable run among 0/);
  });

  it('uses the 75th percentile of past turn counts by default (More with Less)', () => {
    // Five runs: the 75th percentile is the fourth count by every usual definition.
    const runs = [50, 10, 40, 20, 30].map((count) => ({ model: 'm', turns: count }));
    const budget = fromHistory(runs);
    expect(budget.percentile).toBe(0.75);
    expect(budget.limits).toEqual({ m: 40 });
    expect(budget.pooledLimit).toBe(40);
    expect(replay(budget, turns(100), { modelId: 'm' }).stoppedAt).toBe(40);
  });

  it('refuses a percentile outside (0, 1], naming it', () => {
    const runs = [{ model: 'm', turns: 10 }];
    for (const bad of [0, -0.5, 1.5, Number.NaN]) {
      expect(() => fromHistory(runs, { percentile: bad })).toThrow(`percentile is ${bad}`);
    }
  });
});
