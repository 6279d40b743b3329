import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from './agent-event.js';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import type { ScriptedResponse } from './testing/scripted-backend.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';
import type { Usage } from './usage.js';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

const working = (turns: number): ScriptedResponse[] => [
  ...Array.from({ length: turns }, (_, index) => ({
    text: `Step ${index}.`,
    toolCalls: [{ name: 'echo', arguments: { text: `step ${index}` } }],
  })),
  { text: 'Done.' },
];

/** A controller that stops the run before its third model call. */
const stopBeforeThirdCall = (finalAnswer: boolean): Controller => ({
  name: 'test',
  open: () => ({
    beforeModel: (view) =>
      view.turn >= 2
        ? [
            {
              type: 'stop',
              reason: 'turn-budget',
              message: 'Two turns are enough.',
              source: 'test',
              ...(finalAnswer ? { finalAnswer: 'force' as const } : {}),
            },
          ]
        : undefined,
  }),
});

/** Runs to the end and returns the turn numbers of its `turn.start` and `turn.end` events. */
async function turnEvents(
  start: (on: (event: AgentEvent) => void) => Promise<unknown>,
): Promise<{ starts: number[]; ends: number[] }> {
  const starts: number[] = [];
  const ends: number[] = [];
  await start((event) => {
    if (event.type === 'turn.start') starts.push(event.turn);
    if (event.type === 'turn.end') ends.push(event.turn);
  });
  return { starts, ends };
}

describe('turn events', () => {
  const endings: [string, (on: (event: AgentEvent) => void) => Promise<unknown>][] = [
    [
      'a stop decided before the next call',
      async (on) => {
        const backend = createScriptedBackend({ responses: working(5) });
        const handle = createAgent({
          backend,
          tools: [echo],
          controller: stopBeforeThirdCall(false),
        }).run('Work.');
        handle.on('*', on);
        return handle.result;
      },
    ],
    [
      'a stop with a forced answer',
      async (on) => {
        const backend = createScriptedBackend({ responses: [...working(2), { text: 'Answer.' }] });
        const handle = createAgent({
          backend,
          tools: [echo],
          controller: stopBeforeThirdCall(true),
        }).run('Work.');
        handle.on('*', on);
        return handle.result;
      },
    ],
    [
      'an abort between turns',
      async (on) => {
        const backend = createScriptedBackend({ responses: working(5) });
        const handle = createAgent({ backend, tools: [echo] }).run('Work.');
        handle.on('*', (event) => {
          on(event);
          if (event.type === 'turn.end' && event.turn === 2) handle.abort('Enough.');
        });
        return handle.result;
      },
    ],
    [
      'a stop interruption between turns',
      async (on) => {
        const backend = createScriptedBackend({ responses: working(5) });
        const handle = createAgent({ backend, tools: [echo] }).run('Work.');
        handle.on('*', (event) => {
          on(event);
          if (event.type === 'turn.end' && event.turn === 1)
            handle.interrupt({ kind: 'stop', text: 'Stop now.' });
        });
        return handle.result;
      },
    ],
    [
      'a pause between turns, then a resume',
      async (on) => {
        const backend = createScriptedBackend({ responses: working(3) });
        const handle = createAgent({ backend, tools: [echo] }).run('Work.');
        handle.on('*', (event) => {
          on(event);
          if (event.type === 'turn.end' && event.turn === 1) handle.pause('Wait.');
          if (event.type === 'run.pause') setTimeout(() => handle.resume(), 1);
        });
        return handle.result;
      },
    ],
  ];

  it.each(endings)('ends each turn once, in order, after %s', async (_name, start) => {
    const { starts, ends } = await turnEvents(start);
    expect(starts.length).toBeGreaterThan(0);
    expect(ends).toEqual(starts);
  });

  it("reports a turn cut by an abort with that turn's usage only, its call cancelled", async () => {
    const backend = createScriptedBackend({
      delayMs: 5,
      responses: [
        {
          text: 'Step 0.',
          toolCalls: [{ name: 'echo', arguments: { text: 'a' } }],
          usage: {
            inputTokens: 10,
            cachedInputTokens: 4,
            outputTokens: 5,
            reasoningTokens: 3,
            costUsd: 0.25,
          },
        },
        {
          text: 'A long second step that is still streaming when the abort comes.',
          usage: { inputTokens: 20, outputTokens: 7 },
        },
      ],
    });
    const handle = createAgent({ backend, tools: [echo] }).run('Work.');
    const ends: { turn: number; input: number; output: number; totalInput: number }[] = [];
    const modelEnds: string[] = [];
    const turnUsages: unknown[] = [];
    handle.on('*', (event) => {
      if (event.type === 'turn.end') turnUsages.push(event.usage);
      if (event.type === 'turn.end')
        ends.push({
          turn: event.turn,
          input: event.usage.inputTokens,
          output: event.usage.outputTokens,
          totalInput: event.totalUsage.inputTokens,
        });
      if (event.type === 'model.end') modelEnds.push(event.finishReason);
      if (event.type === 'model.delta' && event.turn === 2) handle.abort('Enough.');
    });
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    // The second call reported no usage before it was cut: its turn used nothing.
    expect(ends).toEqual([
      { turn: 1, input: 10, output: 5, totalInput: 10 },
      { turn: 2, input: 0, output: 0, totalInput: 10 },
    ]);
    expect(turnUsages.at(-1)).toMatchObject({
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      costUsd: 0,
    });
    expect(modelEnds.at(-1)).toBe('interrupted');
    const last = result.messages.at(-1);
    expect(last?.role === 'assistant' && last.interrupted).toBe(true);
  });

  it("reports each turn's own usage in every field, and the run's total so far", async () => {
    const usages: [Usage, Usage, Usage] = [
      {
        inputTokens: 100,
        cachedInputTokens: 40,
        outputTokens: 20,
        reasoningTokens: 8,
        costUsd: 0.5,
      },
      {
        inputTokens: 130,
        cachedInputTokens: 90,
        outputTokens: 15,
        reasoningTokens: 6,
        costUsd: 0.25,
      },
      {
        inputTokens: 170,
        cachedInputTokens: 120,
        outputTokens: 9,
        reasoningTokens: 2,
        costUsd: 0.125,
      },
    ];
    const backend = createScriptedBackend({
      responses: [
        { toolCalls: [{ name: 'echo', arguments: { text: 'a' } }], usage: usages[0] },
        { toolCalls: [{ name: 'echo', arguments: { text: 'b' } }], usage: usages[1] },
        { text: 'Done.', usage: usages[2] },
      ],
    });
    const handle = createAgent({ backend, tools: [echo] }).run('Work.');
    const ends: { usage: unknown; totalUsage: unknown }[] = [];
    handle.on('turn.end', ({ usage, totalUsage }) => ends.push({ usage, totalUsage }));
    await handle.result;
    expect(ends).toEqual([
      { usage: usages[0], totalUsage: usages[0] },
      {
        usage: usages[1],
        totalUsage: {
          inputTokens: 230,
          cachedInputTokens: 130,
          outputTokens: 35,
          reasoningTokens: 14,
          costUsd: 0.75,
        },
      },
      {
        usage: usages[2],
        totalUsage: {
          inputTokens: 400,
          cachedInputTokens: 250,
          outputTokens: 44,
          reasoningTokens: 16,
          costUsd: 0.875,
        },
      },
    ]);
  });
});
