import type { UsagePatch } from '@reins/core';

/**
 * Where a server counts reasoning tokens.
 *
 * - `'reasoning-in-completion'`: `completion_tokens` includes
 *   `completion_tokens_details.reasoning_tokens` (OpenAI, DeepSeek, vLLM, SGLang, Groq, Mistral…).
 * - `'reasoning-beside-completion'`: `completion_tokens` counts only the visible answer and
 *   reasoning tokens come on top (xAI: `total_tokens = prompt + completion + reasoning`).
 */
export type UsageConvention = 'reasoning-in-completion' | 'reasoning-beside-completion';

/** The usage object of a chunk, with the vendor fields this package reads. */
export interface ChunkUsage {
  readonly prompt_tokens?: number | null;
  readonly completion_tokens?: number | null;
  readonly total_tokens?: number | null;
  /** Some servers put reasoning tokens at the top level. */
  readonly reasoning_tokens?: number | null;
  /** Moonshot (Kimi): cached prompt tokens at the top level. */
  readonly cached_tokens?: number | null;
  /** DeepSeek: prompt tokens served from its disk cache. */
  readonly prompt_cache_hit_tokens?: number | null;
  readonly prompt_tokens_details?: { readonly cached_tokens?: number | null } | null;
  readonly completion_tokens_details?: { readonly reasoning_tokens?: number | null } | null;
}

/** llama.cpp's `timings` object (also sent by servers that mimic it). */
export interface ChunkTimings {
  /** Prompt tokens reused from the slot's KV cache (builds since September 2025). */
  readonly cache_n?: number | null;
  /** Prompt tokens evaluated in this request (cached ones excluded). */
  readonly prompt_n?: number | null;
  /** Generated tokens. */
  readonly predicted_n?: number | null;
}

/** The parts of a chunk usage can come from. */
export interface UsageSources {
  /** The chunk's `usage` (or a choice's `usage`, or Groq's `x_groq.usage`). */
  readonly usage: ChunkUsage | undefined;
  /** llama.cpp's `timings`. */
  readonly timings: ChunkTimings | undefined;
}

const count = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * Reads a chunk's token counts into a Reins usage, following the server's convention:
 * `outputTokens` always includes reasoning and `inputTokens` always includes cached tokens.
 *
 * Cached prompt tokens come from `prompt_tokens_details.cached_tokens`, else DeepSeek's
 * `prompt_cache_hit_tokens`, else Moonshot's `cached_tokens`, else llama.cpp's
 * `timings.cache_n`, else (older llama.cpp builds) `prompt_tokens - timings.prompt_n`.
 * Without any `usage`, llama.cpp's `timings` alone give the counts.
 *
 * @param sources - the chunk's usage and timings.
 * @param convention - where the server counts reasoning tokens.
 * @returns the usage, or `undefined` when the chunk reports none.
 * @example
 * ```ts
 * readChunkUsage(
 *   { usage: { prompt_tokens: 12, completion_tokens: 1, completion_tokens_details: { reasoning_tokens: 290 } }, timings: undefined },
 *   'reasoning-beside-completion',
 * ); // { inputTokens: 12, outputTokens: 291, cachedInputTokens: 0, reasoningTokens: 290 }
 * ```
 */
export function readChunkUsage(
  sources: UsageSources,
  convention: UsageConvention,
): UsagePatch | undefined {
  const { usage, timings } = sources;
  const timedPrompt = count(timings?.prompt_n);
  const timedCache = count(timings?.cache_n);
  if (usage === undefined) {
    const predicted = count(timings?.predicted_n);
    if (timedPrompt === undefined || predicted === undefined) return undefined;
    return {
      inputTokens: timedPrompt + (timedCache ?? 0),
      outputTokens: predicted,
      cachedInputTokens: timedCache ?? 0,
      reasoningTokens: 0,
    };
  }
  const inputTokens = count(usage.prompt_tokens) ?? 0;
  const completion = count(usage.completion_tokens) ?? 0;
  const reasoningTokens =
    count(usage.completion_tokens_details?.reasoning_tokens) ?? count(usage.reasoning_tokens) ?? 0;
  const cached =
    count(usage.prompt_tokens_details?.cached_tokens) ??
    count(usage.prompt_cache_hit_tokens) ??
    count(usage.cached_tokens) ??
    timedCache ??
    (timedPrompt === undefined ? 0 : Math.max(0, inputTokens - timedPrompt));
  return {
    inputTokens,
    outputTokens:
      convention === 'reasoning-beside-completion' ? completion + reasoningTokens : completion,
    cachedInputTokens: Math.min(cached, inputTokens),
    reasoningTokens,
  };
}
