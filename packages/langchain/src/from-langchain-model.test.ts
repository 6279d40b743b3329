import { AIMessageChunk } from '@langchain/core/messages';
import {
  FakeChatModel,
  FakeListChatModel,
  FakeStreamingChatModel,
} from '@langchain/core/utils/testing';
import { ChatOpenAI } from '@langchain/openai';
import {
  createAgent,
  defineTool,
  ModelCallError,
  type ModelRequest,
  type ModelStreamPart,
} from '@reins/core';
import {
  type ChatCompletionsServer,
  createBackendConformanceCases,
  createChatCompletionsServer,
} from '@reins/openai/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromLangChainModel } from './from-langchain-model.js';

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await createChatCompletionsServer();
});
afterAll(async () => {
  await server.close();
});

/** What the openai SDK logs, kept off the console. */
const sdkErrors: string[] = [];
const sdkLogger = {
  error: (...args: unknown[]) => sdkErrors.push(args.map(String).join(' ')),
  warn: () => {},
  info: () => {},
  debug: () => {},
};

const chatOpenAI = () =>
  new ChatOpenAI({
    model: 'gpt-4.1-mini',
    apiKey: 'test-key',
    configuration: { baseURL: server.baseURL, logger: sdkLogger },
    maxRetries: 2,
    streamUsage: true,
  });

async function collect(
  backend: ReturnType<typeof fromLangChainModel>,
  request: Partial<ModelRequest> = {},
) {
  const parts: ModelStreamPart[] = [];
  for await (const part of backend.stream({
    messages: [{ role: 'user', content: 'Hi' }],
    tools: [],
    signal: new AbortController().signal,
    ...request,
  }))
    parts.push(part);
  return parts;
}

describe('conformance: fromLangChainModel(ChatOpenAI) against the loopback server', () => {
  const cases = createBackendConformanceCases({
    name: 'langchain-chatopenai',
    features: { reasoning: true, cachedTokens: true, cost: true, faults: true },
    prepare: (...completions) => {
      server.enqueue(...completions);
      const first = server.requests.length;
      return {
        backend: fromLangChainModel(chatOpenAI(), {
          idleTimeoutMs: 300,
          firstChunkTimeoutMs: 10_000,
          cost: (usage) =>
            ((usage.inputTokens ?? 0) - (usage.cachedInputTokens ?? 0)) * 4e-7 +
            (usage.cachedInputTokens ?? 0) * 1e-7 +
            (usage.outputTokens ?? 0) * 1.6e-6,
        }),
        served: (index) => server.waitForRequest(first + index),
      };
    },
  });
  for (const check of cases) {
    it(check.name, async () => {
      const before = sdkErrors.length;
      await check.run();
      // The openai SDK under ChatOpenAI logs a chunk it cannot parse before throwing.
      if (check.name.includes('malformed')) expect(sdkErrors.length).toBeGreaterThan(before);
    }, 30_000);
  }
});

