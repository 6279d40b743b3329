import path from 'node:path';
import { createAgent, defineTool, InvalidOptionsError, type ModelStreamPart } from '@reins/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createOpenAICompatible,
  type OpenAICompatibleSettings,
} from './create-openai-compatible.js';
import type { OpenAIBackendEvent } from './openai-backend-event.js';
import { OpenAICallError } from './openai-call-error.js';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
} from './testing/chat-completions-server.js';

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await createChatCompletionsServer();
});
afterAll(async () => {
  await server.close();
});

const backendFor = (settings: Partial<OpenAICompatibleSettings> = {}) =>
  createOpenAICompatible({
    baseURL: server.baseURL,
    apiKey: 'test-key',
    model: 'gpt-4.1-mini',
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...settings,
  });

async function run(
  backend: ReturnType<typeof backendFor>,
  request: Partial<Parameters<ReturnType<typeof backendFor>['stream']>[0]> = {},
) {
  const parts: ModelStreamPart[] = [];
  try {
    for await (const part of backend.stream({
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [],
      signal: new AbortController().signal,
      ...request,
    }))
      parts.push(part);
    return { parts, error: undefined as unknown };
  } catch (error) {
    return { parts, error };
  }
}

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

describe('request fields per flavour', () => {
  const hints = { programId: 'run-7', turn: 3, priority: 5, ttlMs: 3_600_000, isLastStep: true };

  it('openai: prompt_cache_key and 24h retention, max_completion_tokens, nothing OpenAI rejects', async () => {
    server.enqueue({ text: 'ok' });
    await run(backendFor(), { hints, settings: { maxTokens: 50, temperature: 0.2 } });
    const body = lastBody();
    expect(body).toMatchObject({
      model: 'gpt-4.1-mini',
      stream: true,
      stream_options: { include_usage: true },
      prompt_cache_key: 'run-7',
      prompt_cache_retention: '24h',
      max_completion_tokens: 50,
      temperature: 0.2,
    });
    for (const field of [
      'priority',
      'job_id',
      'is_last_step',
      'request_id',
      'cache_prompt',
      'id_slot',
      'max_tokens',
    ])
      expect(body).not.toHaveProperty(field);
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer test-key');
  });

  it('openai: a short keep-alive asks for in-memory retention; cacheKey wins over the program id', async () => {
    server.enqueue({ text: 'ok' });
    await run(backendFor(), {
      hints: { programId: 'p', turn: 1, ttlMs: 60_000, cacheKey: 'shared-prefix' },
    });
    expect(lastBody()).toMatchObject({
      prompt_cache_key: 'shared-prefix',
      prompt_cache_retention: 'in_memory',
    });
  });

  it('vllm: request_id always; priority, Continuum fields and the session header only when switched on', async () => {
    server.enqueue({ text: 'ok' }, { text: 'ok' });
    await run(backendFor({ flavor: 'vllm' }), { hints, settings: { maxTokens: 10 } });
    expect(lastBody()).toMatchObject({ request_id: 'run-7-t3-a1', max_tokens: 10 });
    expect(lastBody()).not.toHaveProperty('priority');
    expect(lastBody()).not.toHaveProperty('job_id');
    expect(lastBody()).not.toHaveProperty('prompt_cache_key');
    await run(
      backendFor({
        flavor: 'vllm',
        hintFields: { priorityScheduling: true, continuum: true, sessionHeader: 'x-session-id' },
      }),
      { hints },
    );
    expect(lastBody()).toMatchObject({ priority: 5, job_id: 'run-7', is_last_step: true });
    expect(server.requests.at(-1)?.headers['x-session-id']).toBe('run-7');
  });

  it('sglang: rid, and priority when switched on', async () => {
    server.enqueue({ text: 'ok' });
    await run(backendFor({ flavor: 'sglang', hintFields: { priorityScheduling: true } }), {
      hints,
    });
    expect(lastBody()).toMatchObject({ rid: 'run-7-t3-a1', priority: 5 });
  });

  it('llamacpp: cache_prompt always, a stable id_slot per program with slots', async () => {
    server.enqueue({ text: 'ok' }, { text: 'ok' }, { text: 'ok' });
    const backend = backendFor({ flavor: 'llamacpp', hintFields: { slots: 4 } });
    await run(backend);
    expect(lastBody()).toMatchObject({ cache_prompt: true });
    expect(lastBody()).not.toHaveProperty('id_slot');
    await run(backend, { hints });
    const slot = lastBody().id_slot;
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(slot).toBeLessThan(4);
    await run(backend, { hints: { ...hints, turn: 4 } });
    expect(lastBody().id_slot).toBe(slot);
  });

  it('ollama: no hint fields, reasoning read from `reasoning`, no key header', async () => {
    server.enqueue({ reasoning: 'think', reasoningField: 'reasoning', text: 'ok' });
    const { parts } = await run(backendFor({ flavor: 'ollama', apiKey: '' }), { hints });
    const body = lastBody();
    for (const field of [
      'prompt_cache_key',
      'priority',
      'request_id',
      'rid',
      'cache_prompt',
      'id_slot',
    ])
      expect(body).not.toHaveProperty(field);
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
    expect(parts).toContainEqual({ type: 'reasoning-delta', delta: 'think' });
  });

  it('hints.extra is passed through; tools, tool_choice and logprobs are sent', async () => {
    server.enqueue({ text: 'ok' });
    await run(backendFor({ flavor: 'vllm' }), {
      hints: { programId: 'p', turn: 1, extra: { kv_transfer_params: { mode: 'x' } } },
      tools: [{ name: 'add', description: 'Adds.', inputSchema: { type: 'object' } }],
      settings: { toolChoice: 'required', logprobs: { topLogprobs: 3 } },
    });
    expect(lastBody()).toMatchObject({
      kv_transfer_params: { mode: 'x' },
      tools: [
        {
          type: 'function',
          function: { name: 'add', description: 'Adds.', parameters: { type: 'object' } },
        },
      ],
      tool_choice: 'required',
      logprobs: true,
      top_logprobs: 3,
    });
  });
});

