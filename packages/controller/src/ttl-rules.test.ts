import { describe, expect, it } from 'vitest';
import { chooseAnthropicCacheTtl } from './anthropic-cache-ttl.js';
import { createContinuumTtlRule } from './continuum-ttl-rule.js';
import { createCostBenefitTtlRule } from './cost-benefit-ttl-rule.js';
import { fromSortedSamples } from './duration-distribution.js';

const pauseOf = (...ms: number[]) =>
  fromSortedSamples(
    [...ms].sort((a, b) => a - b),
    'tool',
  );

describe('createContinuumTtlRule', () => {
  const rule = createContinuumTtlRule({ ttlMs: 2_000 });
  it('pins for the fixed TTL when the mean pause is under the threshold', () => {
    const decision = rule.decide({
      pause: pauseOf(500, 1_000, 3_000), // mean 1500
      contextTokens: 20_000,
      isLastStep: false,
      remainingTurns: 5,
    });
    expect(decision).toMatchObject({ pin: true, ttlMs: 2_000, rule: 'continuum' });
    expect(decision.hitProbability).toBeCloseTo(2 / 3, 10);
  });
  it('does not pin a long tool or a last step', () => {
    const base = { contextTokens: 20_000, remainingTurns: 5 };
    expect(rule.decide({ ...base, pause: pauseOf(1_000, 4_000), isLastStep: false }).pin).toBe(
      false,
    );
    expect(rule.decide({ ...base, pause: pauseOf(10, 20), isLastStep: true })).toMatchObject({
      pin: false,
      ttlMs: 0,
    });
  });
});

describe('createCostBenefitTtlRule', () => {
  // 10 000 tokens at 10 000 tokens/s: a miss costs 1000 ms of prefill.
  // Memory: 10 000 tokens × 0.01 ms per token-second = 100 ms per second pinned = 0.1 ms per ms.
  const rule = createCostBenefitTtlRule({
    prefillTokensPerSecond: 10_000,
    memoryCostPerTokenSecondMs: 0.01,
    candidateQuantiles: [0.5, 1],
    marginMs: 0,
  });
  // 99 turns to come: the history is read again with probability 0.99
  const input = { contextTokens: 10_000, isLastStep: false, remainingTurns: 99 };

  it('chooses the τ with the best expected saving minus memory cost', () => {
    // pauses 1 s and 20 s: τ = 1 s → 0.5 × 990 − 1000 × 0.1 = 395; τ = 20 s → 990 − 2000 < 0
    const decision = rule.decide({ ...input, pause: pauseOf(1_000, 20_000) });
    expect(decision).toMatchObject({ pin: true, ttlMs: 1_000, hitProbability: 0.5 });
    expect(decision.expectedSavingMs).toBeCloseTo(495, 10);
    expect(decision.expectedCostMs).toBeCloseTo(100, 10);
  });

  it('pins longer when the context is cheap to hold relative to reloading it', () => {
    // pauses 1 s and 5 s: τ = 1 s → 495 − 100 = 395; τ = 5 s → 990 − 500 = 490
    expect(rule.decide({ ...input, pause: pauseOf(1_000, 5_000) }).ttlMs).toBe(5_000);
    // with a requeue delay of 2 s, a miss costs 3000: τ = 20 s → 3000 − 2000 = 1000 beats 1500 − 100
    const withQueue = createCostBenefitTtlRule({
      prefillTokensPerSecond: 10_000,
      memoryCostPerTokenSecondMs: 0.01,
      requeueMs: 2_000,
      candidateQuantiles: [0.5, 1],
      marginMs: 0,
    });
    expect(withQueue.decide({ ...input, pause: pauseOf(1_000, 20_000) }).ttlMs).toBe(1_000);
    expect(
      withQueue.decide({ ...input, pause: pauseOf(1_000, 20_000), contextTokens: 10_000 })
        .expectedSavingMs,
    ).toBeCloseTo(1_485, 10);
  });

  it('weighs the saving by the turns expected to remain', () => {
    // one turn to come: reuse 0.5; τ = 1 s → 250 − 100 = 150; τ = 5 s → 500 − 500 = 0
    const pause = pauseOf(1_000, 5_000);
    expect(rule.decide({ ...input, pause, remainingTurns: 1 })).toMatchObject({
      ttlMs: 1_000,
      expectedSavingMs: 250,
    });
    expect(rule.decide({ ...input, pause, remainingTurns: 99 }).ttlMs).toBe(5_000);
  });

  it('does not pin when no τ pays, after a last step, or with no turn to come', () => {
    expect(rule.decide({ ...input, pause: pauseOf(30_000, 60_000) }).pin).toBe(false);
    expect(rule.decide({ ...input, pause: pauseOf(10), isLastStep: true }).pin).toBe(false);
    expect(rule.decide({ ...input, pause: pauseOf(10), remainingTurns: 0 }).pin).toBe(false);
  });
});

describe('chooseAnthropicCacheTtl', () => {
  const prices = { inputUsdPerMTok: 1 }; // $1 per million: 1 token = $0.000001
  it('keeps 5 minutes when pauses are short', () => {
    // 5m: 1000 × 1.25 + 100 000 × 0.1 = 11 250 µ$; 1h: 1000 × 2 + 10 000 = 12 000 µ$
    const choice = chooseAnthropicCacheTtl({
      promptTokens: 100_000,
      uncachedTokens: 1_000,
      pause: pauseOf(5_000, 60_000),
      remainingTurns: 4,
      prices,
    });
    expect(choice.ttl).toBe('5m');
    expect(choice.expectedUsd5m).toBeCloseTo(0.01125, 12);
    expect(choice.expectedUsd1h).toBeCloseTo(0.012, 12);
    expect(choice.expectedSavingUsd).toBeCloseTo(0.00075, 12);
  });
  it('takes 1 hour when a pause over 5 minutes is likely enough', () => {
    // half the pauses are 10 min: 5m: 1250 + 100 000 × (0.5 × 0.1 + 0.5 × 1.25) = 68 750 µ$;
    // 1h: 2000 + 10 000 = 12 000 µ$
    const choice = chooseAnthropicCacheTtl({
      promptTokens: 100_000,
      uncachedTokens: 1_000,
      pause: pauseOf(5_000, 600_000),
      remainingTurns: 4,
      prices,
    });
    expect(choice).toMatchObject({ ttl: '1h', ttlMs: 3_600_000 });
    expect(choice.expectedUsd5m).toBeCloseTo(0.06875, 12);
  });
  it('writes for 5 minutes when no request follows', () => {
    const choice = chooseAnthropicCacheTtl({
      promptTokens: 100_000,
      uncachedTokens: 100_000,
      pause: pauseOf(600_000),
      remainingTurns: 0,
      prices,
    });
    expect(choice.ttl).toBe('5m');
  });
});
