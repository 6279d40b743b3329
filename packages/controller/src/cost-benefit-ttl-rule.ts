import { InvalidOptionsError } from '@reins/core';
import { toReuseProbability } from './reuse-probability.js';
import type { TtlDecision, TtlRule, TtlRuleInput } from './ttl-rule.js';

/** Options of {@link createCostBenefitTtlRule}. */
export interface CostBenefitTtlRuleOptions {
  /**
   * Prefill throughput of the server, in tokens per second: a miss re-reads the whole context.
   * The default is a Llama-3.1-70B-class model on four H100s with tensor parallelism.
   * @defaultValue 10 000
   */
  readonly prefillTokensPerSecond?: number;
  /**
   * Extra delay a miss adds besides prefill (queueing behind others), in milliseconds.
   * @defaultValue 0
   */
  readonly requeueMs?: number;
  /**
   * Cost of holding one token of cache for one second, in milliseconds of server time. Holding a
   * fraction f of the cache for τ seconds displaces about f·τ seconds of server time when memory
   * is short, so the default is 1000 / cache capacity in tokens (420 000 tokens: Llama-3.1-70B
   * on four 80 GB H100s at 320 KiB per token). Set it lower when memory is plentiful.
   * @defaultValue 1000 / 420 000
   */
  readonly memoryCostPerTokenSecondMs?: number;
  /**
   * The longest pin considered, in milliseconds.
   * @defaultValue 120 000
   */
  readonly maxTtlMs?: number;
  /**
   * Quantiles of the pause tried as candidate TTLs (plus a small margin each).
   * @defaultValue 0.1, 0.2, … 0.9, 0.95, 0.99
   */
  readonly candidateQuantiles?: readonly number[];
  /**
   * Margin added to each candidate quantile, in milliseconds (the next request needs a moment
   * to arrive after the tool ends).
   * @defaultValue 100
   */
  readonly marginMs?: number;
}

/** The documented defaults of {@link createCostBenefitTtlRule}. */
export const defaultCostBenefitTtlRuleOptions = {
  prefillTokensPerSecond: 10_000,
  requeueMs: 0,
  memoryCostPerTokenSecondMs: 1000 / 420_000,
  maxTtlMs: 120_000,
  candidateQuantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99],
  marginMs: 100,
} as const satisfies Required<CostBenefitTtlRuleOptions>;

/**
 * Continuum's cost-benefit rule: choose the TTL τ maximising
 * `P(pause ≤ τ) × reload cost × reuse − τ × memory cost`, where the reload cost is the prefill
 * time of the context (plus any requeue delay), `reuse = R / (R + 1)` is the chance that the
 * kept history is read again when `R` turns are expected to remain (a geometric number of
 * turns with mean `R`), and the memory cost grows with the context held. Pin only when the best
 * τ is worth more than nothing; never after a last step or when no turn follows.
 *
 * @param options - server throughput, memory cost, candidate TTLs.
 * @returns the rule.
 * @throws {InvalidOptionsError} for a non-positive throughput or a negative cost.
 * @example
 * ```ts
 * const rule = createCostBenefitTtlRule({ prefillTokensPerSecond: 10_000 });
 * const decision = rule.decide({ pause, contextTokens: 40_000, isLastStep: false, remainingTurns: 20 });
 * // decision.ttlMs: the τ with the best expected saving minus cost
 * ```
 */
export function createCostBenefitTtlRule(options: CostBenefitTtlRuleOptions = {}): TtlRule {
  const settings = { ...defaultCostBenefitTtlRuleOptions, ...options };
  if (!(settings.prefillTokensPerSecond > 0)) {
    throw new InvalidOptionsError(
      'prefillTokensPerSecond',
      `prefillTokensPerSecond must be > 0; got ${String(settings.prefillTokensPerSecond)}. Measure the server's prefill rate or keep the default.`,
    );
  }
  for (const field of [
    'requeueMs',
    'memoryCostPerTokenSecondMs',
    'maxTtlMs',
    'marginMs',
  ] as const) {
    const value = settings[field];
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidOptionsError(
        field,
        `${field} must be a finite number ≥ 0; got ${String(value)}.`,
      );
    }
  }
  return {
    name: 'cost-benefit',
    decide(input: TtlRuleInput): TtlDecision {
      const none: TtlDecision = {
        pin: false,
        ttlMs: 0,
        rule: 'cost-benefit',
        hitProbability: 0,
        expectedSavingMs: 0,
        expectedCostMs: 0,
      };
      if (input.isLastStep || input.remainingTurns <= 0 || input.contextTokens <= 0) return none;
      const reloadMs =
        ((input.contextTokens / settings.prefillTokensPerSecond) * 1000 + settings.requeueMs) *
        toReuseProbability(input.remainingTurns);
      const costPerMs = (input.contextTokens * settings.memoryCostPerTokenSecondMs) / 1000;
      let best = none;
      let bestValue = 0;
      for (const q of settings.candidateQuantiles) {
        const ttlMs = Math.min(settings.maxTtlMs, input.pause.quantile(q) + settings.marginMs);
        const hitProbability = input.pause.cdf(ttlMs);
        const saving = hitProbability * reloadMs;
        const cost = ttlMs * costPerMs;
        if (saving - cost > bestValue) {
          bestValue = saving - cost;
          best = {
            pin: true,
            ttlMs,
            rule: 'cost-benefit',
            hitProbability,
            expectedSavingMs: saving,
            expectedCostMs: cost,
          };
        }
      }
      return best;
    },
  };
}