describe('retries', () => {
  it('retries 429 honouring Retry-After and reports each retry as an event', async () => {
    const events: OpenAIBackendEvent[] = [];
    server.enqueue(
      { fault: { type: 'status', status: 429, retryAfter: '0' } },
      { fault: { type: 'status', status: 500 } },
      { text: 'finally' },
    );
    const { parts, error } = await run(backendFor({ onEvent: (event) => events.push(event) }));
    expect(error).toBeUndefined();
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const retries = events.filter((event) => event.type === 'request.retry');
    expect(retries.map((event) => event.type === 'request.retry' && event.cause.status)).toEqual([
      429, 500,
    ]);
    expect(retries[0]).toMatchObject({ attempt: 1, afterOutput: false, retryAfterMs: 0 });
    expect(events.map((event) => event.type)).toEqual([
      'request.start',
      'request.retry',
      'request.start',
      'request.retry',
      'request.start',
      'request.end',
    ]);
    expect(events.at(-1)).toMatchObject({ outcome: 'finished', attempt: 3 });
  });

  it('waits at least what Retry-After asks, on the injected clock', async () => {
    const delays: number[] = [];
    server.enqueue({ fault: { type: 'status', status: 503, retryAfter: '1' } }, { text: 'ok' });
    const { error } = await run(
      backendFor({
        random: () => 0,
        clock: {
          now: () => 0,
          setTimeout: (callback, ms) => {
            delays.push(ms);
            // The retry delay passes at once; the time limits keep their real length.
            return setTimeout(callback, ms === 1000 ? 0 : ms);
          },
          clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
        },
        onEvent: () => {},
      }),
    );
    expect(error).toBeUndefined();
    expect(delays).toContain(1000);
  });

  it('retries a reset that happens before any output', async () => {
    server.enqueue(
      { text: 'abcdef', fault: { type: 'reset', afterChunks: 0 } },
      { text: 'second try' },
    );
    const { parts, error } = await run(backendFor());
    expect(error).toBeUndefined();
    expect(
      parts
        .filter((part) => part.type === 'text-delta')
        .map((part) => (part.type === 'text-delta' ? part.delta : ''))
        .join(''),
    ).toBe('second try');
  });

  it('never retries after output unless asked to, then says how to allow it', async () => {
    server.enqueue({ text: 'abcdefgh', chunkSize: 2, fault: { type: 'reset', afterChunks: 3 } });
    const before = server.requests.length;
    const { error } = await run(backendFor());
    expect(OpenAICallError.isInstance(error)).toBe(true);
    expect((error as OpenAICallError).kind).toBe('connection');
    expect((error as OpenAICallError).retryable).toBe(true);
    expect((error as Error).message).toContain('retry.retryAfterOutput');
    expect(server.requests.length - before).toBe(1);

    const events: OpenAIBackendEvent[] = [];
    server.enqueue(
      { text: 'abcdefgh', chunkSize: 2, fault: { type: 'reset', afterChunks: 3 } },
      { text: 'whole' },
    );
    const retried = await run(
      backendFor({
        retry: { retryAfterOutput: true, initialDelayMs: 1 },
        onEvent: (event) => events.push(event),
      }),
    );
    expect(retried.error).toBeUndefined();
    expect(events.find((event) => event.type === 'request.retry')).toMatchObject({
      afterOutput: true,
    });
  });

  it('voids a retried attempt with a restart part, so history holds only the new answer', async () => {
    server.enqueue(
      { text: 'hello world', chunkSize: 2, fault: { type: 'reset', afterChunks: 5 } },
      { text: 'hello world', chunkSize: 2 },
    );
    const backend = backendFor({ retry: { retryAfterOutput: true, initialDelayMs: 1 } });
    const streamed = await run(backend);
    const restart = streamed.parts.findIndex((part) => part.type === 'restart');
    const textOf = (parts: ModelStreamPart[]) =>
      parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join('');
    expect(textOf(streamed.parts.slice(0, restart))).toBe('hello wo');
    expect(textOf(streamed.parts.slice(restart + 1))).toBe('hello world');

    server.enqueue(
      { text: 'hello world', chunkSize: 2, fault: { type: 'reset', afterChunks: 5 } },
      { text: 'hello world', chunkSize: 2 },
    );
    const result = await createAgent({ backend }).run('Greet.').result;
    expect(result.output).toBe('hello world');
    const assistant = result.messages.filter((message) => message.role === 'assistant');
    expect(assistant.map((message) => message.content)).toEqual(['hello world']);
  });

  it("lets a call's retryAfterOutput: false override the backend's retry settings", async () => {
    server.enqueue(
      { text: 'hello world', chunkSize: 2, fault: { type: 'reset', afterChunks: 5 } },
      { text: 'hello world', chunkSize: 2 },
    );
    const before = server.requests.length;
    const { parts, error } = await run(
      backendFor({ retry: { retryAfterOutput: true, initialDelayMs: 1 } }),
      { settings: { retryAfterOutput: false } },
    );
    expect((error as Error).message).toContain('Not retried: output had already been delivered');
    expect(parts.some((part) => part.type === 'restart')).toBe(false);
    expect(server.requests.length - before).toBe(1);
    // The second scripted answer was not asked for: take it off the queue.
    await run(backendFor());
  });

  it('gives up at once when Retry-After exceeds maxRetryAfterMs', async () => {
    server.enqueue({ fault: { type: 'status', status: 429, retryAfter: '120' } });
    const before = server.requests.length;
    const { error } = await run(backendFor());
    expect((error as OpenAICallError).status).toBe(429);
    expect((error as Error).message).toContain('retry.maxRetryAfterMs');
    expect(server.requests.length - before).toBe(1);
  });

  it('gives up after maxRetries and says so', async () => {
    server.enqueue(
      ...Array.from({ length: 3 }, () => ({ fault: { type: 'status' as const, status: 502 } })),
    );
    const { error } = await run(backendFor({ retry: { maxRetries: 2, initialDelayMs: 1 } }));
    expect((error as Error).message).toContain('Gave up after 3 attempts');
  });
});

