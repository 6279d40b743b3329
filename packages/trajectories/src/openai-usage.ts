import type { Usage } from '@reins/core';
import type { JsonReader } from './json-reader.js';

/**
 * Converts an OpenAI-style `usage` object (`prompt_tokens`, `completion_tokens`,
 * `prompt_tokens_details.cached_tokens`, `completion_tokens_details.reasoning_tokens`, and the
 * `cost` that OpenRouter and LiteLLM add) to a Reins {@link Usage}.
 *
 * Some gateways report reasoning tokens outside `completion_tokens` (more reasoning tokens than
 * completion tokens); they are then added to `outputTokens`, which counts reasoning in Reins.
 *
 * @param read - the reader of the file, for errors.
 * @param value - the `usage` object.
 * @param path - its path in the file.
 * @param fallbackCost - the cost to use when `usage.cost` is absent (e.g. mini-swe-agent's
 *   `extra.cost`).
 * @example
 * ```ts
 * const usage = usageFromOpenAI(read, response.usage, 'messages[2].extra.response.usage');
 * ```
 */
export function usageFromOpenAI(
  read: JsonReader,
  value: unknown,
  path: string,
  fallbackCost?: number,
): Usage {
  const usage = read.object(value, path);
  const input = read.optionalNumber(usage.prompt_tokens, `${path}.prompt_tokens`) ?? 0;
  const completion = read.optionalNumber(usage.completion_tokens, `${path}.completion_tokens`) ?? 0;
  const promptDetails =
    usage.prompt_tokens_details === undefined || usage.prompt_tokens_details === null
      ? {}
      : read.object(usage.prompt_tokens_details, `${path}.prompt_tokens_details`);
  const completionDetails =
    usage.completion_tokens_details === undefined || usage.completion_tokens_details === null
      ? {}
      : read.object(usage.completion_tokens_details, `${path}.completion_tokens_details`);
  const cached =
    read.optionalNumber(
      promptDetails.cached_tokens,
      `${path}.prompt_tokens_details.cached_tokens`,
    ) ?? 0;
  const reasoning =
    read.optionalNumber(
      completionDetails.reasoning_tokens,
      `${path}.completion_tokens_details.reasoning_tokens`,
    ) ?? 0;
  const cost = read.optionalNumber(usage.cost, `${path}.cost`) ?? fallbackCost ?? 0;
  return {
    inputTokens: input,
    cachedInputTokens: Math.min(cached, input),
    outputTokens: reasoning > completion ? completion + reasoning : completion,
    reasoningTokens: reasoning,
    costUsd: cost,
  };
}
