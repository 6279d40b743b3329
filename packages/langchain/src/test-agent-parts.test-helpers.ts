import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { FakeBuiltModel } from '@langchain/core/testing';
import { createMiddleware, tool } from 'langchain';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';

/** What a model call received, as a spy middleware placed after Reins sees it. */
export interface SeenRequest {
  readonly messages: readonly { readonly type: string; readonly text: string }[];
  readonly rawMessages: readonly BaseMessage[];
  readonly tools: readonly string[];
  readonly modelSettings: Record<string, unknown> | undefined;
  readonly toolChoice: unknown;
}

/** A middleware that records every model request after the middleware before it changed it. */
export function createRequestSpy() {
  const requests: SeenRequest[] = [];
  const middleware = createMiddleware({
    name: 'RequestSpy',
    wrapModelCall: (request, handler) => {
      requests.push({
        messages: request.messages.map((message) => ({
          type: message.getType(),
          text: textOf(message.content),
        })),
        rawMessages: [...request.messages],
        tools: request.tools.map((entry) => (entry as { name: string }).name),
        modelSettings: request.modelSettings,
        toolChoice: request.toolChoice,
      });
      return handler(request);
    },
  });
  return { middleware, requests };
}

/** A real LangChain tool that echoes its input and counts its calls. */
export function createEchoTool() {
  const calls: string[] = [];
  const echo = tool(
    async ({ text }: { text: string }) => {
      calls.push(text);
      return `echo: ${text}`;
    },
    { name: 'echo', description: 'Echoes the text.', schema: z.object({ text: z.string() }) },
  );
  return { echo, calls };
}

/**
 * LangChain's fake model, except that the first `holdCalls` invocations wait until their
 * abort signal fires (a model server that is still thinking), then throw the abort reason.
 */
export class HeldFakeModel extends FakeBuiltModel {
  started = 0;
  aborted = 0;
  private readonly holdCalls: number;
  private readonly onHold: () => void;

  constructor(holdCalls: number, onHold: () => void) {
    super();
    this.holdCalls = holdCalls;
    this.onHold = onHold;
  }

  /** Keeps this instance (and its hold) when the agent binds tools, with the call options. */
  override bindTools(
    _tools: Parameters<FakeBuiltModel['bindTools']>[0],
    kwargs?: Record<string, unknown>,
  ): ReturnType<FakeBuiltModel['bindTools']> {
    return this.withConfig(kwargs ?? {}) as unknown as ReturnType<FakeBuiltModel['bindTools']>;
  }

  override async _generate(
    messages: BaseMessage[],
    options?: this['ParsedCallOptions'],
  ): ReturnType<FakeBuiltModel['_generate']> {
    this.started += 1;
    if (this.started <= this.holdCalls) {
      const signal = options?.signal;
      await new Promise<void>((_resolve, reject) => {
        if (signal === undefined) return;
        signal.addEventListener(
          'abort',
          () => {
            this.aborted += 1;
            reject(signal.reason);
          },
          { once: true },
        );
        this.onHold();
      });
    }
    return super._generate(messages, options);
  }
}

/**
 * A chat model that calls the `echo` tool while tools are bound (up to `toolTurns` times),
 * and answers in text when called without tools, as a real model does. Its tool calls depend
 * only on the conversation (the n-th answer calls `echo` with id `call_n`), so a new process
 * continuing the same thread gets the same calls.
 */
export class ToolHungryModel extends BaseChatModel {
  callCount = 0;
  readonly toolsSeen: number[] = [];
  private readonly toolTurns: number;
  private readonly text: (index: number) => string;

  constructor(toolTurns = Number.POSITIVE_INFINITY, text = (index: number) => `step ${index}`) {
    super({});
    this.toolTurns = toolTurns;
    this.text = text;
  }

  _llmType(): string {
    return 'tool-hungry';
  }

  override bindTools(
    tools: Parameters<BaseChatModel['bindTools'] & object>[0],
    kwargs?: Record<string, unknown>,
  ) {
    return this.withConfig({ ...kwargs, tools } as never);
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): Promise<ChatResult> {
    this.callCount += 1;
    const index = messages.filter((message) => message.getType() === 'ai').length + 1;
    const tools = (options as { tools?: unknown[] }).tools ?? [];
    this.toolsSeen.push(tools.length);
    const message =
      tools.length > 0 && index <= this.toolTurns
        ? new AIMessage({
            content: '',
            tool_calls: [{ id: `call_${index}`, name: 'echo', args: { text: this.text(index) } }],
          })
        : new AIMessage('Final answer from what I found.');
    return { generations: [{ text: textOf(message.content), message }] };
  }
}
