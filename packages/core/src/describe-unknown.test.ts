import { describe, expect, it } from 'vitest';
import { describeUnknown } from './describe-unknown.js';

describe('describeUnknown', () => {
  it('gives an error its name and message, leaving out a plain "Error" name', () => {
    expect(describeUnknown(new TypeError('bad input'))).toBe('TypeError: bad input');
    expect(describeUnknown(new Error('plain'))).toBe('plain');
    const unnamed = new Error('no name');
    unnamed.name = '';
    expect(describeUnknown(unnamed)).toBe('no name');
  });

  it('inspects other values, strings as they are', () => {
    expect(describeUnknown('text')).toBe('text');
    expect(describeUnknown({ a: 1 })).toBe('{ a: 1 }');
    expect(describeUnknown(Object.create(null))).toBe('[Object: null prototype] {}');
  });

  it('cuts a long description to 500 characters, the last an ellipsis', () => {
    expect(describeUnknown('x'.repeat(500))).toBe('x'.repeat(500));
    expect(describeUnknown('x'.repeat(501))).toBe(`${'x'.repeat(499)}…`);
  });

  it('describes a proxy whose traps throw without running them', () => {
    const trap = () => {
      throw new Error('trap');
    };
    const hostile = new Proxy({}, { getPrototypeOf: trap, ownKeys: trap });
    expect(describeUnknown(hostile)).toBe(
      'Proxy [ {}, { getPrototypeOf: [Function: trap], ownKeys: [Function: trap] } ]',
    );
  });

  it('falls back to the type of an error whose message getter throws', () => {
    const error = new Error('hidden');
    Object.defineProperty(error, 'message', {
      get() {
        throw new Error('getter');
      },
    });
    expect(describeUnknown(error)).toBe('a value of type object that cannot be described');
  });
});
