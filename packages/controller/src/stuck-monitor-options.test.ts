import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownBy } from '../../../scripts/thrown-by.js';
import { createStuckMonitor, type StuckMonitorOptions } from './stuck-monitor.js';

const counts = [
  'repeatedActionObservation',
  'repeatedActionError',
  'monologue',
  'contextWindowErrors',
  'nearDuplicate',
] as const;

describe('createStuckMonitor options', () => {
  it('takes 0 (the pattern off) and any whole number of turns for each count', () => {
    for (const field of counts)
      for (const value of [0, 1, 12])
        expect(() => createStuckMonitor({ [field]: value })).not.toThrow();
    for (const value of [0, 4, 9])
      expect(() => createStuckMonitor({ alternation: value })).not.toThrow();
  });

  it('refuses a count that is negative, fractional or not a number, naming the field and the fix', () => {
    for (const field of counts)
      for (const bad of [-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '3']) {
        const error = thrownBy(() =>
          createStuckMonitor({ [field]: bad } as unknown as StuckMonitorOptions),
        );
        expect(error).toBeInstanceOf(InvalidOptionsError);
        expect(error).toMatchObject({
          field,
          message: `createStuckMonitor({ ${field} }) is ${typeof bad === 'string' ? `'${bad}'` : String(bad)}; use a whole number of turns ≥ 1, or 0 to turn the pattern off.`,
        });
      }
  });

  it('refuses an alternation shorter than A-B-A-B, which could never be seen', () => {
    for (const bad of [1, 2, 3, -4, 5.5]) {
      const error = thrownBy(() => createStuckMonitor({ alternation: bad }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error).toMatchObject({
        field: 'alternation',
        message: `createStuckMonitor({ alternation }) is ${bad}; use a whole number of pairs ≥ 4 (A-B-A-B), or 0 to turn the pattern off.`,
      });
    }
  });

  it('refuses a near-duplicate similarity outside [0, 1]', () => {
    for (const good of [0, 0.5, 1])
      expect(() => createStuckMonitor({ nearDuplicateSimilarity: good })).not.toThrow();
    for (const bad of [-0.1, 1.01, Number.NaN]) {
      const error = thrownBy(() => createStuckMonitor({ nearDuplicateSimilarity: bad }));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error).toMatchObject({
        field: 'nearDuplicateSimilarity',
        message: `createStuckMonitor({ nearDuplicateSimilarity }) is ${bad}; use a similarity in [0, 1] (default 0.9).`,
      });
    }
  });

  it('refuses an empty name, which would key its saved state to nothing', () => {
    const error = thrownBy(() => createStuckMonitor({ name: '' }));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error).toMatchObject({
      field: 'name',
      message: "createStuckMonitor({ name }) is ''; use a non-empty name (default 'stuck').",
    });
  });
});
