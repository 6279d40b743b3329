import { InvalidOptionsError, ReinsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { ControllerStateError, readState } from './controller-state-error.js';
import { MissingPriceError } from './missing-price-error.js';

const fix =
  'Resume the run with the controller configuration and package version that started it, or start a new run.';

/** What `run` throws, or `undefined`. */
const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (caught) {
    return caught;
  }
  return undefined;
};

describe('ControllerStateError', () => {
  it('carries its code, name, policy, message and cause', () => {
    const cause = new Error('bad json');
    const error = new ControllerStateError('turn-budget', 'Unreadable.', { cause });
    expect(error).toBeInstanceOf(ReinsError);
    expect(error.code).toBe('controller-state');
    expect(error.name).toBe('ControllerStateError');
    expect(error.policy).toBe('turn-budget');
    expect(error.message).toBe('Unreadable.');
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      name: 'ControllerStateError',
      code: 'controller-state',
      message: 'Unreadable.',
    });
  });

  it('recognises its own errors only', () => {
    expect(ControllerStateError.isInstance(new ControllerStateError('p', 'm'))).toBe(true);
    // Another copy of the package: a Reins error with the same code.
    expect(ControllerStateError.isInstance(new ReinsError('controller-state', 'm'))).toBe(true);
    expect(ControllerStateError.isInstance(new MissingPriceError('p', 'm', []))).toBe(false);
    expect(ControllerStateError.isInstance(new InvalidOptionsError('f', 'm'))).toBe(false);
    // A plain object with the code is not a Reins error.
    expect(ControllerStateError.isInstance({ code: 'controller-state' })).toBe(false);
    expect(ControllerStateError.isInstance(new Error('controller-state'))).toBe(false);
    expect(ControllerStateError.isInstance(undefined)).toBe(false);
  });
});

describe('readState', () => {
  it('reads no state as undefined, and a state of the expected version as itself', () => {
    expect(readState('p', undefined, 1)).toBeUndefined();
    expect(readState('p', null, 1)).toBeUndefined();
    const state = { version: 2, warned: true };
    expect(readState('p', state, 2)).toBe(state);
  });

  it('refuses another version, naming the policy, the version seen and the one it reads', () => {
    const error = thrownBy(() => readState('deadline', { version: 2, warned: true }, 1));
    expect(error).toBeInstanceOf(ControllerStateError);
    expect(error).toMatchObject({
      policy: 'deadline',
      code: 'controller-state',
      message: `The saved state of 'deadline' has version 2; this controller reads version 1. ${fix}`,
    });
    expect(() => readState('p', { warned: true }, 1)).toThrow(
      `The saved state of 'p' has version undefined; this controller reads version 1. ${fix}`,
    );
    expect(() => readState('p', { version: '1' }, 1)).toThrow(
      "The saved state of 'p' has version 1; this controller reads version 1.",
    );
    expect(() => readState('p', [], 1)).toThrow("The saved state of 'p' has version undefined;");
  });

  it('refuses a state that is not an object, naming its type', () => {
    const cases: [unknown, string][] = [
      ['saved', 'string'],
      [1, 'number'],
      [true, 'boolean'],
    ];
    for (const [state, type] of cases) {
      const error = thrownBy(() => readState('token-budget', state, 1));
      expect(ControllerStateError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(
        `The saved state of 'token-budget' has ${type}; this controller reads version 1. ${fix}`,
      );
    }
  });
});
