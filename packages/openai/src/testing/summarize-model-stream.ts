import type { ModelStreamPart } from '@reins/core';
import type { RecordedStreamExpectation } from './recorded-stream.js';

/** What a backend made of one call, in the terms of a {@link RecordedStreamExpectation}. */
export type ModelStreamSummary = Omit<RecordedStreamExpectation, 'error'>;

/**
 * Sums up a call's stream parts: joined text, reasoning and refusal, the complete tool calls,
 * the number of tokens with log-probabilities, the usage without cost, and the finish.
 *
 * @param parts - the parts a backend yielded.
 * @returns the summary; `usage` is `null` when no usage part came, `finish` absent without one.
 * @example
 * ```ts
 * summarizeModelStream([{ type: 'text-delta', delta: 'Hi' }, { type: 'finish', reason: 'stop' }]).text; // 'Hi'
 * ```
 */
export function summarizeModelStream(parts: readonly ModelStreamPart[]): ModelStreamSummary {
  let text = '';
  let reasoning = '';
  let refusal = '';
  let logprobTokens = 0;
  const toolCalls: { name: string; arguments: string; id: string }[] = [];
  let usage: ModelStreamSummary['usage'] = null;
  let finish: ModelStreamSummary['finish'];
  for (const part of parts) {
    switch (part.type) {
      case 'text-delta':
        text += part.delta;
        break;
      case 'reasoning-delta':
        reasoning += part.delta;
        break;
      case 'refusal-delta':
        refusal += part.delta;
        break;
      case 'tool-call':
        toolCalls.push({ name: part.name, arguments: part.arguments, id: part.id });
        break;
      case 'logprobs':
        logprobTokens += part.tokens.length;
        break;
      case 'usage':
        usage = {
          inputTokens: part.usage.inputTokens ?? 0,
          outputTokens: part.usage.outputTokens ?? 0,
          cachedInputTokens: part.usage.cachedInputTokens ?? 0,
          reasoningTokens: part.usage.reasoningTokens ?? 0,
        };
        break;
      case 'finish':
        finish =
          part.rawReason === undefined
            ? { reason: part.reason }
            : { reason: part.reason, rawReason: part.rawReason };
        break;
      case 'tool-call-delta':
        break;
    }
  }
  return {
    text,
    reasoning,
    refusal,
    toolCalls,
    logprobTokens,
    usage,
    ...(finish === undefined ? {} : { finish }),
  };
}
