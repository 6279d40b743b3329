/**
 * What a cost account relies on: every model call's end is reported (completed, left, failed,
 * not made), with the output it streamed counted in UTF-8 bytes over every attempt; a call that
 * passes its output ceiling is aborted; a restarted stream leaves only the new attempt in history.
 */
import { describe, expect, it } from 'vitest';
import type { Controller, ModelCallEnd } from './controller.js';
import { createAgent } from './create-agent.js';
import type { ModelBackend } from './model-backend.js';
import type { ModelStreamPart } from './stream-part.js';
import { utf8Length } from './utf8-length.js';

/** A backend that streams the given parts, then (optionally) deltas until its signal aborts. */
function backendOf(
  parts: readonly ModelStreamPart[],
  options: { endless?: string } = {},
): ModelBackend & { aborted: boolean } {
  const backend = {
    specificationVersion: 'v1' as const,
    provider: 'test',
    modelId: 'test-1',
    capabilities: { toolCalls: true, reasoning: true, logprobs: false },
    aborted: false,
    async *stream({ signal }: { signal: AbortSignal }) {
      signal.addEventListener('abort', () => {
        backend.aborted = true;
      });
      for (const part of parts) yield part;
      if (options.endless === undefined) return;
      while (!signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yield { type: 'text-delta' as const, delta: options.endless };
      }
    },
  };
  return backend;
}

/** A controller recording every call end, and optionally stopping in beforeModel. */
function recorder(stopAtTurn?: number) {
  const ends: ModelCallEnd[] = [];
  const controller: Controller = {
    name: 'recorder',
    open: () => ({
      beforeModel: (view) =>
        view.turn + 1 === stopAtTurn
          ? [{ type: 'stop', reason: 'enough', message: 'Enough.', source: 'recorder' }]
          : undefined,
      onModelCallEnd: (_view, end) => {
        ends.push(end);
        return undefined;
      },
    }),
  };
  return { ends, controller };
}

describe('the end of every model call', () => {
  it('aborts a stream past its output ceiling and ends the call cut at its length', async () => {
    const backend = backendOf([], { endless: 'ab😀' });
    const { ends, controller } = recorder();
    const handle = createAgent({ backend, controller, modelSettings: { maxOutputBytes: 100 } }).run(
      'Talk.',
    );
    const finishes: string[] = [];
    handle.on('model.end', (event) => finishes.push(event.finishReason));
    const result = await handle.result;
    expect(backend.aborted).toBe(true);
    expect(result.status).toBe('done');
    expect(finishes).toEqual(['length']);
    // Past the ceiling by the one delta that crossed it, never more.
    expect(utf8Length(result.output ?? '')).toBeGreaterThan(100);
    expect(utf8Length(result.output ?? '')).toBeLessThanOrEqual(100 + utf8Length('ab😀'));
    expect(ends).toEqual([
      expect.objectContaining({ outcome: 'completed', reportedUsage: undefined }),
    ]);
    expect(ends[0]?.outputBytes).toBe(utf8Length(result.output ?? ''));
  });

  it('keeps only the new attempt after a restart, and counts the voided output', async () => {
    const backend = backendOf([
      { type: 'text-delta', delta: 'hello wo' },
      { type: 'restart', reason: 'connection reset' },
      { type: 'text-delta', delta: 'hello world' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 2 } },
      { type: 'finish', reason: 'stop' },
    ]);
    const { ends, controller } = recorder();
    const result = await createAgent({ backend, controller }).run('Greet.').result;
    expect(result.output).toBe('hello world');
    expect(result.messages.filter((message) => message.role === 'assistant')).toHaveLength(1);
    expect(ends).toEqual([
      expect.objectContaining({
        outcome: 'completed',
        restarts: 1,
        outputBytes: 'hello wo'.length + 'hello world'.length,
        reportedUsage: expect.objectContaining({ inputTokens: 10, outputTokens: 2 }),
      }),
    ]);
  });

  it('fails a call that restarts although it forbade retries after output', async () => {
    const backend = backendOf([
      { type: 'text-delta', delta: 'hello wo' },
      { type: 'restart', reason: 'connection reset' },
      { type: 'text-delta', delta: 'hello world' },
      { type: 'finish', reason: 'stop' },
    ]);
    const { ends, controller } = recorder();
    const result = await createAgent({
      backend,
      controller,
      modelSettings: { retryAfterOutput: false },
    }).run('Greet.').result;
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/restarted the stream .* retryAfterOutput: false/);
    expect(ends).toEqual([expect.objectContaining({ outcome: 'failed', outputBytes: 8 })]);
  });

  it('reports a call left by an abort, and one prepared but not made', async () => {
    const backend = backendOf([{ type: 'text-delta', delta: '汉字' }], { endless: 'x' });
    const aborted = recorder();
    const handle = createAgent({ backend, controller: aborted.controller }).run('Talk.');
    handle.once('model.delta', () => handle.abort('enough'));
    expect((await handle.result).status).toBe('cancelled');
    expect(aborted.ends).toEqual([
      expect.objectContaining({ outcome: 'left', reportedUsage: undefined, outputBytes: 6 }),
    ]);

    const stopped = recorder(1);
    const result = await createAgent({ backend, controller: stopped.controller }).run('Talk.')
      .result;
    expect(result.status).toBe('stopped');
    expect(stopped.ends).toEqual([expect.objectContaining({ outcome: 'not-made' })]);
  });
});
