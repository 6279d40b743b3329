import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { fromSortedSamples } from './duration-distribution.js';
import {
  createPressureAwareTtlRule,
  type PressureAwareTtlRuleOptions,
  toBreakEvenHoldMs,
  toPressure,
} from './pressure-aware-ttl-rule.js';

const refusal = (options: PressureAwareTtlRuleOptions): InvalidOptionsError => {
  try {
    createPressureAwareTtlRule(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) return error;
    throw error;
  }
  throw new Error('the options were accepted');
};

// 10 000 tokens at 10 000 tokens/s: 1 000 ms of prefill; they are a tenth of a 100 000-token
// cache, so at full pressure holding them costs 1000 × 0.1 / 1000 = 0.1 ms per ms. One turn to
// come: reuse 1 / 2.
const settings = {
  prefillTokensPerSecond: 10_000,
  attentionMsPerTokenPerContextToken: 0,
  capacityTokens: 100_000,
  memoryPriceMs: 1000,
  candidateQuantiles: [0.5, 1],
  marginMs: 0,
};
// half the pauses 1 s, half 3 s: E[min(pause, τ)] = (min(1000, τ) + min(3000, τ)) / 2
const pause = fromSortedSamples([1_000, 3_000], 'tool');
const full = { kvUsage: 1, waitingRequests: 1 };
const input = {
  pause,
  contextTokens: 10_000,
  isLastStep: false,
  remainingTurns: 1,
  pressure: full,
};
const none = {
  pin: false,
  ttlMs: 0,
  rule: 'pressure-aware',
  hitProbability: 0,
  expectedSavingMs: 0,
  expectedCostMs: 0,
};

describe('createPressureAwareTtlRule value of each τ', () => {
  it('is named pressure-aware', () => {
    expect(createPressureAwareTtlRule().name).toBe('pressure-aware');
  });

  it('takes the τ worth most, and the shorter of two worth the same', () => {
    // reload 1 000 × 0.5 = 500; break-even 500 / 0.1 = 5 000 ms
    // τ = 1 s: 0.5 × 500 − 0.1 × 1 000 = 150; τ = 3 s: 500 − 0.1 × 2 000 = 300;
    // τ = 5 s (break-even): 500 − 0.1 × 2 000 = 300, no better
    const decision = createPressureAwareTtlRule(settings).decide(input);
    expect(decision.pin).toBe(true);
    expect(decision.ttlMs).toBe(3_000);
    expect(decision.rule).toBe('pressure-aware');
    expect(decision.hitProbability).toBe(1);
    expect(decision.expectedSavingMs).toBe(500);
    expect(decision.expectedCostMs).toBeCloseTo(200, 9);
  });

  it('adds the quadratic attention term to the reload', () => {
    // 10 000² / 2 × 1e-5 = 500 ms of attention: reload (1 000 + 500) × 0.5 = 750
    // τ = 3 s: 750 − 200 = 550 beats τ = 1 s: 375 − 100
    const decision = createPressureAwareTtlRule({
      ...settings,
      attentionMsPerTokenPerContextToken: 1e-5,
    }).decide(input);
    expect(decision.ttlMs).toBe(3_000);
    expect(decision.expectedSavingMs).toBeCloseTo(750, 9);
  });

  it('adds the ordering benefit, scaled by the pressure', () => {
    const rule = createPressureAwareTtlRule({ ...settings, orderingBenefitMs: 1_000 });
    // full pressure: (1 000 + 1 × 1 000) × 0.5 = 1 000 saved by a hit at τ = 3 s
    expect(rule.decide(input).expectedSavingMs).toBeCloseTo(1_000, 9);
    // no pressure: (1 000 + 0) × 0.5 = 500, and holding is free
    const calm = rule.decide({ ...input, pressure: { kvUsage: 0.5, waitingRequests: 0 } });
    expect(calm).toEqual({
      pin: true,
      ttlMs: 3_000,
      rule: 'pressure-aware',
      hitProbability: 1,
      expectedSavingMs: 500,
      expectedCostMs: 0,
    });
  });

  it('does not pin an empty or negative context, even with an ordering benefit to keep', () => {
    const rule = createPressureAwareTtlRule({ ...settings, orderingBenefitMs: 1_000 });
    expect(rule.decide({ ...input, contextTokens: 0 })).toEqual(none);
    expect(rule.decide({ ...input, contextTokens: -10_000 })).toEqual(none);
    expect(rule.decide({ ...input, contextTokens: 1 }).pin).toBe(true);
  });

  it('does not pin with no turn or a negative count of turns to come', () => {
    const rule = createPressureAwareTtlRule({ ...settings, orderingBenefitMs: 1_000 });
    expect(rule.decide({ ...input, remainingTurns: 0 })).toEqual(none);
    expect(rule.decide({ ...input, remainingTurns: -1 })).toEqual(none);
  });
});

describe('toPressure and toBreakEvenHoldMs at their edges', () => {
  it('counts memory as free when the free share is the whole cache or more', () => {
    expect(toPressure({ kvUsage: 1, waitingRequests: 0 }, 1)).toBe(0);
    expect(toPressure({ kvUsage: 1, waitingRequests: 0 }, 1.5)).toBe(0);
    expect(toPressure({ kvUsage: 0.5, waitingRequests: 0 }, 1)).toBe(0);
    // just under: (1 − 0.75) / (1 − 0.75) = 1
    expect(toPressure({ kvUsage: 1, waitingRequests: 0 }, 0.75)).toBe(1);
  });

  it('holds without bound whenever holding is free or pays back', () => {
    expect(toBreakEvenHoldMs(0, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(toBreakEvenHoldMs(500, -0.1)).toBe(Number.POSITIVE_INFINITY);
    expect(toBreakEvenHoldMs(500, 0.125)).toBe(4_000);
  });
});

describe('createPressureAwareTtlRule options', () => {
  it('needs a finite positive throughput and capacity, naming the field and the value', () => {
    for (const field of ['prefillTokensPerSecond', 'capacityTokens']) {
      for (const value of [0, -1, Number.POSITIVE_INFINITY]) {
        expect(refusal({ [field]: value })).toMatchObject({
          field,
          message: `${field} must be a finite number > 0; got ${String(value)}. Derive it from the server's configuration or keep the default.`,
        });
      }
    }
  });
});
