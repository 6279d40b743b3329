import type { FinishReason } from '@reins/core';

/**
 * The `finish_reason` values servers send and what they mean. vLLM and SGLang send `abort`
 * when the server cancelled a request; some llama.cpp builds send `eos`.
 */
export const openAIFinishReasons: Readonly<Record<string, FinishReason>> = Object.freeze({
  stop: 'stop',
  eos: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  abort: 'error',
  error: 'error',
});

/**
 * Maps a server's `finish_reason` to a Reins {@link FinishReason}.
 * @param reason - the raw value.
 * @param extra - more values, from `createOpenAICompatible({ finishReasons })`.
 * @returns the Reins reason, or `undefined` for a value nobody declared.
 * @example
 * ```ts
 * mapOpenAIFinishReason('tool_calls'); // 'tool-calls'
 * ```
 */
export function mapOpenAIFinishReason(
  reason: string,
  extra?: Readonly<Record<string, FinishReason>>,
): FinishReason | undefined {
  return extra?.[reason] ?? openAIFinishReasons[reason];
}
