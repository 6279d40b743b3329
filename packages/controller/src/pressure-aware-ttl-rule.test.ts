import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { fromSortedSamples } from './duration-distribution.js';
import {
  createPressureAwareTtlRule,
  toBreakEvenHoldMs,
  toPressure,
} from './pressure-aware-ttl-rule.js';

// 10 000 tokens reload in 1 s; they are a tenth of the cache: at full pressure holding them
// costs 0.1 ms of server time per ms
const rule = createPressureAwareTtlRule({
  prefillTokensPerSecond: 10_000,
  attentionMsPerTokenPerContextToken: 0,
  capacityTokens: 100_000,
  memoryPriceMs: 1000,
  freeBelowKvUsage: 0.8,
  maxTtlMs: 120_000,
  marginMs: 100,
});
const pause = fromSortedSamples([1_000, 20_000, 200_000], 'tool');
const input = { pause, contextTokens: 10_000, isLastStep: false, remainingTurns: 99 };

describe('createPressureAwareTtlRule', () => {
  it('with memory to spare, pins long enough to cover every pause it can', () => {
    const decision = rule.decide({ ...input, pressure: { kvUsage: 0.3, waitingRequests: 0 } });
    expect(decision).toMatchObject({ pin: true, ttlMs: 20_100, expectedCostMs: 0 });
    expect(decision.hitProbability).toBeCloseTo(2 / 3, 10);
  });

  it('under pressure, pins only the pause likely to end soon', () => {
    // τ = 1.1 s: 1/3 × 990 − 0.1 × E[min(pause, 1.1 s)] (≈ 1067) ≈ 223;
    // τ = 20.1 s: 2/3 × 990 − 0.1 × 13 700 < 0
    const decision = rule.decide({ ...input, pressure: { kvUsage: 0.99, waitingRequests: 3 } });
    expect(decision).toMatchObject({ pin: true, ttlMs: 1_100 });
    expect(decision.expectedSavingMs).toBeCloseTo(330, 6);
    expect(decision.expectedCostMs).toBeCloseTo(106.7, 0);
  });

  it('never pins past the break-even hold, even when the pauses before it would pay for it', () => {
    // reload 1 s × reuse 0.99 = 990 ms; at full pressure holding costs 0.1 ms per ms: a pause
    // over 9.9 s costs more than it saves
    expect(toBreakEvenHoldMs(990, 0.1)).toBeCloseTo(9_900, 6);
    expect(toBreakEvenHoldMs(990, 0)).toBe(Number.POSITIVE_INFINITY);
    const mostlyShort = fromSortedSamples([...Array(9).fill(1_000), 10_200], 'tool');
    const loaded = { kvUsage: 1, waitingRequests: 2 };
    // τ = 10.3 s would score 990 − 0.1 × (0.9 × 1 000 + 0.1 × 10 200) = 798, above τ = 1.1 s:
    // 891 − 0.1 × (0.9 × 1 000 + 0.1 × 1 100) = 790; but the 10.2 s pause is past break-even
    const decision = rule.decide({ ...input, pause: mostlyShort, pressure: loaded });
    expect(decision).toMatchObject({ pin: true, ttlMs: 1_100 });
    expect(decision.expectedSavingMs).toBeCloseTo(891, 6);
    expect(decision.expectedCostMs).toBeCloseTo(101, 6);
    // with memory to spare the cap is gone, and the pin covers the long pause
    const calm = rule.decide({
      ...input,
      pause: mostlyShort,
      pressure: { kvUsage: 0.2, waitingRequests: 0 },
    });
    expect(calm.ttlMs).toBe(10_300);
  });

  it('treats an unknown load as full pressure, and half-full usage as partial', () => {
    expect(rule.decide(input).ttlMs).toBe(1_100);
    expect(toPressure(undefined, 0.8)).toBe(1);
    expect(toPressure({ kvUsage: 0.9, waitingRequests: 0 }, 0.8)).toBeCloseTo(0.5, 10);
    expect(toPressure({ kvUsage: 0.5, waitingRequests: 2 }, 0.8)).toBe(1);
  });

  it('pins a larger context longer: its reload grows faster than its share of memory', () => {
    const withAttention = createPressureAwareTtlRule({
      prefillTokensPerSecond: 10_000,
      attentionMsPerTokenPerContextToken: 1e-5,
      capacityTokens: 100_000,
    });
    const loaded = { kvUsage: 1, waitingRequests: 1 };
    const small = withAttention.decide({ ...input, contextTokens: 2_000, pressure: loaded });
    const large = withAttention.decide({ ...input, contextTokens: 80_000, pressure: loaded });
    expect(large.ttlMs).toBeGreaterThan(small.ttlMs);
  });

  it('does not pin after a last step, with no turn to come, or an empty context', () => {
    expect(rule.decide({ ...input, isLastStep: true }).pin).toBe(false);
    expect(rule.decide({ ...input, remainingTurns: 0 }).pin).toBe(false);
    expect(rule.decide({ ...input, contextTokens: 0 }).pin).toBe(false);
  });

  it('refuses a non-positive capacity or a negative price, naming it', () => {
    expect(() => createPressureAwareTtlRule({ capacityTokens: 0 })).toThrow(InvalidOptionsError);
    expect(() => createPressureAwareTtlRule({ memoryPriceMs: -1 })).toThrow(/memoryPriceMs/);
  });
});
