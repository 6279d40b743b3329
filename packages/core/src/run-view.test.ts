import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import type { RunView } from './run-view.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { createSimulatedClock } from './testing/simulated-clock.js';
import { defineTool } from './tool.js';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

/** The fields of a view, read at one instant. */
function read(view: RunView) {
  return {
    runId: view.runId,
    task: view.task,
    turn: view.turn,
    grantedTurns: view.grantedTurns,
    usage: { ...view.usage },
    startedAt: view.startedAt,
    now: view.now,
    toolStats: structuredClone(view.toolStats),
    intentUpdates: view.intentUpdates.map((update) => update.text),
    messages: view.messages.map((message) => message.role),
    model: view.model,
  };
}

describe("a controller's view of the run", () => {
  it('shows the current values at each decision point', async () => {
    const clock = createSimulatedClock(1_000);
    const views: ReturnType<typeof read>[] = [];
    const watcher: Controller = {
      name: 'watcher',
      open: () => ({
        beforeModel: (view) => {
          views.push(read(view));
          clock.advance(250);
          return view.turn === 1
            ? [{ type: 'grant-turns', turns: 3, reason: 'more work', source: 'watcher' }]
            : undefined;
        },
      }),
    };
    const backend = createScriptedBackend({
      modelId: 'scripted-1',
      responses: [
        {
          toolCalls: [{ name: 'echo', arguments: { text: 'hi' } }],
          usage: { inputTokens: 10, outputTokens: 5 },
        },
        {
          toolCalls: [{ name: 'echo', arguments: { text: 'again' } }],
          usage: { inputTokens: 20, outputTokens: 7 },
        },
        { text: 'Done.', usage: { inputTokens: 30, outputTokens: 2 } },
      ],
    });
    const agent = createAgent({ backend, tools: [echo], controller: watcher, clock });
    const handle = agent.run('Echo hi.', { runId: 'run-view' });
    handle.interrupt({ kind: 'addition', text: 'Also echo again.', urgency: 'next-turn' });
    const result = await handle.result;
    expect(result.status).toBe('done');
    expect(views).toHaveLength(3);
    const [first, second, third] = views;
    expect(first).toMatchObject({
      runId: 'run-view',
      task: 'Echo hi.',
      turn: 0,
      grantedTurns: 0,
      startedAt: 1_000,
      now: 1_000,
      toolStats: {},
      model: { provider: 'scripted', modelId: 'scripted-1' },
    });
    expect(second).toMatchObject({
      turn: 1,
      grantedTurns: 0,
      usage: { inputTokens: 10, outputTokens: 5 },
      startedAt: 1_000,
      now: 1_250,
      toolStats: { echo: { calls: 1, errors: 0, cancelled: 0, totalMs: 0 } },
    });
    expect(second?.messages.slice(-2)).toEqual(['assistant', 'tool']);
    expect(third).toMatchObject({
      turn: 2,
      grantedTurns: 3,
      usage: { inputTokens: 30, outputTokens: 12 },
      now: 1_500,
      toolStats: { echo: { calls: 2 } },
      intentUpdates: ['Also echo again.'],
    });
  });

  it('counts tool calls that failed apart from those that succeeded', async () => {
    const failing = defineTool({
      name: 'fail',
      description: 'Fails.',
      input: z.object({}),
      execute: () => {
        throw new Error('disk full');
      },
    });
    const stats: RunView['toolStats'][] = [];
    const watcher: Controller = {
      name: 'watcher',
      open: () => ({ beforeModel: (view) => void stats.push(structuredClone(view.toolStats)) }),
    };
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'fail', arguments: {} },
            { name: 'echo', arguments: { text: 'a' } },
          ],
        },
        { toolCalls: [{ name: 'fail', arguments: {} }] },
        { text: 'Done.' },
      ],
    });
    await createAgent({ backend, tools: [echo, failing], controller: watcher }).run('Go.').result;
    expect(stats.at(-1)).toEqual({
      fail: { calls: 2, errors: 2, cancelled: 0, totalMs: expect.any(Number) },
      echo: { calls: 1, errors: 0, cancelled: 0, totalMs: expect.any(Number) },
    });
  });
});
