import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { RunnableLambda } from '@langchain/core/runnables';
import { fakeModel } from '@langchain/core/testing';
import { createController } from '@reins/controller';
import {
  type AgentMiddleware,
  anthropicPromptCachingMiddleware,
  createAgent,
  createMiddleware,
  tool,
  toolRetryMiddleware,
} from 'langchain';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';
import { reinsMiddleware } from './reins-middleware.js';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

/** A middleware of the same hook shape and private state as Reins that does nothing. */
const doNothing = () =>
  createMiddleware({
    name: 'DoNothing',
    stateSchema: z.object({ _nothing: z.string().optional() }),
    wrapModelCall: (request, handler) => handler(request),
    wrapToolCall: (request, handler) => handler(request),
  });

/** Reins with a neutral controller: no budget, no monitor. */
const neutralReins = () => reinsMiddleware(createController());

type Placement = (others: readonly AgentMiddleware[]) => AgentMiddleware[];
const placements: readonly (readonly [string, Placement])[] = [
  ['a do-nothing middleware (control)', (others) => [doNothing(), ...others]],
  ['Reins first', (others) => [neutralReins(), ...others]],
  ['Reins last', (others) => [...others, neutralReins()]],
];

/** A chat model with native structured output (`profile.structuredOutput`). */
class NativeStructuredModel extends BaseChatModel {
  readonly optionsSeen: Record<string, unknown>[] = [];
  override get profile() {
    return { structuredOutput: true };
  }
  _llmType(): string {
    return 'native-structured';
  }
  override bindTools(
    tools: Parameters<BaseChatModel['bindTools'] & object>[0],
    kwargs?: Record<string, unknown>,
  ) {
    return this.withConfig({ ...kwargs, tools } as never);
  }
  async _generate(
    _messages: BaseMessage[],
    options: this['ParsedCallOptions'],
  ): Promise<ChatResult> {
    this.optionsSeen.push(options as Record<string, unknown>);
    const message = new AIMessage('{"city":"Paris"}');
    return { generations: [{ text: textOf(message.content), message }] };
  }
}

/** A loopback stand-in for Anthropic's Messages API that records request bodies. */
async function startAnthropicServer(): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    bodies.push(body);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: `msg_${bodies.length}`,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Hello from Claude.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 12, output_tokens: 4 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, bodies };
}

const savedEnv = { ...process.env };
afterEach(() => {
  process.env.ANTHROPIC_BASE_URL = savedEnv.ANTHROPIC_BASE_URL;
  process.env.ANTHROPIC_API_KEY = savedEnv.ANTHROPIC_API_KEY;
  if (savedEnv.ANTHROPIC_BASE_URL === undefined) delete process.env.ANTHROPIC_BASE_URL;
  if (savedEnv.ANTHROPIC_API_KEY === undefined) delete process.env.ANTHROPIC_API_KEY;
});

