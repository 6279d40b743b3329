import type { DurationDistribution } from './duration-distribution.js';

/** Anthropic's prompt-cache price multipliers, relative to the base input price. */
export interface AnthropicCachePrices {
  /** Base input price, USD per million tokens. */
  readonly inputUsdPerMTok: number;
  /** @defaultValue 1.25 (a 5-minute cache write) */
  readonly write5m?: number;
  /** @defaultValue 2 (a 1-hour cache write) */
  readonly write1h?: number;
  /** @defaultValue 0.1 (a cache read) */
  readonly read?: number;
}

/** What {@link chooseAnthropicCacheTtl} weighs for one request. */
export interface AnthropicCacheTtlInput {
  /** Prompt tokens of this request (the prefix the next request will read). */
  readonly promptTokens: number;
  /** Tokens of this request written to the cache (not read from it). */
  readonly uncachedTokens: number;
  /** Distribution of the pause before the next request. */
  readonly pause: DurationDistribution;
  /** Model calls expected after this one. */
  readonly remainingTurns: number;
  readonly prices: AnthropicCachePrices;
}

/** The choice, with the expected dollars of each option. */
export interface AnthropicCacheTtlChoice {
  readonly ttl: '5m' | '1h';
  readonly ttlMs: 300_000 | 3_600_000;
  /** Expected USD of this write plus the next request's prefix with a 5-minute TTL. */
  readonly expectedUsd5m: number;
  /** The same with a 1-hour TTL. */
  readonly expectedUsd1h: number;
  /** Expected USD saved by the choice over the other option (≥ 0). */
  readonly expectedSavingUsd: number;
}

const fiveMinutes = 300_000;
const oneHour = 3_600_000;

/**
 * Chooses Anthropic's `cache_control.ttl` for one request: the write of this request's uncached
 * tokens costs 1.25× (5 minutes) or 2× (1 hour) the input price; the next request reads the
 * prefix at 0.1× if it comes within the TTL, and writes it again at 1.25× if not. The option
 * with the lower expected cost wins; with no turn to come, 5 minutes (the cheaper write).
 *
 * @param input - prompt size, uncached tokens, pause distribution, remaining turns, prices.
 * @returns the TTL and the expected cost of both options.
 * @example
 * ```ts
 * const choice = chooseAnthropicCacheTtl({
 *   promptTokens: 40_000, uncachedTokens: 1_500, pause, remainingTurns: 10,
 *   prices: { inputUsdPerMTok: 3 },
 * });
 * choice.ttl; // '1h' when pauses over 5 minutes are likely enough
 * ```
 */
export function chooseAnthropicCacheTtl(input: AnthropicCacheTtlInput): AnthropicCacheTtlChoice {
  const { prices } = input;
  const write5m = prices.write5m ?? 1.25;
  const write1h = prices.write1h ?? 2;
  const read = prices.read ?? 0.1;
  const perToken = prices.inputUsdPerMTok / 1_000_000;
  const next = (ttlMs: number) => {
    if (input.remainingTurns <= 0) return 0;
    const hit = input.pause.cdf(ttlMs);
    return input.promptTokens * perToken * (hit * read + (1 - hit) * write5m);
  };
  const expectedUsd5m = input.uncachedTokens * perToken * write5m + next(fiveMinutes);
  const expectedUsd1h = input.uncachedTokens * perToken * write1h + next(oneHour);
  const long = expectedUsd1h < expectedUsd5m;
  return {
    ttl: long ? '1h' : '5m',
    ttlMs: long ? oneHour : fiveMinutes,
    expectedUsd5m,
    expectedUsd1h,
    expectedSavingUsd: Math.abs(expectedUsd5m - expectedUsd1h),
  };
}
