import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import {
  type ModelBackend,
  ModelCallError,
  type ModelRequest,
  type ModelStreamPart,
  ReinsError,
  type ToolSpec,
} from '@reins/core';
import type { RecordedRequest } from './chat-completions-server.js';
import type { ScriptedCompletion } from './scripted-completion.js';

/** A backend prepared to answer its next call(s) with given completions. */
export interface ConformanceSubject {
  readonly backend: ModelBackend;
  /** The server's record of the `index`-th request of this subject, for targets behind a server. */
  readonly served?: (index: number) => Promise<RecordedRequest>;
}

/** What a target can be asked to show; cases for missing features are left out. */
export interface ConformanceFeatures {
  /** Streams reasoning text. @defaultValue false */
  readonly reasoning?: boolean;
  /** Returns log-probabilities. @defaultValue false */
  readonly logprobs?: boolean;
  /** Reports cached prompt tokens. @defaultValue false */
  readonly cachedTokens?: boolean;
  /** Prices usage (the target's model must have a price). @defaultValue false */
  readonly cost?: boolean;
  /**
   * Plays injected faults (the target talks to the loopback server, with retries for 5xx and
   * an idle timeout shorter than a test's patience). @defaultValue false
   */
  readonly faults?: boolean;
}

/** A backend under test. */
export interface ConformanceTarget {
  /** Names the target in test titles. */
  readonly name: string;
  /** Returns a backend whose next calls play `completions`, in order. */
  prepare(...completions: ScriptedCompletion[]): Promise<ConformanceSubject> | ConformanceSubject;
  /** What the target supports. */
  readonly features?: ConformanceFeatures;
}

/** One conformance check: run it inside any test framework; it throws on failure. */
export interface ConformanceCase {
  readonly name: string;
  run(): Promise<void>;
}

const weatherTool: ToolSpec = {
  name: 'get_weather',
  description: 'Returns the weather of a city.',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
};

/** What one call produced. */
interface Collected {
  readonly parts: ModelStreamPart[];
  readonly error: unknown;
}

async function collect(
  backend: ModelBackend,
  options: { abortAfter?: (part: ModelStreamPart) => boolean; tools?: readonly ToolSpec[] } = {},
): Promise<Collected> {
  const controller = new AbortController();
  const request: ModelRequest = {
    messages: [
      { role: 'system', content: 'You are a test.' },
      { role: 'user', content: 'What is the weather in Paris?' },
    ],
    tools: options.tools ?? [weatherTool],
    signal: controller.signal,
  };
  const parts: ModelStreamPart[] = [];
  try {
    for await (const part of backend.stream(request)) {
      parts.push(part);
      if (options.abortAfter?.(part) === true && !controller.signal.aborted) controller.abort();
    }
    return { parts, error: undefined };
  } catch (error) {
    return { parts, error };
  }
}

function expectClean({ parts, error }: Collected): void {
  if (error !== undefined) throw error;
  const finishes = parts.filter((part) => part.type === 'finish');
  strictEqual(finishes.length, 1, 'a stream ends with exactly one finish');
  strictEqual(parts.at(-1)?.type, 'finish', 'finish is the last part');
}

function expectTypedFailure({ parts, error }: Collected, label: string): ModelCallError {
  ok(error !== undefined, `${label}: the stream must fail`);
  ok(
    ReinsError.isInstance(error),
    `${label}: the failure must be a ReinsError, got ${String(error)}`,
  );
  ok(
    ModelCallError.isInstance(error),
    `${label}: the failure must be a ModelCallError (code 'model-call')`,
  );
  ok(!parts.some((part) => part.type === 'finish'), `${label}: no finish after a failure`);
  return error;
}

function textOf(parts: readonly ModelStreamPart[], type: 'text-delta' | 'reasoning-delta'): string {
  let text = '';
  for (const part of parts) if (part.type === type) text += part.delta;
  return text;
}

/**
 * The conformance suite every Reins backend passes: streaming order, tool calls, usage and
 * cost, abort, and (for backends behind the loopback server) every injected fault. Each case
 * is a plain async function that throws on failure, so any test framework can run it.
 *
 * @param target - how to make a backend that plays given completions, and what it supports.
 * @returns the cases.
 * @example
 * ```ts
 * const server = await createChatCompletionsServer();
 * const target: ConformanceTarget = {
 *   name: 'openai',
 *   features: { faults: true, cost: true },
 *   prepare: (...completions) => {
 *     server.enqueue(...completions);
 *     const first = server.requests.length;
 *     return {
 *       backend: createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'k', model: 'gpt-4o' }),
 *       served: (index) => server.waitForRequest(first + index),
 *     };
 *   },
 * };
 * for (const check of createBackendConformanceCases(target)) it(check.name, check.run);
 * ```
 */
