/**
 * What the controller and the events are told of each completed step: `afterModel` gets the
 * message, its finish reason, usage and duration (and log-probabilities only when the stream
 * had them), `afterTool` gets the call, its result and duration, and `model.end` times the call
 * on the agent's clock.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callByCallBackend } from '../test/call-by-call-backend.js';
import type { Controller, ModelStep, ToolOutcome } from './controller.js';
import { createAgent } from './create-agent.js';
import { createSimulatedClock } from './testing/simulated-clock.js';
import { defineTool } from './tool.js';

describe('a completed step, as the controller and the events see it', () => {
  it('gives afterModel and model.end the message, finish reason, usage and duration', async () => {
    const clock = createSimulatedClock(1_000);
    const usage = { inputTokens: 10, cachedInputTokens: 2, outputTokens: 3, reasoningTokens: 1 };
    const backend = callByCallBackend(
      [
        {
          takesMs: 250,
          parts: [
            { type: 'text-delta', delta: 'Looking.' },
            { type: 'tool-call', id: 'p1', name: 'echo', arguments: '{"text":"a"}' },
            { type: 'usage', usage: { ...usage, costUsd: 0.5 } },
            { type: 'finish', reason: 'tool-calls' },
          ],
        },
        {
          takesMs: 40,
          parts: [
            { type: 'text-delta', delta: 'Done.' },
            { type: 'logprobs', tokens: [{ token: 'Done', logprob: -0.5 }] },
            { type: 'finish', reason: 'stop' },
          ],
        },
      ],
      clock,
    );
    const steps: ModelStep[] = [];
    const outcomes: ToolOutcome[] = [];
    const watcher: Controller = {
      name: 'watcher',
      open: () => ({
        afterModel: (_view, step) => void steps.push(structuredClone(step)),
        afterTool: (_view, outcome) => void outcomes.push(structuredClone(outcome)),
      }),
    };
    const echo = defineTool({
      name: 'echo',
      description: 'Echoes its text.',
      input: z.object({ text: z.string() }),
      execute: ({ text }) => {
        clock.advance(30);
        return text;
      },
    });
    const handle = createAgent({ backend, clock, tools: [echo], controller: watcher }).run('Go.');
    const modelEnds: { finishReason: string; durationMs: number }[] = [];
    handle.on('model.end', ({ finishReason, durationMs }) =>
      modelEnds.push({ finishReason, durationMs }),
    );
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'done', output: 'Done.' });
    expect(modelEnds).toEqual([
      { finishReason: 'tool-calls', durationMs: 250 },
      { finishReason: 'stop', durationMs: 40 },
    ]);
    const call = {
      id: expect.stringMatching(/^call_1_1_/),
      name: 'echo',
      arguments: '{"text":"a"}',
      providerCallId: 'p1',
    };
    expect(steps).toEqual([
      {
        message: {
          role: 'assistant',
          content: 'Looking.',
          toolCalls: [call],
          usage: { ...usage, costUsd: 0.5 },
        },
        finishReason: 'tool-calls',
        usage: { ...usage, costUsd: 0.5 },
        durationMs: 250,
      },
      {
        message: {
          role: 'assistant',
          content: 'Done.',
          toolCalls: [],
          usage: {
            inputTokens: 0,
            cachedInputTokens: 0,
            outputTokens: 0,
            reasoningTokens: 0,
            costUsd: 0,
          },
        },
        finishReason: 'stop',
        usage: {
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 0,
          reasoningTokens: 0,
          costUsd: 0,
        },
        durationMs: 40,
        logprobs: [{ token: 'Done', logprob: -0.5 }],
      },
    ]);
    expect('logprobs' in (steps[0] ?? {})).toBe(false);
    expect(outcomes).toEqual([{ call, result: { status: 'ok', output: 'a' }, durationMs: 30 }]);
  });
});
