/**
 * What each model call is asked with: the tools a controller offers, its scheduling hints and
 * its settings belong to the one request they were given for, and the `model.start` event
 * shows the same.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent, AgentEventOf } from './agent-event.js';
import type { Controller } from './controller.js';
import { type AgentOptions, createAgent } from './create-agent.js';
import type { Directive } from './directive.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});

/** Two tool turns, then an answer: three model calls. */
const threeCalls = () =>
  createScriptedBackend({
    responses: [
      { toolCalls: [{ name: 'echo', arguments: { text: 'a' } }] },
      { toolCalls: [{ name: 'echo', arguments: { text: 'b' } }] },
      { text: 'Done.' },
    ],
  });

/** Runs the agent to its end and returns its `model.start` events. */
async function modelStarts(
  options: Omit<AgentOptions, 'tools'>,
): Promise<AgentEventOf<'model.start'>[]> {
  const handle = createAgent({ ...options, tools: [echo] }).run('Work.');
  const starts: AgentEventOf<'model.start'>[] = [];
  handle.on('model.start', (event) => starts.push(event));
  const result = await handle.result;
  expect(result.status).toBe('done');
  return starts;
}

/** A controller whose `beforeModel` returns the directives given for each turn (1-based). */
const beforeEachCall = (byTurn: Record<number, readonly Directive[]>): Controller => ({
  name: 'test',
  open: () => ({ beforeModel: (view) => byTurn[view.turn + 1] }),
});

describe('the request of each model call', () => {
  it('numbers the turns 1, 2, 3 in their events', async () => {
    const handle = createAgent({ backend: threeCalls(), tools: [echo] }).run('Work.');
    const turns: [AgentEvent['type'], number][] = [];
    handle.on('*', (event) => {
      if (event.type === 'turn.start' || event.type === 'model.start' || event.type === 'turn.end')
        turns.push([event.type, event.turn]);
    });
    const result = await handle.result;
    expect(result.turns).toBe(3);
    expect(turns).toEqual([
      ['turn.start', 1],
      ['model.start', 1],
      ['turn.end', 1],
      ['turn.start', 2],
      ['model.start', 2],
      ['turn.end', 2],
      ['turn.start', 3],
      ['model.start', 3],
      ['turn.end', 3],
    ]);
  });

  it('appends an ephemeral message to the one request it was given for, never to history', async () => {
    const backend = threeCalls();
    const handle = createAgent({
      backend,
      tools: [echo],
      controller: beforeEachCall({
        2: [
          { type: 'inject', role: 'user', content: 'Be brief.', ephemeral: true, source: 'test' },
        ],
      }),
    }).run('Work.');
    const counts: number[] = [];
    handle.on('model.start', (event) => counts.push(event.messageCount));
    const result = await handle.result;
    const reminders = backend.requests.map((request) =>
      request.messages.filter(
        (message) => message.role === 'user' && message.content === 'Be brief.',
      ),
    );
    expect(reminders.map((found) => found.length)).toEqual([0, 1, 0]);
    expect(backend.requests[1]?.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Be brief.',
      origin: { kind: 'controller', source: 'test' },
    });
    // The task; then the task, a step, its result and the reminder; then two steps and results.
    expect(counts).toEqual([1, 4, 5]);
    expect(
      result.messages.some((message) => message.role === 'user' && message.content === 'Be brief.'),
    ).toBe(false);
  });

  it('offers a controller tool with the one request it was offered for', async () => {
    const backend = threeCalls();
    const extension = {
      name: 'request_extension',
      description: 'Ask for more turns.',
      inputSchema: { type: 'object' },
    };
    const starts = await modelStarts({
      backend,
      controller: beforeEachCall({
        2: [{ type: 'offer-tools', tools: [extension], source: 'test' }],
      }),
    });
    expect(backend.requests.map((request) => request.tools.map((tool) => tool.name))).toEqual([
      ['echo'],
      ['echo', 'request_extension'],
      ['echo'],
    ]);
    expect(starts.map((event) => event.toolNames)).toEqual([
      ['echo'],
      ['echo', 'request_extension'],
      ['echo'],
    ]);
  });

  it("sends the controller's hints with the request and in model.start, and none when it has none", async () => {
    const backend = threeCalls();
    const starts = await modelStarts({
      backend,
      controller: {
        name: 'hints',
        open: () => ({
          hints: (view) =>
            view.turn === 2 ? undefined : { programId: 'p1', turn: view.turn, pin: true },
        }),
      },
    });
    expect(backend.requests.map((request) => request.hints)).toEqual([
      { programId: 'p1', turn: 1, pin: true },
      undefined,
      { programId: 'p1', turn: 3, pin: true },
    ]);
    expect(starts.map((event) => event.hints)).toEqual([
      { programId: 'p1', turn: 1, pin: true },
      undefined,
      { programId: 'p1', turn: 3, pin: true },
    ]);
    expect('hints' in (backend.requests[1] ?? {})).toBe(false);
    expect('hints' in (starts[1] ?? {})).toBe(false);
  });

  it('merges the settings a directive gives over the agent’s own for that one call', async () => {
    const backend = threeCalls();
    const starts = await modelStarts({
      backend,
      modelSettings: { temperature: 0.2, maxTokens: 100 },
      controller: beforeEachCall({
        2: [{ type: 'model-settings', settings: { maxTokens: 10 }, source: 'test' }],
      }),
    });
    const expected = [
      { temperature: 0.2, maxTokens: 100 },
      { temperature: 0.2, maxTokens: 10 },
      { temperature: 0.2, maxTokens: 100 },
    ];
    expect(backend.requests.map((request) => request.settings)).toEqual(expected);
    expect(starts.map((event) => event.settings)).toEqual(expected);
  });

  it('has no settings at all when none are configured, and only those a directive gives', async () => {
    const backend = threeCalls();
    const starts = await modelStarts({
      backend,
      controller: beforeEachCall({
        2: [{ type: 'model-settings', settings: { toolChoice: 'required' }, source: 'test' }],
      }),
    });
    expect(backend.requests.map((request) => 'settings' in request)).toEqual([false, true, false]);
    expect(starts.map((event) => 'settings' in event)).toEqual([false, true, false]);
    expect(backend.requests[1]?.settings).toEqual({ toolChoice: 'required' });
    expect(starts[1]?.settings).toEqual({ toolChoice: 'required' });
  });
});
