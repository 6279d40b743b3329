import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionTurn, replay } from '../test/replay.js';
import { createTurnBudget } from './turn-budget.js';

const turns = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    actionTurn(index + 1, `step ${index}`, `done ${index}`),
  );

describe('createTurnBudget', () => {
  it('fixed: makes min(length, limit) calls and reminds before each call after the first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        (limit, length) => {
          const result = replay(createTurnBudget({ mode: 'fixed', limit }), turns(length));
          expect(result.view.turn).toBe(Math.min(limit, length));
          expect(result.stop?.reason).toBe(length > limit ? 'turn-budget' : undefined);
          const reminders = result.events.filter((event) => event.name === 'budget.reminder');
          expect(reminders.map((event) => event.evidence.turnsLeft)).toEqual(
            Array.from({ length: Math.min(limit, length) - 1 }, (_, index) => limit - index - 1),
          );
        },
      ),
    );
  });

  it('dynamic: never exceeds maxTotal, and extends at most maxExtensions times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 100 }),
        (initial, extension, maxExtensions, length) => {
          const budget = createTurnBudget({
            mode: 'dynamic',
            initial,
            extension,
            maxExtensions,
            reminder: false,
          });
          const result = replay(budget, turns(length));
          const maxTotal = initial + extension * maxExtensions;
          expect(result.view.turn).toBe(Math.min(length, maxTotal));
          const extended = result.events.filter((event) => event.name === 'budget.extended').length;
          expect(extended).toBe(
            Math.min(
              maxExtensions,
              Math.max(0, Math.ceil((Math.min(length, maxTotal) - initial) / extension)),
            ),
          );
        },
      ),
    );
  });

  it('honours reminder cadence and threshold, and the wording template', () => {
    const budget = createTurnBudget({
      mode: 'fixed',
      limit: 10,
      reminder: { every: 2, whenLeft: 5, template: '{turns_left} left' },
    });
    const result = replay(budget, turns(10));
    const injected = result.steps.flatMap((step) =>
      step.directive.type === 'inject' ? [step.directive.content] : [],
    );
    expect(injected).toEqual(['4 left', '2 left']);
  });

  it('rejects invalid options with the field and the fix', () => {
    expect(() => createTurnBudget({ mode: 'fixed', limit: 0 })).toThrow(
      /limit is 0; use a positive whole number/,
    );
    expect(() =>
      createTurnBudget({ mode: 'dynamic', initial: 10, extension: 5, maxTotal: 5 }),
    ).toThrow(/maxTotal is 5/);
    expect(() => createTurnBudget({ mode: 'sometimes' } as never)).toThrow(
      /'unlimited', 'fixed' or 'dynamic'/,
    );
  });
});
