import { InvalidOptionsError } from '@reins/core';
import type { TtlDecision, TtlRule } from './ttl-rule.js';

/** Options of {@link createContinuumTtlRule}. */
export interface ContinuumTtlRuleOptions {
  /**
   * The fixed time-to-live of a pin, in milliseconds (Continuum's public code: 2 s).
   * @defaultValue 2000
   */
  readonly ttlMs?: number;
  /**
   * Pin only when the predicted (mean) pause is below this, in milliseconds.
   * @defaultValue the TTL: pin when the tool is expected back before the pin expires
   */
  readonly thresholdMs?: number;
}

/** The documented defaults of {@link createContinuumTtlRule}. */
export const defaultContinuumTtlRuleOptions = { ttlMs: 2000 } as const;

/**
 * Continuum's public rule: predict the pause as the mean duration of the tool, and pin the cache
 * for a fixed TTL when that prediction is under a threshold; never pin after a last step.
 *
 * @param options - the TTL and the threshold.
 * @returns the rule.
 * @throws {InvalidOptionsError} for a negative TTL or threshold.
 * @example
 * ```ts
 * const rule = createContinuumTtlRule({ ttlMs: 2_000 });
 * rule.decide({ pause, contextTokens: 30_000, isLastStep: false, remainingTurns: 12 });
 * // { pin: true, ttlMs: 2000, … } when pause.mean < 2000
 * ```
 */
export function createContinuumTtlRule(options: ContinuumTtlRuleOptions = {}): TtlRule {
  const ttlMs = options.ttlMs ?? defaultContinuumTtlRuleOptions.ttlMs;
  const thresholdMs = options.thresholdMs ?? ttlMs;
  for (const [field, value] of [
    ['ttlMs', ttlMs],
    ['thresholdMs', thresholdMs],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidOptionsError(
        field,
        `${field} must be a finite number of milliseconds ≥ 0; got ${String(value)}.`,
      );
    }
  }
  return {
    name: 'continuum',
    decide({ pause, isLastStep }): TtlDecision {
      const pin = !isLastStep && pause.mean < thresholdMs;
      const hitProbability = pin ? pause.cdf(ttlMs) : 0;
      return {
        pin,
        ttlMs: pin ? ttlMs : 0,
        rule: 'continuum',
        hitProbability,
        expectedSavingMs: 0,
        expectedCostMs: 0,
      };
    },
  };
}
