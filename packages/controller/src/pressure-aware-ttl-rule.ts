import { InvalidOptionsError } from '@reins/core';
import type { DurationDistribution } from './duration-distribution.js';
import { toReuseProbability } from './reuse-probability.js';
import type { ServerLoad, TtlDecision, TtlRule, TtlRuleInput } from './ttl-rule.js';

/** Options of {@link createPressureAwareTtlRule}. */
export interface PressureAwareTtlRuleOptions {
  /**
   * Prefill throughput, in tokens per second (Llama-3.1-8B on one H100: 2 × 8.03 G FLOPs per
   * token at half of 989 TFLOPs).
   * @defaultValue 30 800
   */
  readonly prefillTokensPerSecond?: number;
  /**
   * Prefill attention cost per token per token of context before it, in milliseconds: reloading
   * a context of n tokens costs `n / rate + n² / 2 × this`. @defaultValue 1.06e-6 (same setup)
   */
  readonly attentionMsPerTokenPerContextToken?: number;
  /** KV-cache capacity of the server, in tokens. @defaultValue 450 896 (same setup) */
  readonly capacityTokens?: number;
  /**
   * Server time displaced by holding the whole KV cache for one second at full pressure, in
   * milliseconds: holding a share f for t seconds costs `f × t × this × pressure`.
   * @defaultValue 1000
   */
  readonly memoryPriceMs?: number;
  /**
   * KV usage below which holding memory costs nothing (when no request waits): pressure rises
   * linearly from here to 1 at a full cache, and is 1 whenever requests wait.
   * @defaultValue 0.8
   */
  readonly freeBelowKvUsage?: number;
  /**
   * What an evicted program loses besides the reload at full pressure, in milliseconds: its
   * place, as the memory it frees goes to programs that arrived after it and it queues again on
   * return (Continuum's ordering-preservation benefit). Scaled by the pressure.
   * @defaultValue 0
   */
  readonly orderingBenefitMs?: number;
  /** The longest pin considered, in milliseconds. @defaultValue 120 000 */
  readonly maxTtlMs?: number;
  /**
   * Quantiles of the pause tried as TTLs (each plus `marginMs`), besides `maxTtlMs`.
   * @defaultValue 0.1, 0.2, … 0.9, 0.95, 0.99
   */
  readonly candidateQuantiles?: readonly number[];
  /** Margin added to each candidate, in milliseconds. @defaultValue 100 */
  readonly marginMs?: number;
}

/** The documented defaults of {@link createPressureAwareTtlRule}. */
export const defaultPressureAwareTtlRuleOptions = {
  prefillTokensPerSecond: 30_800,
  attentionMsPerTokenPerContextToken: 1.06e-6,
  capacityTokens: 450_896,
  memoryPriceMs: 1000,
  freeBelowKvUsage: 0.8,
  orderingBenefitMs: 0,
  maxTtlMs: 120_000,
  candidateQuantiles: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99],
  marginMs: 100,
} as const satisfies Required<PressureAwareTtlRuleOptions>;

/**
 * How loaded the server is, 0 (memory to spare) to 1 (requests wait or the cache is full).
 *
 * @param load - the server's load; unknown load counts as full pressure.
 * @param freeBelowKvUsage - usage under which memory is free.
 * @returns the pressure.
 */
export function toPressure(load: ServerLoad | undefined, freeBelowKvUsage: number): number {
  if (load === undefined || load.waitingRequests > 0) return 1;
  if (freeBelowKvUsage >= 1) return 0;
  return Math.min(1, Math.max(0, (load.kvUsage - freeBelowKvUsage) / (1 - freeBelowKvUsage)));
}

/**
 * The break-even hold: how long a context can be held, at `costPerMs` of server time per
 * millisecond, before holding it costs more than the `reloadMs` a hit saves. A pause longer than
 * this is not worth pinning even when the pin would catch it. Unbounded when holding is free.
 *
 * @param reloadMs - the saving of a hit (the reload, weighed by the reuse), in milliseconds.
 * @param costPerMs - server time displaced per millisecond held, at the current pressure.
 * @returns the longest worthwhile hold, in milliseconds.
 * @example
 * ```ts
 * toBreakEvenHoldMs(990, 0.1); // 9 900: a 10 s pause is not worth a 1 s reload
 * toBreakEvenHoldMs(990, 0); // Infinity
 * ```
 */
export function toBreakEvenHoldMs(reloadMs: number, costPerMs: number): number {
  return costPerMs > 0 ? reloadMs / costPerMs : Number.POSITIVE_INFINITY;
}

