import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { type Message, providerCallIds, toolResultText } from '@reins/core';

/** Options of {@link toLangChainMessages}. */
export interface ToLangChainMessagesOptions {
  /**
   * Marks the last message as the end of a cached prefix with Anthropic's
   * `cache_control: { type: 'ephemeral', ttl }`, so the provider keeps the prompt cache for
   * `'5m'` or `'1h'`. Leave it out for models without prompt-cache control.
   */
  readonly cacheControlTtl?: '5m' | '1h';
}

/**
 * Converts a Reins history to LangChain messages: system, human, AI (with `tool_calls`, their
 * arguments parsed as objects) and tool messages (the result's text, `status: 'error'` for a
 * failed or cancelled call), under the provider's own call ids (see `providerCallIds`).
 * Reasoning is not sent back.
 *
 * @param messages - the run's messages.
 * @param options - Anthropic prompt-cache marking.
 * @returns LangChain `BaseMessage`s, ready for `chatModel.stream()`.
 * @example
 * ```ts
 * const messages = toLangChainMessages([{ role: 'user', content: 'Hi' }]); // [HumanMessage]
 * ```
 */
export function toLangChainMessages(
  messages: readonly Message[],
  options: ToLangChainMessagesOptions = {},
): BaseMessage[] {
  const result: BaseMessage[] = [];
  const sentIds = providerCallIds(messages);
  const sentId = (id: string) => sentIds.get(id) ?? id;
  for (const message of messages) result.push(toLangChainMessage(message, sentId));
  const ttl = options.cacheControlTtl;
  const last = result.at(-1);
  if (ttl !== undefined && last !== undefined && typeof last.content === 'string') {
    last.content = [
      { type: 'text', text: last.content, cache_control: { type: 'ephemeral', ttl } },
    ];
  }
  return result;
}

function toLangChainMessage(message: Message, sentId: (id: string) => string): BaseMessage {
  switch (message.role) {
    case 'system':
      return new SystemMessage(message.content);
    case 'user':
      return new HumanMessage(message.content);
    case 'assistant':
      return new AIMessage({
        content: message.content,
        tool_calls: message.toolCalls.map((call) => ({
          id: sentId(call.id),
          name: call.name,
          args: parseArguments(call.arguments),
          type: 'tool_call' as const,
        })),
      });
    case 'tool':
      return new ToolMessage({
        content: toolResultText(message.result),
        tool_call_id: sentId(message.toolCallId),
        name: message.toolName,
        status: message.result.status === 'ok' ? 'success' : 'error',
      });
  }
}

/** Arguments as an object; text that is not a JSON object is kept under `input`. */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text === '' ? '{}' : text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: keep the text.
  }
  return { input: text };
}
