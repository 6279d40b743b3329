/**
 * A model call cut short by an urgent interruption still ends in the events: finish reason
 * `interrupted`, the usage the stream had reported, and the time it ran on the agent's clock.
 */
import { describe, expect, it } from 'vitest';
import { callByCallBackend } from '../test/call-by-call-backend.js';
import type { AgentEventOf } from './agent-event.js';
import type { Controller, ModelCallEnd } from './controller.js';
import { createAgent } from './create-agent.js';
import { createSimulatedClock } from './testing/simulated-clock.js';

describe('a model call cut by an urgent interruption', () => {
  it('ends as interrupted, with the usage it reported and the time it ran', async () => {
    const clock = createSimulatedClock(1_000);
    const reported = {
      inputTokens: 12,
      cachedInputTokens: 5,
      outputTokens: 4,
      reasoningTokens: 3,
      costUsd: 0.02,
    };
    const backend = callByCallBackend(
      [
        {
          takesMs: 700,
          parts: [
            { type: 'reasoning-delta', delta: 'Let me think' },
            { type: 'usage', usage: reported },
          ],
          stall: true,
        },
        {
          takesMs: 50,
          parts: [
            { type: 'text-delta', delta: 'Done.' },
            { type: 'finish', reason: 'stop' },
          ],
        },
      ],
      clock,
    );
    const ends: ModelCallEnd[] = [];
    const recorder: Controller = {
      name: 'recorder',
      open: () => ({ onModelCallEnd: (_view, end) => void ends.push(end) }),
    };
    const handle = createAgent({ backend, clock, controller: recorder }).run('Think.');
    const modelEnds: AgentEventOf<'model.end'>[] = [];
    handle.on('model.end', (event) => modelEnds.push(event));
    handle.on('model.delta', (event) => {
      if (event.part.type === 'usage' && event.turn === 1)
        handle.interrupt({ kind: 'addition', text: 'Be quick.', urgency: 'now' });
    });
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'done', output: 'Done.' });
    expect(
      modelEnds.map(({ finishReason, usage, durationMs }) => ({ finishReason, usage, durationMs })),
    ).toEqual([
      { finishReason: 'interrupted', usage: reported, durationMs: 700 },
      {
        finishReason: 'stop',
        usage: {
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 0,
          reasoningTokens: 0,
          costUsd: 0,
        },
        durationMs: 50,
      },
    ]);
    expect(modelEnds[0]?.message).toMatchObject({
      content: '',
      reasoning: 'Let me think',
      interrupted: true,
    });
    expect(
      ends.map(({ outcome, forced, reportedUsage }) => ({ outcome, forced, reportedUsage })),
    ).toEqual([
      { outcome: 'left', forced: false, reportedUsage: reported },
      { outcome: 'completed', forced: false, reportedUsage: undefined },
    ]);
    expect(result.usage).toEqual(reported);
  });
});
