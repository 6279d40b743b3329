import type { AnthropicCachePrices } from './anthropic-cache-ttl.js';
import type { DurationDistribution } from './duration-distribution.js';

/** What {@link chooseKeepWarmRefresh} weighs for one cached prefix. */
export interface KeepWarmRefreshInput {
  /** The cache's time-to-live from the response, e.g. 300 000 for Anthropic's 5 minutes. */
  readonly ttlMs: number;
  /** Tokens of the cached prefix: what a refresh reads and what a miss writes again. */
  readonly promptTokens: number;
  /** Distribution of the pause before the next request. */
  readonly pause: DurationDistribution;
  /** Model calls expected after this one (none: nothing to keep warm). */
  readonly remainingTurns: number;
  readonly prices: AnthropicCachePrices;
  /**
   * How long before expiry the refresh is sent, so that it lands in time.
   * @defaultValue 30 000
   */
  readonly marginMs?: number;
}

/** The recommendation, with its expected cost and saving. */
export interface KeepWarmRefreshChoice {
  /** Whether to send the refresh: the expected saving exceeds its expected cost. */
  readonly refresh: boolean;
  /** When to send it, in milliseconds after the response (`ttlMs − marginMs`, at least 0). */
  readonly refreshAtMs: number;
  /** P(the pause is still going at `refreshAtMs`): the refresh is sent only then. */
  readonly sendProbability: number;
  /** P(the next request comes after expiry but within the refreshed TTL): the misses it avoids. */
  readonly rescueProbability: number;
  /** `sendProbability ×` a cache read of the prefix, in USD. */
  readonly expectedCostUsd: number;
  /** `rescueProbability ×` (a cache write minus a cache read of the prefix), in USD. */
  readonly expectedSavingUsd: number;
}

/** The documented defaults of {@link chooseKeepWarmRefresh}. */
export const defaultKeepWarmRefreshOptions = { marginMs: 30_000 } as const;

/**
 * Decides whether to keep a hosted prompt cache warm through a long pause. A refresh is a
 * minimal request with the same prefix, sent `marginMs` before the cache expires if the tool
 * is still running: it reads the prefix (0.1× the input price) and, as every cache hit does on
 * Anthropic, restarts the TTL. It pays when the next request would otherwise come after expiry
 * and write the prefix again (1.25×): recommended when
 * `P(ttl < pause ≤ refreshAt + ttl) × (write − read) > P(pause > refreshAt) × read`.
 * One refresh is weighed at a time; after it, the same rule applies to the next.
 *
 * @param input - TTL, prefix size, pause distribution, remaining turns, prices, margin.
 * @returns whether and when to refresh, with the expected cost and saving.
 * @example
 * ```ts
 * const choice = chooseKeepWarmRefresh({
 *   ttlMs: 300_000, promptTokens: 100_000, pause, remainingTurns: 10,
 *   prices: { inputUsdPerMTok: 3 },
 * });
 * if (choice.refresh) setTimeout(sendRefresh, choice.refreshAtMs);
 * ```
 */
export function chooseKeepWarmRefresh(input: KeepWarmRefreshInput): KeepWarmRefreshChoice {
  const marginMs = input.marginMs ?? defaultKeepWarmRefreshOptions.marginMs;
  const refreshAtMs = Math.max(0, input.ttlMs - marginMs);
  if (input.remainingTurns <= 0 || input.promptTokens <= 0) {
    return {
      refresh: false,
      refreshAtMs,
      sendProbability: 0,
      rescueProbability: 0,
      expectedCostUsd: 0,
      expectedSavingUsd: 0,
    };
  }
  const { prices } = input;
  const read = prices.read ?? 0.1;
  const write = prices.write5m ?? 1.25;
  const prefixUsd = (input.promptTokens * prices.inputUsdPerMTok) / 1_000_000;
  const sendProbability = 1 - input.pause.cdf(refreshAtMs);
  const rescueProbability = Math.max(
    0,
    input.pause.cdf(refreshAtMs + input.ttlMs) - input.pause.cdf(input.ttlMs),
  );
  const expectedCostUsd = sendProbability * prefixUsd * read;
  const expectedSavingUsd = rescueProbability * prefixUsd * (write - read);
  return {
    refresh: expectedSavingUsd > expectedCostUsd,
    refreshAtMs,
    sendProbability,
    rescueProbability,
    expectedCostUsd,
    expectedSavingUsd,
  };
}
