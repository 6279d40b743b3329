/**
 * Instant model and tool for the overhead benchmarks: they answer at once, so what is timed
 * is the loop's own orchestration.
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { z } from 'zod';
import { defineTool, type ModelBackend, type ModelStreamPart } from '../src/index.js';

/** A Reins backend that calls `echo` for `turns - 1` turns, then answers. */
export function createInstantBackend(turns: number): ModelBackend {
  let calls = 0;
  return {
    specificationVersion: 'v1',
    provider: 'instant',
    modelId: 'instant-1',
    capabilities: { toolCalls: true, reasoning: false, logprobs: false },
    async *stream(): AsyncGenerator<ModelStreamPart> {
      calls += 1;
      if (calls < turns) {
        yield { type: 'tool-call', id: `call_${calls}`, name: 'echo', arguments: '{"text":"hi"}' };
        yield { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } };
        yield { type: 'finish', reason: 'tool-calls' };
      } else {
        yield { type: 'text-delta', delta: 'done' };
        yield { type: 'finish', reason: 'stop' };
      }
    },
  };
}

/** The Reins echo tool. */
export const echoTool = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

/** A LangChain chat model with the same script: `echo` for `turns - 1` calls, then an answer. */
export class InstantChatModel extends BaseChatModel {
  #calls = 0;
  readonly #turns: number;

  constructor(turns: number) {
    super({});
    this.#turns = turns;
  }

  _llmType(): string {
    return 'instant';
  }

  override bindTools(): this {
    return this;
  }

  async _generate(_messages: BaseMessage[]): Promise<ChatResult> {
    this.#calls += 1;
    const message =
      this.#calls < this.#turns
        ? new AIMessage({
            content: '',
            tool_calls: [
              { id: `call_${this.#calls}`, name: 'echo', args: { text: 'hi' }, type: 'tool_call' },
            ],
          })
        : new AIMessage({ content: 'done' });
    return {
      generations: [{ text: typeof message.content === 'string' ? message.content : '', message }],
    };
  }
}
