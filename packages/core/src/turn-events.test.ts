import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from './agent-event.js';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import type { ScriptedResponse } from './testing/scripted-backend.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

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
});