export function createBackendConformanceCases(target: ConformanceTarget): ConformanceCase[] {
  const features = target.features ?? {};
  const cases: ConformanceCase[] = [];
  const add = (name: string, run: () => Promise<void>) =>
    cases.push({ name: `${target.name}: ${name}`, run });

  add('streams text in order and ends with one finish', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const { backend } = await target.prepare({ text, chunkSize: 5 });
    const result = await collect(backend);
    expectClean(result);
    strictEqual(textOf(result.parts, 'text-delta'), text);
    ok(
      result.parts.filter((part) => part.type === 'text-delta').length > 1,
      'text arrives in several deltas',
    );
    deepStrictEqual(result.parts.at(-1), { type: 'finish', reason: 'stop' });
  });

  add('returns tool calls with complete arguments and finishes with tool-calls', async () => {
    const calls = [
      { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'call_b', name: 'get_weather', arguments: { city: 'Lyon, "la ville"' } },
    ];
    const { backend } = await target.prepare({ toolCalls: calls, chunkSize: 4 });
    const result = await collect(backend);
    expectClean(result);
    const complete = result.parts.filter((part) => part.type === 'tool-call');
    deepStrictEqual(
      complete.map((part) => ({
        name: part.name,
        arguments: JSON.parse(part.arguments) as unknown,
      })),
      calls.map((call) => ({ name: call.name, arguments: call.arguments })),
    );
    strictEqual(new Set(complete.map((part) => part.id)).size, 2, 'each tool call has its own id');
    for (const call of complete) {
      const deltas = result.parts.filter(
        (part) => part.type === 'tool-call-delta' && part.id === call.id,
      );
      if (deltas.length > 0) {
        strictEqual(
          deltas
            .map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : ''))
            .join(''),
          call.arguments,
          'streamed argument pieces add up to the complete arguments',
        );
      }
      const firstCallIndex = result.parts.indexOf(call);
      ok(
        result.parts
          .slice(firstCallIndex)
          .every((part) => part.type !== 'tool-call-delta' || part.id !== call.id),
        'no delta of a call after the complete call',
      );
    }
    deepStrictEqual(result.parts.at(-1), { type: 'finish', reason: 'tool-calls' });
  });

  add('reports usage once, before finish', async () => {
    const { backend } = await target.prepare({
      text: 'Sunny.',
      usage: { promptTokens: 1200, completionTokens: 30, cachedTokens: 1000 },
    });
    const result = await collect(backend);
    expectClean(result);
    const usages = result.parts.filter((part) => part.type === 'usage');
    strictEqual(usages.length, 1, 'one usage part');
    const usage = usages[0]?.type === 'usage' ? usages[0].usage : {};
    strictEqual(usage.inputTokens, 1200);
    strictEqual(usage.outputTokens, 30);
    if (features.cachedTokens === true) strictEqual(usage.cachedInputTokens, 1000);
  });

  if (features.cost === true) {
    add('prices usage, cached input below uncached input', async () => {
      const { backend } = await target.prepare(
        { text: 'A', usage: { promptTokens: 10_000, completionTokens: 100, cachedTokens: 0 } },
        { text: 'B', usage: { promptTokens: 10_000, completionTokens: 100, cachedTokens: 9_000 } },
      );
      const cold = await collect(backend);
      const warm = await collect(backend);
      expectClean(cold);
      expectClean(warm);
      const cost = (result: Collected) => {
        const part = result.parts.find((candidate) => candidate.type === 'usage');
        return part?.type === 'usage' ? (part.usage.costUsd ?? 0) : 0;
      };
      ok(cost(cold) > 0, 'a priced model reports a cost');
      ok(cost(warm) < cost(cold), 'cached input tokens cost less');
    });
  }

  if (features.reasoning === true) {
    add('streams reasoning before the answer', async () => {
      const { backend } = await target.prepare({
        reasoning: 'Paris is in France. ',
        text: 'Mild.',
      });
      const result = await collect(backend);
      expectClean(result);
      strictEqual(textOf(result.parts, 'reasoning-delta'), 'Paris is in France. ');
      strictEqual(textOf(result.parts, 'text-delta'), 'Mild.');
      const lastReasoning = result.parts.findLastIndex((part) => part.type === 'reasoning-delta');
      const firstText = result.parts.findIndex((part) => part.type === 'text-delta');
      ok(lastReasoning < firstText, 'reasoning comes before the answer');
    });
  }

  if (features.logprobs === true) {
    add('returns log-probabilities with their alternatives', async () => {
      const tokens = [
        {
          token: 'Sun',
          logprob: -0.25,
          topLogprobs: [
            { token: 'Sun', logprob: -0.25 },
            { token: 'Rain', logprob: -1.5 },
          ],
        },
        { token: 'ny', logprob: -0.01, topLogprobs: [{ token: 'ny', logprob: -0.01 }] },
      ];
      const { backend } = await target.prepare({ tokens });
      const result = await collect(backend);
      expectClean(result);
      const reported = result.parts.flatMap((part) =>
        part.type === 'logprobs' ? part.tokens : [],
      );
      deepStrictEqual(reported, tokens);
      strictEqual(textOf(result.parts, 'text-delta'), 'Sunny');
    });
  }

  add('stops at once when the signal aborts, without a finish', async () => {
    const subject = await target.prepare({ text: 'x'.repeat(400), chunkSize: 2, delayMs: 10 });
    const result = await collect(subject.backend, {
      abortAfter: (part) => part.type === 'text-delta',
    });
    ok(!result.parts.some((part) => part.type === 'finish'), 'no finish after an abort');
    ok(textOf(result.parts, 'text-delta').length < 400, 'the stream stopped before the end');
    if (subject.served !== undefined) {
      const served = await subject.served(0);
      strictEqual(await served.outcome, 'client-closed', 'the connection was closed by the client');
    }
  });

  if (features.faults === true) {
    add('retries a 503 with Retry-After, then streams', async () => {
      const { backend } = await target.prepare(
        { fault: { type: 'status', status: 503, retryAfter: '0' } },
        { text: 'Recovered.' },
      );
      const result = await collect(backend);
      expectClean(result);
      strictEqual(textOf(result.parts, 'text-delta'), 'Recovered.');
    });

    add('fails with a typed, non-retryable error on 400', async () => {
      const { backend } = await target.prepare({ fault: { type: 'status', status: 400 } });
      const error = expectTypedFailure(await collect(backend), '400');
      strictEqual(error.retryable, false);
      ok(
        error.message.includes('Injected status 400'),
        `the message quotes the server: ${error.message}`,
      );
    });

    add('fails with a typed error when the connection resets after output', async () => {
      const { backend } = await target.prepare({
        text: 'abcdefghijklmnop',
        chunkSize: 2,
        fault: { type: 'reset', afterChunks: 4 },
      });
      const result = await collect(backend);
      expectTypedFailure(result, 'reset');
      ok(textOf(result.parts, 'text-delta').length > 0, 'output before the reset was delivered');
    });

    add('fails with a typed error when the server stalls', async () => {
      const { backend } = await target.prepare({
        text: 'abcdefgh',
        chunkSize: 2,
        fault: { type: 'stall', afterChunks: 2 },
      });
      expectTypedFailure(await collect(backend), 'stall');
    });

    add('fails with a typed error on a malformed chunk', async () => {
      const { backend } = await target.prepare({
        text: 'abcdefgh',
        chunkSize: 2,
        fault: { type: 'malformed', afterChunks: 2 },
      });
      expectTypedFailure(await collect(backend), 'malformed chunk');
    });

    add('fails with a typed error on an HTML error page', async () => {
      const { backend } = await target.prepare({ fault: { type: 'html', status: 400 } });
      expectTypedFailure(await collect(backend), 'HTML page');
    });

    add('fails with a typed error on an error inside the stream', async () => {
      const { backend } = await target.prepare({
        text: 'abcd',
        chunkSize: 2,
        fault: {
          type: 'stream-error',
          afterChunks: 2,
          code: 400,
          message: 'context length exceeded',
        },
      });
      expectTypedFailure(await collect(backend), 'error in the stream');
    });

    add('streams a slow drip completely', async () => {
      const text = 'drip drip drip';
      const { backend } = await target.prepare({ text, chunkSize: 1, delayMs: 2 });
      const result = await collect(backend);
      expectClean(result);
      strictEqual(textOf(result.parts, 'text-delta'), text);
    });
  }
  return cases;
}
