/**
 * A model stream that breaks the contract fails the run with a typed error naming what was
 * wrong; a stream that keeps it, with every optional field, runs to the end.
 */
import { describe, expect, it } from 'vitest';
import { createAgent } from './create-agent.js';
import type { ModelBackend } from './model-backend.js';

/** A backend whose one call streams `parts` as they are. */
function streaming(parts: readonly unknown[]): ModelBackend {
  return {
    specificationVersion: 'v1',
    provider: 'test',
    modelId: 'test-1',
    capabilities: { toolCalls: true, reasoning: true, logprobs: true },
    async *stream() {
      for (const part of parts) yield part as never;
    },
  };
}

const finish = { type: 'finish', reason: 'stop' };

describe('a stream part that breaks the contract', () => {
  it.each([
    ['null', null],
    ['an unknown type', { type: 'thinking', delta: 'x' }],
    ['a text delta that is not text', { type: 'text-delta', delta: 5 }],
    ['a reasoning delta that is not text', { type: 'reasoning-delta', delta: null }],
    ['a refusal delta that is not text', { type: 'refusal-delta' }],
    ['a tool call without an id', { type: 'tool-call', id: '', name: 'echo', arguments: '{}' }],
    ['a tool call without a name', { type: 'tool-call', id: 'c1', name: '', arguments: '{}' }],
    [
      'a tool call whose arguments are not text',
      { type: 'tool-call', id: 'c1', name: 'echo', arguments: {} },
    ],
    ['a tool-call delta without arguments', { type: 'tool-call-delta', id: 'c1' }],
    ['an unknown finish reason', { type: 'finish', reason: 'done' }],
    ['a raw finish reason that is not text', { type: 'finish', reason: 'other', rawReason: 7 }],
    ['a restart without a reason', { type: 'restart' }],
    ['a negative usage count', { type: 'usage', usage: { inputTokens: -1 } }],
    [
      'an infinite usage count',
      { type: 'usage', usage: { outputTokens: Number.POSITIVE_INFINITY } },
    ],
    ['a usage that is not an object', { type: 'usage', usage: 3 }],
    ['log-probabilities that are not a list', { type: 'logprobs', tokens: 'x' }],
  ])('fails the run on %s, as a malformed response', async (_name, part) => {
    const result = await createAgent({
      backend: streaming([{ type: 'text-delta', delta: 'Hi' }, part, finish]),
    }).run('Go.').result;
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('malformed-response');
  });

  it('fails the run when the stream ends without a finish part, saying so', async () => {
    const result = await createAgent({
      backend: streaming([{ type: 'text-delta', delta: 'Hi' }]),
    }).run('Go.').result;
    expect(result.error).toMatchObject({
      code: 'model-call',
      message:
        "The test stream ended without a 'finish' part. The backend must end every stream with { type: 'finish' }.",
    });
  });

  it('accepts every optional field a valid stream may carry', async () => {
    const result = await createAgent({
      backend: streaming([
        { type: 'reasoning-delta', delta: 'Think.' },
        { type: 'refusal-delta', delta: '' },
        { type: 'text-delta', delta: 'Hi' },
        {
          type: 'logprobs',
          tokens: [{ token: 'Hi', logprob: -0.1, topLogprobs: [{ token: 'Hi', logprob: -0.1 }] }],
        },
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 1, costUsd: 0 } },
        { type: 'finish', reason: 'other', rawReason: 'eos' },
      ]),
    }).run('Go.').result;
    expect(result).toMatchObject({ status: 'done', output: 'Hi' });
    expect(result.usage).toMatchObject({ inputTokens: 3, outputTokens: 1 });
  });
});