describe('fromLangChainModel with LangChain fake models', () => {
  it('streams FakeListChatModel text and names the backend after the model', async () => {
    const backend = fromLangChainModel(new FakeListChatModel({ responses: ['Hello there'] }));
    expect(backend.provider).toBe('fake-list');
    const parts = await collect(backend);
    expect(
      parts
        .filter((part) => part.type === 'text-delta')
        .map((part) => (part.type === 'text-delta' ? part.delta : ''))
        .join(''),
    ).toBe('Hello there');
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('binds tools and turns FakeStreamingChatModel tool-call chunks into tool calls', async () => {
    const model = new FakeStreamingChatModel({
      chunks: [
        new AIMessageChunk({ content: 'Adding. ' }),
        new AIMessageChunk({
          content: '',
          tool_calls: [{ id: 'c1', name: 'add', args: { a: 1, b: 2 }, type: 'tool_call' }],
        }),
      ],
    });
    const backend = fromLangChainModel(model);
    const parts = await collect(backend, {
      tools: [
        {
          name: 'add',
          description: 'Adds.',
          inputSchema: { type: 'object', properties: { a: { type: 'number' } } },
        },
      ],
    });
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([
      { type: 'tool-call', id: 'c1', name: 'add', arguments: '{"a":1,"b":2}' },
    ]);
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('stops at once when the signal aborts', async () => {
    const backend = fromLangChainModel(
      new FakeStreamingChatModel({
        sleep: 5,
        responses: [new AIMessageChunk('a long answer that streams slowly')],
      }),
    );
    const controller = new AbortController();
    const parts: ModelStreamPart[] = [];
    for await (const part of backend.stream({
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [],
      signal: controller.signal,
    })) {
      parts.push(part);
      if (parts.length === 2) controller.abort();
    }
    expect(parts.length).toBe(2);
  });

  it('maps a keep-alive hint to Anthropic cache_control with a ttl', async () => {
    // FakeChatModel answers with the content it received, so the request is visible.
    const backend = fromLangChainModel(new FakeChatModel({}), { cacheControl: 'anthropic' });
    const long = await collect(backend, { hints: { programId: 'p', turn: 1, ttlMs: 3_600_000 } });
    const text = long.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
    expect(JSON.parse(text)).toEqual([
      { type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    const short = await collect(backend, { hints: { programId: 'p', turn: 1, ttlMs: 60_000 } });
    expect(short.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toContain(
      '"ttl": "5m"',
    );
    const none = await collect(fromLangChainModel(new FakeChatModel({})), {
      hints: { programId: 'p', turn: 1, ttlMs: 60_000 },
    });
    expect(none.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('')).toBe('Hi');
  });

  it('wraps a model failure in a ModelCallError', async () => {
    const backend = fromLangChainModel(
      new FakeStreamingChatModel({ thrownErrorString: 'model exploded' }),
    );
    await expect(collect(backend)).rejects.toMatchObject({
      code: 'model-call',
      retryable: false,
      message: expect.stringContaining('model exploded'),
    });
  });
});

describe('a ChatOpenAI failure as a typed error that names the fix', () => {
  const cases = [
    { status: 401, retryable: false, fix: 'Check the API key the chat model is configured with.' },
    { status: 403, retryable: false, fix: 'Check the API key the chat model is configured with.' },
    {
      status: 404,
      retryable: false,
      fix: "Check the chat model's base URL and that model 'gpt-4.1-mini' exists.",
    },
    {
      status: 429,
      retryable: true,
      fix: "LangChain's own retries (the model's maxRetries) are exhausted; retry the run later.",
    },
    {
      status: 500,
      retryable: true,
      fix: "LangChain's own retries (the model's maxRetries) are exhausted; retry the run later.",
    },
    { status: 408, retryable: true, fix: "LangChain's own retries" },
    { status: 422, retryable: false, fix: 'Check the chat model configuration and the request.' },
  ] as const;
  for (const { status, retryable, fix } of cases) {
    it(`${status}: ${retryable ? 'retryable' : 'not retryable'}`, async () => {
      server.enqueue({ fault: { type: 'status', status } });
      const model = new ChatOpenAI({
        model: 'gpt-4.1-mini',
        apiKey: 'test-key',
        configuration: { baseURL: server.baseURL, logger: sdkLogger },
        maxRetries: 0,
      });

      const failure = await collect(fromLangChainModel(model)).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(ModelCallError);
      const error = failure as ModelCallError;
      expect(error.retryable).toBe(retryable);
      expect(error.message).toContain(`The openai model failed with status ${status}: `);
      expect(error.message).toContain(fix);
    });
  }

  it('counts a refused connection as retryable and keeps it as the cause', async () => {
    const model = new ChatOpenAI({
      model: 'gpt-4.1-mini',
      apiKey: 'test-key',
      // Nothing listens on port 9 of the loopback interface.
      configuration: { baseURL: 'http://127.0.0.1:9/v1', logger: sdkLogger },
      maxRetries: 0,
    });

    const failure = await collect(fromLangChainModel(model)).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ModelCallError);
    expect((failure as ModelCallError).retryable).toBe(true);
    expect((failure as ModelCallError).message).toContain("LangChain's own retries");
    expect((failure as ModelCallError).cause).toBeDefined();
  });
});

describe('the agent loop on ChatOpenAI through fromLangChainModel', () => {
  it('runs a tool call and a final answer against the loopback server', async () => {
    const add = defineTool({
      name: 'add',
      description: 'Adds two numbers.',
      input: z.object({ a: z.number(), b: z.number() }),
      execute: ({ a, b }) => a + b,
    });
    server.enqueue(
      {
        toolCalls: [{ id: 'call_9', name: 'add', arguments: { a: 4, b: 5 } }],
        usage: { promptTokens: 50, completionTokens: 8 },
      },
      { text: 'It is 9.', usage: { promptTokens: 70, completionTokens: 4, cachedTokens: 50 } },
    );
    const first = server.requests.length;
    const result = await createAgent({
      backend: fromLangChainModel(chatOpenAI()),
      tools: [add],
    }).run('4 + 5?').result;
    expect(result.status).toBe('done');
    expect(result.output).toBe('It is 9.');
    expect(result.usage).toMatchObject({
      inputTokens: 120,
      outputTokens: 12,
      cachedInputTokens: 50,
    });
    const body = server.requests[first + 1]?.body as {
      messages: { role: string; content?: unknown; tool_call_id?: string }[];
      tools: unknown[];
    };
    expect(body.tools).toEqual([
      expect.objectContaining({
        type: 'function',
        function: expect.objectContaining({ name: 'add' }),
      }),
    ]);
    expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(body.messages[2]).toMatchObject({ tool_call_id: 'call_9', content: '9' });
  });
});
