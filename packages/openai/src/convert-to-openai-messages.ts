import { type Message, providerCallIds, type ToolSpec, toolResultText } from '@reins/core';

/** A chat-completions message as sent in a request. */
export type OpenAIChatMessage =
  | { readonly role: 'system' | 'user'; readonly content: string }
  | {
      readonly role: 'assistant';
      readonly content: string | null;
      readonly tool_calls?: readonly {
        readonly id: string;
        readonly type: 'function';
        readonly function: { readonly name: string; readonly arguments: string };
      }[];
    }
  | { readonly role: 'tool'; readonly tool_call_id: string; readonly content: string };

/** A tool as a chat-completions request declares it. */
export interface OpenAIChatTool {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description: string;
    readonly parameters: Record<string, unknown>;
  };
}

/**
 * Converts a Reins history to chat-completions messages. Reasoning is not sent back (servers
 * and providers ask for it to be dropped from later turns); tool results become `tool`
 * messages with their text. Calls and results carry the server's own call ids (Reins' ids where
 * the server gave none or repeated one; see `providerCallIds`).
 *
 * @param messages - the run's messages.
 * @returns the `messages` field of a request.
 * @example
 * ```ts
 * convertToOpenAIMessages([{ role: 'user', content: 'Hi' }]); // [{ role: 'user', content: 'Hi' }]
 * ```
 */
export function convertToOpenAIMessages(messages: readonly Message[]): OpenAIChatMessage[] {
  const result: OpenAIChatMessage[] = [];
  const sentIds = providerCallIds(messages);
  for (const message of messages) {
    switch (message.role) {
      case 'system':
      case 'user':
        result.push({ role: message.role, content: message.content });
        break;
      case 'assistant':
        result.push(
          message.toolCalls.length === 0
            ? { role: 'assistant', content: message.content }
            : {
                role: 'assistant',
                content: message.content === '' ? null : message.content,
                tool_calls: message.toolCalls.map((call) => ({
                  id: sentIds.get(call.id) ?? call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: call.arguments },
                })),
              },
        );
        break;
      case 'tool':
        result.push({
          role: 'tool',
          tool_call_id: sentIds.get(message.toolCallId) ?? message.toolCallId,
          content: toolResultText(message.result),
        });
        break;
    }
  }
  return result;
}

/**
 * Converts tool specs to the `tools` field of a request.
 * @example
 * ```ts
 * convertToOpenAITools([{ name: 'add', description: 'Adds.', inputSchema: { type: 'object' } }]);
 * ```
 */
export function convertToOpenAITools(tools: readonly ToolSpec[]): OpenAIChatTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
}
