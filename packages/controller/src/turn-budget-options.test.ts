import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createTurnBudget, type TurnBudgetOptions } from './turn-budget.js';

/** The error `createTurnBudget(options)` throws, checked to be an InvalidOptionsError. */
function rejection(options: unknown) {
  const error = thrownBy(() => createTurnBudget(options as TurnBudgetOptions));
  expect(error).toBeInstanceOf(InvalidOptionsError);
  const { field, message } = error as InvalidOptionsError;
  return { field, message };
}

describe('createTurnBudget options', () => {
  it('names an unknown or missing mode and the three it takes', () => {
    expect(rejection({ mode: 'sometimes' })).toEqual({
      field: 'mode',
      message: `createTurnBudget() mode is "sometimes"; use 'unlimited', 'fixed' or 'dynamic'.`,
    });
    expect(rejection(undefined)).toEqual({
      field: 'mode',
      message: `createTurnBudget() mode is undefined; use 'unlimited', 'fixed' or 'dynamic'.`,
    });
  });

  it('takes the unlimited mode without any number', () => {
    expect(() => createTurnBudget({ mode: 'unlimited' })).not.toThrow();
  });

  it('refuses a limit that is not a positive whole number, with the fix', () => {
    const hint = 'use a positive whole number of turns, e.g. the P75 of past runs (fromHistory).';
    expect(rejection({ mode: 'fixed', limit: 2.5 })).toEqual({
      field: 'limit',
      message: `limit is 2.5; ${hint}`,
    });
    expect(rejection({ mode: 'fixed', limit: -3 })).toEqual({
      field: 'limit',
      message: `limit is -3; ${hint}`,
    });
    expect(rejection({ mode: 'fixed' })).toEqual({
      field: 'limit',
      message: `limit is undefined; ${hint}`,
    });
  });

  it('refuses a dynamic budget’s initial turns and extension that are not positive whole numbers', () => {
    expect(rejection({ mode: 'dynamic', initial: 0, extension: 5 })).toEqual({
      field: 'initial',
      message: 'initial is 0; use a positive whole number of turns.',
    });
    expect(rejection({ mode: 'dynamic', initial: 10, extension: 1.5 })).toEqual({
      field: 'extension',
      message: 'extension is 1.5; use a positive whole number of turns per extension.',
    });
  });

  it('refuses a maxTotal below the turns the budget starts with, saying how far to raise it', () => {
    expect(rejection({ mode: 'fixed', limit: 10, maxTotal: 4 })).toEqual({
      field: 'maxTotal',
      message:
        'maxTotal is 4, below the 10 turns the budget starts with; raise maxTotal to at least 10.',
    });
    expect(() => createTurnBudget({ mode: 'fixed', limit: 10, maxTotal: 10 })).not.toThrow();
  });
});
