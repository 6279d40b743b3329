import type { BaseMessage } from '@langchain/core/messages';
import type { Message, ToolCall } from '@reins/core';

/**
 * Converts LangChain messages to a Reins history: `system`, `human`, `ai` (text, reasoning
 * from `reasoning`/`thinking` blocks or `additional_kwargs.reasoning_content`, tool calls with
 * JSON arguments) and `tool` messages (error status becomes an error result).
 *
 * @param messages - LangChain messages.
 * @returns Reins messages.
 * @throws {TypeError} for a message type Reins has no role for (e.g. `function`).
 * @example
 * ```ts
 * fromLangChainMessages([new HumanMessage('Hi')]); // [{ role: 'user', content: 'Hi' }]
 * ```
 */
export function fromLangChainMessages(messages: readonly BaseMessage[]): Message[] {
  return messages.map((message): Message => {
    const type = message.getType();
    switch (type) {
      case 'system':
        return { role: 'system', content: textOf(message.content) };
      case 'human':
        return { role: 'user', content: textOf(message.content) };
      case 'ai': {
        const ai = message as BaseMessage & {
          tool_calls?: { id?: string; name: string; args: unknown }[];
        };
        const toolCalls: ToolCall[] = (ai.tool_calls ?? []).map((call, index) => ({
          id: call.id ?? `call_${index}`,
          name: call.name,
          arguments: JSON.stringify(call.args ?? {}),
        }));
        const reasoning = reasoningOf(message);
        return {
          role: 'assistant',
          content: textOf(message.content),
          ...(reasoning === '' ? {} : { reasoning }),
          toolCalls,
        };
      }
      case 'tool': {
        const tool = message as BaseMessage & { tool_call_id: string; status?: string };
        const text = textOf(message.content);
        return {
          role: 'tool',
          toolCallId: tool.tool_call_id,
          toolName: message.name ?? '',
          result:
            tool.status === 'error'
              ? { status: 'error', error: { code: 'tool-execution', message: text } }
              : { status: 'ok', output: text },
        };
      }
      default:
        throw new TypeError(
          `LangChain message type '${type}' has no Reins role. Convert it to a human, ai, system or tool message first.`,
        );
    }
  });
}

/** The text of a message's content: the string, or its text blocks joined. */
export function textOf(content: BaseMessage['content']): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const block of content as readonly unknown[]) {
    if (typeof block === 'string') text += block;
    else if (isBlock(block) && block.type === 'text' && typeof block.text === 'string')
      text += block.text;
  }
  return text;
}

/** Reasoning text of a message or chunk: reasoning/thinking blocks, or `reasoning_content`. */
export function reasoningOf(message: BaseMessage): string {
  let text = '';
  if (Array.isArray(message.content)) {
    for (const block of message.content as readonly unknown[]) {
      if (!isBlock(block)) continue;
      if (block.type === 'thinking' && typeof block.thinking === 'string') text += block.thinking;
      else if (block.type === 'reasoning' && typeof block.reasoning === 'string')
        text += block.reasoning;
    }
  }
  const kwargs = message.additional_kwargs as { reasoning_content?: unknown } | undefined;
  if (typeof kwargs?.reasoning_content === 'string') text += kwargs.reasoning_content;
  return text;
}

function isBlock(value: unknown): value is Record<string, unknown> & { type?: unknown } {
  return typeof value === 'object' && value !== null;
}
