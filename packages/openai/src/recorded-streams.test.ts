import { createAgent, defineTool, type ModelStreamPart } from '@reins/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOpenAICompatible } from './create-openai-compatible.js';
import type { OpenAIBackendEvent } from './openai-backend-event.js';
import {
  type ChatCompletionsServer,
  createChatCompletionsServer,
} from './testing/chat-completions-server.js';
import {
  loadRecordedStreams,
  type RecordedStream,
  toRawReplay,
} from './testing/recorded-stream.js';
import { summarizeModelStream } from './testing/summarize-model-stream.js';

const streams = loadRecordedStreams();

let server: ChatCompletionsServer;
beforeAll(async () => {
  server = await createChatCompletionsServer();
});
afterAll(async () => {
  await server.close();
});

const backendFor = (stream: RecordedStream, onEvent?: (event: OpenAIBackendEvent) => void) =>
  createOpenAICompatible({
    flavor: stream.flavor,
    baseURL: server.baseURL,
    apiKey: 'test-key',
    model: 'recorded',
    retry: { maxRetries: 0 },
    timeouts: { firstTokenMs: 5_000, idleMs: 5_000 },
    ...(onEvent === undefined ? {} : { onEvent }),
  });

async function streamOnce(stream: RecordedStream) {
  server.enqueue(toRawReplay(stream));
  const events: OpenAIBackendEvent[] = [];
  const parts: ModelStreamPart[] = [];
  let error: unknown;
  try {
    for await (const part of backendFor(stream, (event) => events.push(event)).stream({
      messages: [{ role: 'user', content: 'Replay.' }],
      tools: [],
      signal: new AbortController().signal,
    }))
      parts.push(part);
  } catch (caught) {
    error = caught;
  }
  return { parts, error, events };
}

/** The expected tool calls as the backend reports them: a generated id where the server sent none. */
const expectedCalls = (stream: RecordedStream) =>
  stream.expected.toolCalls.map((call) =>
    call.id === undefined ? { ...call, id: expect.any(String) } : call,
  );

/** The same calls as a run's history keeps them: Reins' ids, the server's as `providerCallId`. */
const expectedHistoryCalls = (stream: RecordedStream) =>
  expectedCalls(stream).map(({ id, ...call }) => ({
    ...call,
    id: expect.stringMatching(/^call_1_\d+_/),
    providerCallId: id,
  }));