describe('bad input gives typed errors that quote an excerpt and name the fix', () => {
  it('a wrong base URL (missing /v1) answers an HTML page', async () => {
    const { error } = await run(backendFor({ baseURL: server.origin }));
    expect(OpenAICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'html-response', status: 404, retryable: false });
    expect((error as Error).message).toContain('Cannot POST /chat/completions');
    expect((error as Error).message).toContain('ending in /v1');
  });

  it('a malformed chunk', async () => {
    server.enqueue({ text: 'abcd', chunkSize: 2, fault: { type: 'malformed', afterChunks: 2 } });
    const { parts, error } = await run(backendFor());
    expect(error).toMatchObject({ kind: 'malformed-chunk', code: 'model-call' });
    expect((error as Error).message).toContain('"content": "unterminated');
    expect(parts.map((part) => part.type)).toEqual(['text-delta']);
  });

  it('an unknown finish reason finishes as other with its raw value and an event; a mapping overrides it', async () => {
    server.enqueue(
      { text: 'ok', finishReason: 'recitation' },
      { text: 'ok', finishReason: 'recitation' },
    );
    const events: OpenAIBackendEvent[] = [];
    const { parts, error } = await run(backendFor({ onEvent: (event) => events.push(event) }));
    expect(error).toBeUndefined();
    expect(parts.at(-1)).toEqual({ type: 'finish', reason: 'other', rawReason: 'recitation' });
    expect(events.filter((event) => event.type === 'finish.unmapped')).toMatchObject([
      { rawReason: 'recitation', attempt: 1 },
    ]);
    const fixed = await run(backendFor({ finishReasons: { recitation: 'content-filter' } }));
    expect(fixed.parts.at(-1)).toEqual({ type: 'finish', reason: 'content-filter' });
  });

  it('a second choice in the stream (n > 1 sent some other way) fails with a typed error', async () => {
    const chunk = (index: number, content: string) =>
      `data: ${JSON.stringify({ choices: [{ index, delta: { content }, finish_reason: null }] })}\n\n`;
    server.enqueue({ raw: { body: `${chunk(0, 'Hello')}${chunk(1, 'Bonjour')}data: [DONE]\n\n` } });
    const { parts, error } = await run(backendFor());
    expect(error).toMatchObject({ kind: 'multiple-choices', retryable: false });
    expect((error as Error).message).toContain('Remove n');
    expect(parts.map((part) => part.type)).toEqual(['text-delta']);
  });

  it('n above 1 in body is refused at creation with the fix', () => {
    expect(() => backendFor({ body: { n: 2 } })).toThrow(InvalidOptionsError);
    expect(() => backendFor({ body: { n: 2 } })).toThrow(/Remove n from body/);
    expect(() => backendFor({ body: { n: 1 } })).not.toThrow();
  });

  it('nothing listening at the base URL', async () => {
    const closed = await createChatCompletionsServer();
    await closed.close();
    const { error } = await run(backendFor({ baseURL: closed.baseURL, retry: { maxRetries: 0 } }));
    expect(error).toMatchObject({ kind: 'connection' });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('an HTML page with status 200 instead of an event stream', async () => {
    const { error } = await run(
      backendFor({
        fetch: async () =>
          new Response('<html><body>Welcome to nginx!</body></html>', {
            headers: { 'content-type': 'text/html' },
          }),
      }),
    );
    expect(error).toMatchObject({ kind: 'html-response' });
    expect((error as Error).message).toContain('Welcome to nginx!');
  });

  it('invalid settings are refused at construction', () => {
    expect(() => createOpenAICompatible({ model: '' })).toThrow(InvalidOptionsError);
    expect(() => createOpenAICompatible({ model: 'm', baseURL: 'localhost:8000' })).toThrow(
      /ending in \/v1/,
    );
    expect(() => createOpenAICompatible({ model: 'm', flavor: 'tgi' as never })).toThrow(
      /openai, vllm, sglang, llamacpp, ollama/,
    );
  });
});

describe('timeouts', () => {
  it('a stall before the first token fails with first-token-timeout and is retried', async () => {
    server.enqueue({ text: 'ab', fault: { type: 'stall', afterChunks: 0 } }, { text: 'ok' });
    const events: OpenAIBackendEvent[] = [];
    const { error } = await run(
      backendFor({ timeouts: { firstTokenMs: 50 }, onEvent: (event) => events.push(event) }),
    );
    expect(error).toBeUndefined();
    expect(events.find((event) => event.type === 'request.retry')).toMatchObject({
      cause: { kind: 'first-token-timeout' },
    });
  });

  it('a stall mid-stream fails with idle-timeout and closes the connection', async () => {
    server.enqueue({ text: 'abcdef', chunkSize: 2, fault: { type: 'stall', afterChunks: 2 } });
    const { error } = await run(backendFor({ timeouts: { idleMs: 50 } }));
    expect(error).toMatchObject({ kind: 'idle-timeout' });
    expect(await server.requests.at(-1)?.outcome).toBe('client-closed');
  });
});

describe('abort', () => {
  it('closes the connection and ends without finish or error', async () => {
    server.enqueue({ text: 'y'.repeat(200), chunkSize: 1, delayMs: 5 });
    const controller = new AbortController();
    const events: OpenAIBackendEvent[] = [];
    const parts: ModelStreamPart[] = [];
    for await (const part of backendFor({ onEvent: (event) => events.push(event) }).stream({
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [],
      signal: controller.signal,
    })) {
      parts.push(part);
      if (parts.length === 3) controller.abort();
    }
    expect(parts.length).toBeLessThan(10);
    expect(await server.requests.at(-1)?.outcome).toBe('client-closed');
    expect(server.requests.at(-1)?.closedEarly).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'request.end', outcome: 'aborted' });
  });

  it('closes the connection when the consumer stops iterating', async () => {
    server.enqueue({ text: 'z'.repeat(200), chunkSize: 1, delayMs: 5 });
    for await (const part of backendFor().stream({
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [],
      signal: new AbortController().signal,
    })) {
      if (part.type === 'text-delta') break;
    }
    expect(await server.requests.at(-1)?.outcome).toBe('client-closed');
  });
});

