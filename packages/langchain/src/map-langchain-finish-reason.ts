import type { FinishReason } from '@reins/core';

/** `finish_reason` / `stop_reason` values of LangChain providers, as Reins finish reasons. */
const finishReasons: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  STOP: 'stop',
  length: 'length',
  max_tokens: 'length',
  MAX_TOKENS: 'length',
  tool_calls: 'tool-calls',
  tool_use: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  SAFETY: 'content-filter',
  refusal: 'content-filter',
};

/**
 * Maps a LangChain message's `response_metadata` (`finish_reason` or `stop_reason`) to a Reins
 * finish reason; a provider value Reins does not know is `'other'`.
 *
 * @param metadata - the `response_metadata` of an AI message or chunk.
 * @returns the finish reason, or `undefined` when the metadata carries none.
 * @example
 * ```ts
 * mapLangChainFinishReason({ stop_reason: 'tool_use' }); // 'tool-calls'
 * ```
 */
export function mapLangChainFinishReason(
  metadata: Readonly<Record<string, unknown>> | undefined,
): FinishReason | undefined {
  const raw = metadata?.finish_reason ?? metadata?.stop_reason;
  if (typeof raw !== 'string' || raw === '') return undefined;
  return finishReasons[raw] ?? 'other';
}