/** Quantiles at the midpoints of `count` equal slices of probability. */
function quantileGrid(pause: DurationDistribution, count: number): number[] {
  return Array.from({ length: count }, (_, index) => pause.quantile((index + 0.5) / count));
}

/** `E[min(pause, τ)]` as the mean over the quantile grid. */
function expectedHoldMs(grid: readonly number[], ttlMs: number): number {
  let sum = 0;
  for (const value of grid) sum += Math.min(value, ttlMs);
  return sum / grid.length;
}

/**
 * Reins' TTL rule: the TTL τ maximising
 * `P(pause ≤ τ) × (reload + pressure × ordering benefit) × reuse − pressure × memory price ×
 * (held share) × E[min(pause, τ)]`:
 * the reload is the prefill time of the context (attention included), `reuse = R / (R + 1)`
 * weighs it by the turns expected to remain, and holding memory costs in proportion to the
 * server's current pressure and only for as long as it is actually held (the pin ends when the
 * program returns). τ never passes the break-even hold (`reload × reuse ÷ cost per ms`,
 * {@link toBreakEvenHoldMs}): a pause that long costs more memory than its reload saves, so a
 * pin never outlasts the pauses a rule told the true pause would pin. With memory to spare the
 * longest pin wins; under pressure only pauses likely to end soon are pinned, longer for larger
 * contexts. Never after a last step.
 *
 * @param options - server throughput and capacity, memory price, pressure threshold, candidates.
 * @returns the rule.
 * @throws {InvalidOptionsError} for a non-positive throughput or capacity, or a negative number.
 * @example
 * ```ts
 * const rule = createPressureAwareTtlRule({ capacityTokens: 450_896 });
 * rule.decide({ pause, contextTokens: 40_000, isLastStep: false, remainingTurns: 12,
 *   pressure: { kvUsage: 0.95, waitingRequests: 3 } });
 * ```
 */
export function createPressureAwareTtlRule(options: PressureAwareTtlRuleOptions = {}): TtlRule {
  const settings = { ...defaultPressureAwareTtlRuleOptions, ...options };
  for (const field of ['prefillTokensPerSecond', 'capacityTokens'] as const) {
    if (!(settings[field] > 0) || !Number.isFinite(settings[field])) {
      throw new InvalidOptionsError(
        field,
        `${field} must be a finite number > 0; got ${String(settings[field])}. Derive it from the server's configuration or keep the default.`,
      );
    }
  }
  for (const field of [
    'attentionMsPerTokenPerContextToken',
    'memoryPriceMs',
    'freeBelowKvUsage',
    'orderingBenefitMs',
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
    name: 'pressure-aware',
    decide(input: TtlRuleInput): TtlDecision {
      const none: TtlDecision = {
        pin: false,
        ttlMs: 0,
        rule: 'pressure-aware',
        hitProbability: 0,
        expectedSavingMs: 0,
        expectedCostMs: 0,
      };
      if (input.isLastStep || input.remainingTurns <= 0 || input.contextTokens <= 0) return none;
      const context = input.contextTokens;
      const pressure = toPressure(input.pressure, settings.freeBelowKvUsage);
      const reloadMs =
        ((context / settings.prefillTokensPerSecond) * 1000 +
          ((context * context) / 2) * settings.attentionMsPerTokenPerContextToken +
          pressure * settings.orderingBenefitMs) *
        toReuseProbability(input.remainingTurns);
      const costPerMs =
        (pressure * settings.memoryPriceMs * (context / settings.capacityTokens)) / 1000;
      // a pause longer than the break-even hold costs more memory than its reload saves: never
      // pin past it, so that every pause caught is one worth pinning on its own
      const longestMs = Math.min(settings.maxTtlMs, toBreakEvenHoldMs(reloadMs, costPerMs));
      const candidates = settings.candidateQuantiles.map((q) =>
        Math.min(longestMs, input.pause.quantile(q) + settings.marginMs),
      );
      candidates.push(longestMs);
      const grid = quantileGrid(input.pause, 60);
      let best = none;
      let bestValue = 0;
      for (const ttlMs of candidates) {
        const hitProbability = input.pause.cdf(ttlMs);
        const saving = hitProbability * reloadMs;
        const cost = costPerMs * expectedHoldMs(grid, ttlMs);
        if (saving - cost > bestValue) {
          bestValue = saving - cost;
          best = {
            pin: true,
            ttlMs,
            rule: 'pressure-aware',
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