describe('the agent loop on the loopback server', () => {
  const add = defineTool({
    name: 'add',
    description: 'Adds two numbers.',
    input: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => a + b,
  });

  it('runs a tool call and a final answer, with usage and cost summed', async () => {
    server.enqueue(
      {
        reasoning: 'I should add.',
        toolCalls: [{ id: 'call_1', name: 'add', arguments: { a: 2, b: 3 } }],
        usage: { promptTokens: 100, completionTokens: 10, cachedTokens: 0 },
      },
      {
        text: 'The sum is 5.',
        usage: { promptTokens: 130, completionTokens: 6, cachedTokens: 100 },
      },
    );
    const first = server.requests.length;
    const agent = createAgent({ backend: backendFor(), tools: [add], instructions: 'Be exact.' });
    const result = await agent.run('What is 2 + 3?').result;
    expect(result.status).toBe('done');
    expect(result.output).toBe('The sum is 5.');
    expect(result.usage).toMatchObject({
      inputTokens: 230,
      cachedInputTokens: 100,
      outputTokens: 16,
    });
    expect(result.usage.costUsd).toBeGreaterThan(0);
    const second = server.requests[first + 1]?.body as { messages: unknown[] };
    expect(second.messages).toEqual([
      { role: 'system', content: 'Be exact.' },
      { role: 'user', content: 'What is 2 + 3?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '5' },
    ]);
  });

  it('fails the run on a malformed chunk with a typed error and a consistent history', async () => {
    server.enqueue(
      { toolCalls: [{ id: 'call_1', name: 'add', arguments: { a: 1, b: 1 } }] },
      { text: 'abcdef', chunkSize: 2, fault: { type: 'malformed', afterChunks: 2 } },
    );
    const agent = createAgent({ backend: backendFor(), tools: [add] });
    const result = await agent.run('What is 1 + 1?').result;
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('model-call');
    expect(result.error?.message).toContain('not JSON');
    const roles = result.messages.map((message) => message.role);
    expect(roles.slice(0, 3)).toEqual(['user', 'assistant', 'tool']);
    const calls = result.messages.flatMap((message) =>
      message.role === 'assistant' ? message.toolCalls : [],
    );
    const answered = new Set(
      result.messages.flatMap((message) => (message.role === 'tool' ? [message.toolCallId] : [])),
    );
    for (const call of calls) expect(answered.has(call.id)).toBe(true);
  });
});

describe('recorded data', () => {
  it('prices the recorded mini-swe-agent usage like the provider did', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const repoRoot = path.resolve(import.meta.dirname, '../../..');
    const directory = path.resolve(
      repoRoot,
      '../shared/data/swe-trajectories/mini-swe-agent-gemini-3-pro/trajs',
    );
    const names = await readdir(directory).catch(() => {
      throw new Error(
        `Recorded data is missing: ${directory}. Put the shared data next to the repository (../shared/data).`,
      );
    });
    const { computeCost } = await import('./price-table.js');
    // Gemini 3 Pro list price (prompts up to 200k tokens): the provider's own table.
    const price = { inputPerMillion: 2, cachedInputPerMillion: 0.2, outputPerMillion: 12 };
    let checked = 0;
    let recordedTotal = 0;
    let computedTotal = 0;
    for (const name of names.slice(0, 5)) {
      const trajectory = JSON.parse(await readFile(path.join(directory, name), 'utf8')) as {
        messages: { role: string; extra?: { response?: { usage?: Record<string, unknown> } } }[];
      };
      for (const message of trajectory.messages) {
        const usage = message.extra?.response?.usage as
          | {
              prompt_tokens: number;
              completion_tokens: number;
              prompt_tokens_details?: { cached_tokens?: number };
              cost?: number;
            }
          | undefined;
        if (usage === undefined || typeof usage.cost !== 'number' || usage.prompt_tokens > 200_000)
          continue;
        recordedTotal += usage.cost;
        computedTotal += computeCost(price, {
          inputTokens: usage.prompt_tokens,
          cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
          outputTokens: usage.completion_tokens,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(Math.abs(computedTotal - recordedTotal) / recordedTotal).toBeLessThan(0.02);
  });
});