describe('the recorded corpus', () => {
  it('holds at least 40 streams from at least 10 servers, each naming its source', () => {
    expect(streams.length).toBeGreaterThanOrEqual(40);
    expect(new Set(streams.map((stream) => stream.server)).size).toBeGreaterThanOrEqual(10);
    for (const stream of streams) {
      expect(stream.source.url, stream.name).toMatch(/^https:\/\//);
      expect(stream.sourceAsserts.length, stream.name).toBeGreaterThan(20);
    }
  });

  it('covers what the conformance plan lists', () => {
    const covered = new Set(streams.flatMap((stream) => stream.covers));
    for (const feature of [
      'text',
      'reasoning',
      'tool-call-split-arguments',
      'parallel-tool-calls',
      'ids-only-in-first-delta',
      'index-0-repeated',
      'usage-last-chunk',
      'usage-in-finish-chunk',
      'usage-in-every-chunk',
      'cached-tokens',
      'refusal',
      'finish-length',
      'finish-tool-calls',
      'unknown-finish-reason',
      'in-stream-error',
      'cut-stream',
      'missing-done',
      'crlf-line-endings',
      'cr-line-endings',
      'comments',
      'utf8-split-writes',
      'array-content',
      'reasoning-tokens-beside-completion',
      'timings-cache-n',
      'logprobs',
    ])
      expect(covered, feature).toContain(feature);
  });
});

describe.each(streams.map((stream) => [stream.name, stream] as const))('%s', (_name, stream) => {
  const { expected } = stream;

  it('createOpenAICompatible reports what the source asserts', async () => {
    const { parts, error, events } = await streamOnce(stream);
    const summary = summarizeModelStream(parts);
    expect(summary.text).toBe(expected.text);
    expect(summary.reasoning).toBe(expected.reasoning);
    expect(summary.refusal).toBe(expected.refusal);
    expect(summary.logprobTokens).toBe(expected.logprobTokens);
    if (expected.error !== undefined) {
      expect(error).toMatchObject({
        code: 'model-call',
        kind: expected.error.kind,
        retryable: expected.error.retryable,
        ...(expected.error.status === undefined ? {} : { status: expected.error.status }),
      });
      if (expected.error.message !== undefined)
        expect((error as Error).message).toContain(expected.error.message);
      expect(parts.some((part) => part.type === 'finish')).toBe(false);
      return;
    }
    expect(error).toBeUndefined();
    expect(summary.toolCalls).toEqual(expectedCalls(stream));
    expect(summary.usage).toEqual(expected.usage);
    expect(summary.finish).toEqual(expected.finish);
    expect(parts.at(-1)?.type).toBe('finish');
    const unmapped = events.filter((event) => event.type === 'finish.unmapped');
    expect(unmapped.map((event) => event.rawReason)).toEqual(
      expected.finish?.rawReason === undefined ? [] : [expected.finish.rawReason],
    );
  });

  it('a full createAgent run keeps it in history, with a consistent history', async () => {
    const names = [...new Set(expected.toolCalls.map((call) => call.name))];
    const tools = names.map((name) =>
      defineTool({
        name,
        description: `Recorded tool ${name}.`,
        input: z.record(z.string(), z.unknown()),
        execute: () => 'ok',
      }),
    );
    server.enqueue(toRawReplay(stream));
    if (expected.toolCalls.length > 0 && expected.error === undefined)
      server.enqueue({ text: 'Done.' });
    const agent = createAgent({ backend: backendFor(stream), tools });
    const result = await agent.run('Replay.').result;
    const called = result.messages.flatMap((message) =>
      message.role === 'assistant' ? message.toolCalls : [],
    );
    const answered = result.messages.flatMap((message) =>
      message.role === 'tool' ? [message.toolCallId] : [],
    );
    expect(answered.sort()).toEqual(called.map((call) => call.id).sort());
    if (expected.error !== undefined) {
      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('model-call');
      return;
    }
    expect(result.status).toBe('done');
    const first = result.messages.find((message) => message.role === 'assistant');
    expect(first).toMatchObject({
      role: 'assistant',
      content: expected.text,
      toolCalls: expectedHistoryCalls(stream),
    });
    if (first?.role !== 'assistant') return;
    expect(first.reasoning ?? '').toBe(expected.reasoning);
    expect(first.refusal ?? '').toBe(expected.refusal);
    if (expected.usage !== null && expected.usage !== undefined)
      expect(first.usage).toMatchObject(expected.usage);
  });
});

describe('errors sent inside a stream are retried like the same HTTP status', () => {
  for (const stream of streams.filter((each) => each.covers.includes('in-stream-error'))) {
    it(`${stream.name}: ${stream.expected.error?.retryable ? 'retried' : 'not retried'}`, async () => {
      const retryable = stream.expected.error?.retryable === true;
      server.enqueue(toRawReplay(stream), ...(retryable ? [{ text: 'Recovered.' }] : []));
      const events: OpenAIBackendEvent[] = [];
      const backend = createOpenAICompatible({
        flavor: stream.flavor,
        baseURL: server.baseURL,
        apiKey: 'test-key',
        model: 'recorded',
        retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
        onEvent: (event) => events.push(event),
      });
      const parts: ModelStreamPart[] = [];
      let error: unknown;
      try {
        for await (const part of backend.stream({
          messages: [{ role: 'user', content: 'Replay.' }],
          tools: [],
          signal: new AbortController().signal,
        }))
          parts.push(part);
      } catch (caught) {
        error = caught;
      }
      const retries = events.filter((event) => event.type === 'request.retry');
      if (retryable) {
        expect(error).toBeUndefined();
        expect(summarizeModelStream(parts).text).toBe('Recovered.');
        expect(retries).toMatchObject([
          { cause: { kind: 'stream-error', status: stream.expected.error.status } },
        ]);
      } else {
        expect(error).toMatchObject({ kind: 'stream-error', retryable: false });
        expect(retries).toEqual([]);
      }
    });
  }
});
