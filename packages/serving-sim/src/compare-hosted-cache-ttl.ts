import {
  type AnthropicCachePrices,
  chooseAnthropicCacheTtl,
  createToolDurationPredictor,
  type ToolDurationPredictor,
} from '@reins/controller';

/** One recorded call for hosted pricing: its prompt, and when the next call started. */
export interface HostedCall {
  readonly promptTokens: number;
  /** Time from this call's start to the next call's start, in milliseconds; 0 for the last. */
  readonly gapMs: number;
  readonly toolKey?: string;
}

/** Options of {@link compareHostedCacheTtl}. */
export interface CompareHostedCacheTtlOptions {
  /** Each run's calls, in order. */
  readonly runs: readonly (readonly HostedCall[])[];
  readonly prices: AnthropicCachePrices;
  /** Predicts the gap before the next call; learns each run's gaps as it goes. @defaultValue empty */
  readonly predictor?: ToolDurationPredictor;
  /** @defaultValue 36 */
  readonly expectedTurns?: number;
}

/** Dollars of prompt input under each TTL policy. */
export interface HostedCacheTtlComparison {
  readonly always5mUsd: number;
  readonly always1hUsd: number;
  readonly reinsUsd: number;
  /** Requests for which the per-request choice was 1 hour. */
  readonly reinsOneHourChoices: number;
  readonly requests: number;
  /** Requests whose prefix was still cached, per policy. */
  readonly hits: { readonly always5m: number; readonly always1h: number; readonly reins: number };
}

/**
 * Prices recorded runs' prompts under Anthropic prompt caching with three TTL policies: always
 * 5 minutes, always 1 hour, and Reins' per-request choice (`chooseAnthropicCacheTtl` over the
 * predicted gap). A request whose previous prefix is still cached reads it at the read price and
 * writes only its new tokens; otherwise it writes its whole prompt. A TTL runs from the request's
 * start and is refreshed by every request.
 *
 * @param options - runs, prices, predictor.
 * @returns the dollars of each policy.
 * @example
 * ```ts
 * const costs = compareHostedCacheTtl({ runs, prices: { inputUsdPerMTok: 3 } });
 * console.log(costs.always5mUsd - costs.reinsUsd);
 * ```
 */
export function compareHostedCacheTtl(
  options: CompareHostedCacheTtlOptions,
): HostedCacheTtlComparison {
  const { prices } = options;
  const perToken = prices.inputUsdPerMTok / 1_000_000;
  const multiplier = (ttlMs: number) =>
    ttlMs > 300_000 ? (prices.write1h ?? 2) : (prices.write5m ?? 1.25);
  const read = prices.read ?? 0.1;
  const predictor = options.predictor ?? createToolDurationPredictor();
  const expectedTurns = options.expectedTurns ?? 36;
  const totals = { always5m: 0, always1h: 0, reins: 0 };
  const hits = { always5m: 0, always1h: 0, reins: 0 };
  let oneHour = 0;
  let requests = 0;

  for (const calls of options.runs) {
    const cache = {
      always5m: { tokens: 0, expires: Number.NEGATIVE_INFINITY },
      always1h: { tokens: 0, expires: Number.NEGATIVE_INFINITY },
      reins: { tokens: 0, expires: Number.NEGATIVE_INFINITY },
    };
    let start = 0;
    let previousKey: string | undefined;
    calls.forEach((call, index) => {
      requests++;
      const isLast = index === calls.length - 1;
      const entry = cache.reins;
      const cached = start <= entry.expires ? Math.min(entry.tokens, call.promptTokens) : 0;
      const choice = chooseAnthropicCacheTtl({
        promptTokens: call.promptTokens,
        uncachedTokens: call.promptTokens - cached,
        pause: predictor.predictNext(previousKey),
        remainingTurns: isLast ? 0 : Math.max(1, expectedTurns - index - 1),
        prices,
      });
      if (choice.ttl === '1h') oneHour++;
      const ttls = { always5m: 300_000, always1h: 3_600_000, reins: choice.ttlMs };
      for (const policy of ['always5m', 'always1h', 'reins'] as const) {
        const state = cache[policy];
        const hit = start <= state.expires ? Math.min(state.tokens, call.promptTokens) : 0;
        if (hit > 0) hits[policy]++;
        totals[policy] +=
          (hit * read + (call.promptTokens - hit) * multiplier(ttls[policy])) * perToken;
        state.tokens = call.promptTokens;
        state.expires = start + ttls[policy];
      }
      if (call.toolKey !== undefined && !isLast) {
        predictor.observe({
          key: call.toolKey,
          durationMs: call.gapMs,
          ...(previousKey === undefined ? {} : { previousKey }),
        });
        previousKey = call.toolKey;
      }
      start += call.gapMs;
    });
  }
  return {
    always5mUsd: totals.always5m,
    always1hUsd: totals.always1h,
    reinsUsd: totals.reins,
    reinsOneHourChoices: oneHour,
    requests,
    hits,
  };
}
