import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import {
  type CostBenefitTtlRuleOptions,
  createCostBenefitTtlRule,
} from './cost-benefit-ttl-rule.js';
import { fromSortedSamples } from './duration-distribution.js';

const refusal = (options: CostBenefitTtlRuleOptions): InvalidOptionsError => {
  try {
    createCostBenefitTtlRule(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('the options were accepted');
};

// 8 000 tokens at 8 000 tokens/s: a miss costs 1 000 ms of prefill. Holding them costs
// 8 000 × 1/64 ms per second = 125 ms per second = 0.125 ms per ms. Three turns to come:
// reuse 3 / 4, so a hit saves 750 ms.
const rule = createCostBenefitTtlRule({
  prefillTokensPerSecond: 8_000,
  memoryCostPerTokenSecondMs: 1 / 64,
  candidateQuantiles: [0.5, 1],
  marginMs: 0,
});
const input = { contextTokens: 8_000, isLastStep: false, remainingTurns: 3 };
const none = {
  pin: false,
  ttlMs: 0,
  rule: 'cost-benefit',
  hitProbability: 0,
  expectedSavingMs: 0,
  expectedCostMs: 0,
};

describe('createCostBenefitTtlRule decisions', () => {
  it('is named cost-benefit', () => {
    expect(rule.name).toBe('cost-benefit');
  });

  it('keeps the shorter τ when two are worth the same', () => {
    // τ = 1 s: 0.5 × 750 − 1 000 × 0.125 = 250; τ = 4 s: 750 − 4 000 × 0.125 = 250
    const decision = rule.decide({ ...input, pause: fromSortedSamples([1_000, 4_000], 'tool') });
    expect(decision).toEqual({
      pin: true,
      ttlMs: 1_000,
      rule: 'cost-benefit',
      hitProbability: 0.5,
      expectedSavingMs: 375,
      expectedCostMs: 125,
    });
  });

  it('does not pin when the best τ is worth exactly nothing', () => {
    // τ = 6 s: 750 − 6 000 × 0.125 = 0
    expect(rule.decide({ ...input, pause: fromSortedSamples([6_000], 'tool') })).toEqual(none);
    // τ = 5.9 s: 750 − 737.5 = 12.5 is worth a pin
    expect(rule.decide({ ...input, pause: fromSortedSamples([5_900], 'tool') })).toEqual({
      pin: true,
      ttlMs: 5_900,
      rule: 'cost-benefit',
      hitProbability: 1,
      expectedSavingMs: 750,
      expectedCostMs: 737.5,
    });
  });

  it('does not pin an empty or negative context, even when a requeue would be saved', () => {
    const queued = createCostBenefitTtlRule({
      prefillTokensPerSecond: 8_000,
      memoryCostPerTokenSecondMs: 1 / 64,
      requeueMs: 2_000,
      candidateQuantiles: [0.5, 1],
      marginMs: 0,
    });
    const pause = fromSortedSamples([1_000], 'tool');
    expect(queued.decide({ ...input, pause, contextTokens: 0 })).toEqual(none);
    expect(queued.decide({ ...input, pause, contextTokens: -8_000 })).toEqual(none);
    // one token: (1/8 ms + 2 000) × 0.75 saved against 1 000 × 1/64 000 held
    const one = queued.decide({ ...input, pause, contextTokens: 1 });
    expect(one.pin).toBe(true);
    expect(one.expectedSavingMs).toBeCloseTo((0.125 + 2_000) * 0.75, 9);
    expect(one.expectedCostMs).toBeCloseTo(1_000 / 64_000, 9);
  });

  it('does not pin with no turn or a negative count of turns to come', () => {
    const pause = fromSortedSamples([1_000], 'tool');
    expect(rule.decide({ ...input, pause, remainingTurns: 0 })).toEqual(none);
    expect(rule.decide({ ...input, pause, remainingTurns: -2 })).toEqual(none);
    expect(rule.decide({ ...input, pause, isLastStep: true })).toEqual(none);
  });
});

describe('createCostBenefitTtlRule options', () => {
  it('needs a positive prefill rate, naming it and the value', () => {
    for (const value of [0, -10, Number.NaN]) {
      expect(refusal({ prefillTokensPerSecond: value })).toMatchObject({
        field: 'prefillTokensPerSecond',
        message: `prefillTokensPerSecond must be > 0; got ${String(value)}. Measure the server's prefill rate or keep the default.`,
      });
    }
    expect(() => createCostBenefitTtlRule({ prefillTokensPerSecond: 0.5 })).not.toThrow();
  });

  it('needs finite, non-negative delays, costs and margins, naming the field and the value', () => {
    for (const field of ['requeueMs', 'memoryCostPerTokenSecondMs', 'maxTtlMs', 'marginMs']) {
      expect(() => createCostBenefitTtlRule({ [field]: 0 })).not.toThrow();
      expect(refusal({ [field]: -1 })).toMatchObject({
        field,
        message: `${field} must be a finite number ≥ 0; got -1.`,
      });
      expect(refusal({ [field]: Number.POSITIVE_INFINITY })).toMatchObject({
        field,
        message: `${field} must be a finite number ≥ 0; got Infinity.`,
      });
      expect(refusal({ [field]: Number.NaN }).field).toBe(field);
    }
  });
});
