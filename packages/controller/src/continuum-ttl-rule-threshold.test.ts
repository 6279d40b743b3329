import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { type ContinuumTtlRuleOptions, createContinuumTtlRule } from './continuum-ttl-rule.js';
import { fromSortedSamples } from './duration-distribution.js';

const refusal = (options: ContinuumTtlRuleOptions): InvalidOptionsError => {
  try {
    createContinuumTtlRule(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('the options were accepted');
};

const decide = (options: ContinuumTtlRuleOptions, ...pauses: number[]) =>
  createContinuumTtlRule(options).decide({
    pause: fromSortedSamples(pauses, 'tool'),
    contextTokens: 10_000,
    isLastStep: false,
    remainingTurns: 4,
  });

describe('createContinuumTtlRule threshold', () => {
  it('is named continuum', () => {
    expect(createContinuumTtlRule().name).toBe('continuum');
  });

  it('pins only when the mean pause is strictly under the threshold', () => {
    // default: TTL 2 000 ms, threshold = TTL
    expect(decide({}, 1_000, 2_998)).toEqual({
      pin: true,
      ttlMs: 2_000,
      rule: 'continuum',
      hitProbability: 0.5, // 1 000 ≤ 2 000 < 2 998
      expectedSavingMs: 0,
      expectedCostMs: 0,
    }); // mean 1 999
    expect(decide({}, 1_000, 3_000)).toEqual({
      pin: false,
      ttlMs: 0,
      rule: 'continuum',
      hitProbability: 0,
      expectedSavingMs: 0,
      expectedCostMs: 0,
    }); // mean 2 000
    expect(decide({}, 1_000, 3_002).pin).toBe(false); // mean 2 001
  });

  it('takes a threshold apart from the TTL', () => {
    expect(decide({ ttlMs: 500, thresholdMs: 5_000 }, 4_999)).toMatchObject({
      pin: true,
      ttlMs: 500,
      hitProbability: 0,
    });
    expect(decide({ ttlMs: 500, thresholdMs: 5_000 }, 5_000).pin).toBe(false);
    // a threshold of 0 never pins, even a pause of 0
    expect(decide({ thresholdMs: 0 }, 0).pin).toBe(false);
  });
});

describe('createContinuumTtlRule options', () => {
  it('accepts 0 and refuses a negative or infinite TTL or threshold, naming it and the value', () => {
    for (const field of ['ttlMs', 'thresholdMs'] as const) {
      expect(() => createContinuumTtlRule({ [field]: 0 })).not.toThrow();
      for (const value of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
        expect(refusal({ [field]: value })).toMatchObject({
          field,
          message: `${field} must be a finite number of milliseconds ≥ 0; got ${String(value)}.`,
        });
      }
    }
  });

  it('names the TTL first, as the threshold defaults to it', () => {
    expect(refusal({ ttlMs: -5 }).field).toBe('ttlMs');
    expect(refusal({ ttlMs: 100, thresholdMs: -5 }).field).toBe('thresholdMs');
  });
});
