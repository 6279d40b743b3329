import type { UsageMetadata } from '@langchain/core/messages';
import type { UsagePatch } from '@reins/core';

/**
 * Maps LangChain's `usage_metadata` to a Reins usage. Cache reads are cached input tokens;
 * Anthropic-style cache writes (`cache_creation`) are counted as ordinary input.
 *
 * @param usage - the `usage_metadata` of a message or chunk.
 * @returns the usage fields it reports.
 * @example
 * ```ts
 * mapLangChainUsage({ input_tokens: 10, output_tokens: 2, total_tokens: 12,
 *   input_token_details: { cache_read: 8 } });
 * // { inputTokens: 10, outputTokens: 2, cachedInputTokens: 8, reasoningTokens: 0 }
 * ```
 */
export function mapLangChainUsage(usage: UsageMetadata): UsagePatch {
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cachedInputTokens: usage.input_token_details?.cache_read ?? 0,
    reasoningTokens: usage.output_token_details?.reasoning ?? 0,
  };
}
