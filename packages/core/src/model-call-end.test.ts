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
import { createScriptedBackend } from './testing/scripted-backend.js';
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

  it('tells the forced answer apart from the other calls', async () => {
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'missing', arguments: {} }] }, { text: 'It is 42.' }],
    });
    const ends: ModelCallEnd[] = [];
    const controller: Controller = {
      name: 'cap',
      open: () => ({
        beforeModel: (view) =>
          view.turn >= 1
            ? [
                {
                  type: 'stop',
                  reason: 'turn-budget',
                  message: 'Enough.',
                  finalAnswer: 'force',
                  source: 'cap',
                },
              ]
            : undefined,
        onModelCallEnd: (_view, end) => void ends.push(end),
      }),
    };
    const result = await createAgent({ backend, controller }).run('Go.').result;
    expect(result.output).toBe('It is 42.');
    expect(ends.map(({ outcome, forced }) => ({ outcome, forced }))).toEqual([
      { outcome: 'completed', forced: false },
      { outcome: 'not-made', forced: false },
      { outcome: 'completed', forced: true },
    ]);
  });

  it('reports the call not made when beforeModel pauses the run', async () => {
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'missing', arguments: {} }] }, { text: 'Done.' }],
    });
    const ends: ModelCallEnd[] = [];
    let paused = false;
    const controller: Controller = {
      name: 'pauser',
      open: () => ({
        beforeModel: (view) => {
          if (view.turn !== 1 || paused) return undefined;
          paused = true;
          return [{ type: 'pause', reason: 'Wait for approval.', source: 'pauser' }];
        },
        onModelCallEnd: (_view, end) => void ends.push(end),
      }),
    };
    const handle = createAgent({ backend, controller }).run('Go.');
    handle.once('run.pause', () => handle.resume());
    expect((await handle.result).status).toBe('done');
    expect(ends.map(({ outcome, forced }) => ({ outcome, forced }))).toEqual([
      { outcome: 'completed', forced: false },
      { outcome: 'not-made', forced: false },
      { outcome: 'completed', forced: false },
    ]);
  });

  it('does not ask beforeModel when an interruption already stopped or paused the run', async () => {
    const watch = () => {
      const asked: number[] = [];
      const outcomes: string[] = [];
      const controller: Controller = {
        name: 'watcher',
        open: () => ({
          beforeModel: (view) => void asked.push(view.turn),
          onModelCallEnd: (_view, end) => void outcomes.push(end.outcome),
        }),
      };
      return { asked, outcomes, controller };
    };
    const script = () =>
      createScriptedBackend({
        responses: [{ toolCalls: [{ name: 'missing', arguments: {} }] }, { text: 'Done.' }],
      });

    const stopped = watch();
    const stopping = createAgent({ backend: script(), controller: stopped.controller }).run('Go.');
    stopping.once('model.start', () =>
      stopping.interrupt({ kind: 'stop', text: 'Stop here.', urgency: 'next-turn' }),
    );
    expect((await stopping.result).status).toBe('stopped');
    expect(stopped.asked).toEqual([0]);
    expect(stopped.outcomes).toEqual(['completed']);

    const paused = watch();
    const pausing = createAgent({ backend: script(), controller: paused.controller }).run('Go.');
    pausing.once('model.start', () => pausing.pause('Wait.'));
    pausing.once('run.pause', () => pausing.resume());
    expect((await pausing.result).status).toBe('done');
    expect(paused.asked).toEqual([0, 1]);
    expect(paused.outcomes).toEqual(['completed', 'completed']);
  });
});