describe.each(placements)('LangChain behaves as without Reins, with %s', (_name, place) => {
  it('lets a retry middleware see the tool error and retry it', async () => {
    let attempts = 0;
    const flaky = tool(
      () => {
        attempts += 1;
        if (attempts < 3) throw new Error(`Flaky failure ${attempts}`);
        return `Success after ${attempts} attempts`;
      },
      { name: 'flaky', description: 'Fails twice.', schema: z.object({}) },
    );
    const model = fakeModel()
      .respondWithTools([{ name: 'flaky', args: {} }])
      .respond(new AIMessage('Done.'));
    const agent = createAgent({
      model,
      tools: [flaky],
      middleware: place([toolRetryMiddleware({ maxRetries: 2, initialDelayMs: 0, jitter: false })]),
    });

    const result = await agent.invoke(ask('Call it.'));

    expect(attempts).toBe(3);
    const answer = result.messages.find(ToolMessage.isInstance);
    expect(textOf(answer?.content ?? '')).toBe('Success after 3 attempts');
  });

  it("lets a tool's error end the run as LangChain ends it", async () => {
    const broken = tool(
      () => {
        throw new TypeError('Disk not mounted');
      },
      { name: 'broken', description: 'Always fails.', schema: z.object({}) },
    );
    const model = fakeModel()
      .respondWithTools([{ name: 'broken', args: {} }])
      .respond(new AIMessage('Done.'));
    const agent = createAgent({ model, tools: [broken], middleware: place([]) });

    await expect(agent.invoke(ask('Call it.'))).rejects.toThrow('Disk not mounted');
  });

  it('lets an authorization middleware see the tool by name and block it', async () => {
    let executed = false;
    const admin = tool(
      () => {
        executed = true;
        return 'Admin action executed';
      },
      { name: 'delete_everything', description: 'Admin only.', schema: z.object({}) },
    );
    const seen: unknown[] = [];
    const authorization = createMiddleware({
      name: 'Authorization',
      wrapToolCall: (request, handler) => {
        seen.push(request.tool);
        if (request.tool?.name === 'delete_everything') {
          return new ToolMessage({
            content: 'Access denied',
            tool_call_id: request.toolCall.id ?? '',
            name: request.toolCall.name,
            status: 'error',
          });
        }
        return handler(request);
      },
    });
    const model = fakeModel()
      .respondWithTools([{ name: 'delete_everything', args: {} }])
      .respond(new AIMessage('Could not.'));
    const agent = createAgent({ model, tools: [admin], middleware: place([authorization]) });

    const result = await agent.invoke(ask('Delete it.'));

    expect(seen).toEqual([admin]);
    expect(executed).toBe(false);
    expect(textOf(result.messages.find(ToolMessage.isInstance)?.content ?? '')).toBe(
      'Access denied',
    );
  });

  it('runs a tool made with .asTool()', async () => {
    const upper = RunnableLambda.from(
      async (input: { text: string }) => `upper: ${input.text.toUpperCase()}`,
    ).asTool({
      name: 'upper',
      description: 'Upper-cases the text.',
      schema: z.object({ text: z.string() }),
    });
    const model = fakeModel()
      .respondWithTools([{ name: 'upper', args: { text: 'abc' } }])
      .respond(new AIMessage('Done.'));
    const agent = createAgent({ model, tools: [upper], middleware: place([]) });

    const result = await agent.invoke(ask('Shout abc.'));

    expect(textOf(result.messages.find(ToolMessage.isInstance)?.content ?? '')).toBe('upper: ABC');
  });

  it("uses the provider's native structured output for a JSON-schema responseFormat", async () => {
    const model = new NativeStructuredModel({});
    const agent = createAgent({
      model,
      tools: [],
      responseFormat: {
        title: 'Answer',
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
      middleware: place([]),
    });

    const result = await agent.invoke(ask('Where is the Louvre?'));

    expect(result.structuredResponse).toEqual({ city: 'Paris' });
    expect(model.optionsSeen[0]?.response_format).toMatchObject({ type: 'json_schema' });
    expect(model.optionsSeen[0]?.tools).toEqual([]);
  });

  it('keeps the provider of a string Anthropic model id, so prompt caching applies', async () => {
    const { server, url, bodies } = await startAnthropicServer();
    process.env.ANTHROPIC_BASE_URL = url;
    process.env.ANTHROPIC_API_KEY = 'test-key';
    try {
      const agent = createAgent({
        model: 'anthropic:claude-sonnet-4-5',
        tools: [],
        middleware: place([
          // (LangChain's config type does not resolve under this package's zod; the values are its own.)
          anthropicPromptCachingMiddleware({
            unsupportedModelBehavior: 'raise',
            minMessagesToCache: 1,
          } as never),
        ]),
      });

      const result = await agent.invoke(ask('Hello.'));

      expect(textOf(result.messages.at(-1)?.content ?? '')).toBe('Hello from Claude.');
      expect(bodies).toHaveLength(1);
      expect(bodies[0]).toContain('"cache_control":{"type":"ephemeral"');
    } finally {
      server.close();
    }
  });

  it('leaves no Reins key in the output state', async () => {
    const model = fakeModel().respond(new AIMessage('Hi.'));
    const agent = createAgent({ model, tools: [], middleware: place([]) });

    const result = await agent.invoke(ask('Hello.'));

    expect(Object.keys(result)).toEqual(['messages']);
  });
});
