import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from './agent-event.js';
import type { Controller } from './controller.js';
import { createAgent, runAgent } from './create-agent.js';
import { InvalidOptionsError } from './errors/invalid-options-error.js';
import { ReinsError } from './errors/reins-error.js';
import type { Message, ToolMessage } from './message.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { createSimulatedClock } from './testing/simulated-clock.js';
import { defineTool } from './tool.js';

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

function toolMessages(messages: readonly Message[]): ToolMessage[] {
  return messages.filter((message): message is ToolMessage => message.role === 'tool');
}

/** Every tool call in history has exactly one result, right after its assistant message. */
function expectConsistentHistory(messages: readonly Message[]): void {
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (message?.role !== 'assistant') continue;
    const results = [];
    let next = index + 1;
    while (messages[next]?.role === 'tool') results.push(messages[next++] as ToolMessage);
    expect(results.map((result) => result.toolCallId)).toEqual(
      message.toolCalls.map((call) => call.id),
    );
  }
  const toolIds = toolMessages(messages).map((message) => message.toolCallId);
  expect(new Set(toolIds).size).toBe(toolIds.length);
}

function collect(handle: {
  on(type: '*', listener: (event: AgentEvent) => void): unknown;
}): AgentEvent[] {
  const events: AgentEvent[] = [];
  handle.on('*', (event) => events.push(event));
  return events;
}

describe('createAgent', () => {
  it('runs tools and finishes with the final answer, emitting events in order', async () => {
    const backend = createScriptedBackend({
      responses: [
        { text: 'Adding.', toolCalls: [{ name: 'add', arguments: { a: 2, b: 3 } }] },
        { text: 'The sum is 5.' },
      ],
    });
    const handle = createAgent({ backend, tools: [add], instructions: 'Be exact.' }).run(
      'Add 2 and 3.',
    );
    const events = collect(handle);
    const result = await handle.result;

    expect(result.status).toBe('done');
    expect(result.output).toBe('The sum is 5.');
    expect(result.turns).toBe(2);
    expect(toolMessages(result.messages)[0]?.result).toEqual({ status: 'ok', output: '5' });
    const types = events.map((event) => event.type).filter((type) => type !== 'model.delta');
    expect(types).toEqual([
      'run.start',
      'turn.start',
      'model.start',
      'model.end',
      'tool.start',
      'tool.end',
      'turn.end',
      'turn.start',
      'model.start',
      'model.end',
      'turn.end',
      'run.end',
    ]);
    expect(backend.requests[0]?.tools.map((tool) => tool.name)).toEqual(['add']);
    expect(backend.requests[0]?.tools[0]?.inputSchema).toMatchObject({
      type: 'object',
      required: ['a', 'b'],
    });
  });

  it('answers an unknown tool and invalid arguments with error results the model sees', async () => {
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'grep', arguments: {} },
            { name: 'add', arguments: { a: 'two', b: 3 } },
            { name: 'add', arguments: '{"a": 1,' },
          ],
        },
        { text: 'Sorry.' },
      ],
    });
    const result = await runAgent({ backend, tools: [add] }, 'Add.');
    const [unknown, invalid, malformed] = toolMessages(result.messages).map(
      (message) => message.result,
    );
    expect(unknown).toMatchObject({ status: 'error', error: { code: 'unknown-tool' } });
    expect(unknown?.status === 'error' && unknown.error.message).toContain('Defined tools: add');
    expect(invalid).toMatchObject({ status: 'error', error: { code: 'invalid-tool-input' } });
    expect(invalid?.status === 'error' && invalid.error.message).toContain('a:');
    expect(malformed?.status === 'error' && malformed.error.message).toContain('not valid JSON');
    expect(result.status).toBe('done');
    // The second request carries the error results to the model.
    expect(backend.requests[1]?.messages.filter((message) => message.role === 'tool')).toHaveLength(
      3,
    );
  });

  it('records a thrown tool error and goes on', async () => {
    const failing = defineTool({
      name: 'explode',
      description: 'Always fails.',
      input: z.object({}),
      execute: () => {
        throw new Error('disk on fire');
      },
    });
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'explode', arguments: {} }] }, { text: 'ok' }],
    });
    const result = await runAgent({ backend, tools: [failing] }, 'Try.');
    expect(toolMessages(result.messages)[0]?.result).toMatchObject({
      status: 'error',
      error: { code: 'tool-execution', message: expect.stringContaining('disk on fire') },
    });
    expect(result.status).toBe('done');
  });

  it("records a tool's thrown Reins error under its own code", async () => {
    const failing = defineTool({
      name: 'unreachable',
      description: 'Its server is gone.',
      input: z.object({}),
      execute: () => {
        throw new ReinsError('server-gone', 'The server exited. The next call reconnects.');
      },
    });
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'unreachable', arguments: {} }] }, { text: 'ok' }],
    });
    const result = await runAgent({ backend, tools: [failing] }, 'Try.');
    expect(toolMessages(result.messages)[0]?.result).toEqual({
      status: 'error',
      error: {
        name: 'ReinsError',
        code: 'server-gone',
        message: 'The server exited. The next call reconnects.',
      },
    });
  });

  it('times out a hung tool that ignores its signal, and discards its late result', async () => {
    const clock = createSimulatedClock();
    let release: (value: string) => void = () => {};
    let sawAbort = false;
    const hung = defineTool({
      name: 'hang',
      description: 'Never returns on its own.',
      input: z.object({}),
      timeoutMs: 5_000,
      execute: (_input, { signal }) => {
        signal.addEventListener('abort', () => {
          sawAbort = true;
        });
        return new Promise<string>((resolve) => {
          release = resolve;
        });
      },
    });
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'hang', arguments: {} }] }, { text: 'gave up' }],
    });
    const handle = createAgent({ backend, tools: [hung], clock }).run('Hang.');
    await new Promise((resolve) => handle.once('tool.start', resolve));
    clock.advance(5_000);
    const result = await handle.result;
    release('late');
    expect(sawAbort).toBe(true);
    expect(toolMessages(result.messages)[0]?.result).toMatchObject({
      status: 'error',
      error: { code: 'tool-timeout' },
    });
    expectConsistentHistory(result.messages);
  });

  it('runs a turn’s tool calls in parallel and stores results in the model’s order', async () => {
    const order: string[] = [];
    const sleep = defineTool({
      name: 'sleep',
      description: 'Waits.',
      input: z.object({ ms: z.number(), label: z.string() }),
      execute: async ({ ms, label }) => {
        order.push(`start ${label}`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`end ${label}`);
        return label;
      },
    });
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'sleep', arguments: { ms: 30, label: 'slow' } },
            { name: 'sleep', arguments: { ms: 1, label: 'fast' } },
          ],
        },
        { text: 'done' },
      ],
    });
    const result = await runAgent({ backend, tools: [sleep] }, 'Sleep twice.');
    expect(order).toEqual(['start slow', 'start fast', 'end fast', 'end slow']);
    expect(toolMessages(result.messages).map((message) => message.result)).toEqual([
      { status: 'ok', output: 'slow' },
      { status: 'ok', output: 'fast' },
    ]);
  });

  it('fails the run with a typed error on a malformed stream part, keeping history consistent', async () => {
    const backend = createScriptedBackend({ responses: [{ text: 'fine' }] });
    const broken = {
      ...backend,
      async *stream() {
        yield { type: 'text-delta', delta: 'partial ' } as const;
        yield { type: 'tool-call', id: '', name: 'add' } as never;
      },
    };
    const result = await runAgent({ backend: broken, tools: [add] }, 'Go.');
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('malformed-response');
    expect(result.messages.at(-1)).toMatchObject({
      role: 'assistant',
      content: 'partial ',
      interrupted: true,
    });
  });

  it('fails the run when the script runs out, naming the fix', async () => {
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] }],
    });
    const result = await runAgent({ backend, tools: [add] }, 'Go.');
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({
      code: 'model-call',
      message: expect.stringContaining('Add responses'),
    });
    expectConsistentHistory(result.messages);
  });

  it('rejects invalid options at construction, naming the field', () => {
    const backend = createScriptedBackend({ responses: [] });
    const attempt = (options: unknown) => {
      try {
        createAgent(options as never);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(attempt({})).toMatchObject({ code: 'invalid-options', field: 'backend' });
    expect(attempt({ backend, tools: [add, add] })).toMatchObject({
      field: 'tools[1].name',
      message: expect.stringContaining('defined twice'),
    });
    expect(attempt({ backend, tools: [{ ...add, name: 'bad name' }] })).toMatchObject({
      field: 'tools[0].name',
    });
    expect(attempt({ backend, toolTimeoutMs: -1 })).toMatchObject({ field: 'toolTimeoutMs' });
    expect(InvalidOptionsError.isInstance(attempt({ backend, controller: {} }))).toBe(true);
    expect(() => createAgent({ backend }).run('  ')).toThrow(/non-empty task/);
  });
});

describe('controller directives', () => {
  it('appends ephemeral reminders to the request without storing them', async () => {
    const reminder: Controller = {
      name: 'reminder',
      open: () => ({
        beforeModel: (view) => [
          {
            type: 'inject',
            role: 'user',
            content: `Turn ${view.turn + 1}: be brief.`,
            ephemeral: true,
            source: 'reminder',
          },
        ],
      }),
    };
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] }, { text: 'two' }],
    });
    const result = await runAgent({ backend, tools: [add], controller: reminder }, 'Go.');
    expect(
      backend.requests.map(
        (request) => request.messages.at(-1)?.role === 'user' && request.messages.at(-1),
      ),
    ).toEqual([
      expect.objectContaining({ content: 'Turn 1: be brief.' }),
      expect.objectContaining({ content: 'Turn 2: be brief.' }),
    ]);
    expect(
      result.messages.some(
        (message) => 'content' in message && message.content.includes('be brief'),
      ),
    ).toBe(false);
  });

  it('stops with a forced final answer made without tools', async () => {
    const stopAfterOne: Controller = {
      name: 'cap',
      open: () => ({
        beforeModel: (view) =>
          view.turn >= 1
            ? [
                {
                  type: 'stop',
                  reason: 'turn-budget',
                  message: 'Turn budget used.',
                  finalAnswer: 'force',
                  source: 'cap',
                },
              ]
            : undefined,
      }),
    };
    const backend = createScriptedBackend({
      responses: [
        { toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] },
        { text: 'Best answer: 2.' },
      ],
    });
    const handle = createAgent({ backend, tools: [add], controller: stopAfterOne }).run('Go.');
    const events = collect(handle);
    const result = await handle.result;
    expect(result).toMatchObject({
      status: 'stopped',
      reason: 'turn-budget',
      output: 'Best answer: 2.',
    });
    expect(backend.requests[1]?.tools).toEqual([]);
    expect(backend.requests[1]?.settings?.toolChoice).toBe('none');
    expect(
      events.some((event) => event.type === 'directive.applied' && event.directive.type === 'stop'),
    ).toBe(true);
  });

  it('offers a controller tool and answers it without running anything', async () => {
    let granted = 0;
    const extension: Controller = {
      name: 'extension',
      open: () => ({
        beforeModel: () => [
          {
            type: 'offer-tools',
            source: 'extension',
            tools: [
              {
                name: 'request_extension',
                description: 'Ask for more turns.',
                inputSchema: { type: 'object' },
              },
            ],
          },
        ],
        beforeTool: (_view, call) =>
          call.name === 'request_extension'
            ? [
                { type: 'resolve', output: 'Granted 5 more turns.', source: 'extension' },
                { type: 'grant-turns', turns: 5, reason: 'progress', source: 'extension' },
              ]
            : undefined,
        afterModel: (view) => {
          granted = view.grantedTurns;
          return undefined;
        },
      }),
    };
    const backend = createScriptedBackend({
      responses: [
        { toolCalls: [{ name: 'request_extension', arguments: { reason: 'almost there' } }] },
        { text: 'done' },
      ],
    });
    const result = await runAgent({ backend, tools: [add], controller: extension }, 'Go.');
    expect(backend.requests[0]?.tools.map((tool) => tool.name)).toEqual([
      'add',
      'request_extension',
    ]);
    expect(toolMessages(result.messages)[0]?.result).toEqual({
      status: 'ok',
      output: 'Granted 5 more turns.',
    });
    expect(granted).toBe(5);
  });

  it('denies a tool call with the controller’s reason', async () => {
    const deny: Controller = {
      name: 'guard',
      open: () => ({
        beforeTool: () => [{ type: 'deny', reason: 'read-only mode', source: 'guard' }],
      }),
    };
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 1 } }] }, { text: 'ok' }],
    });
    const result = await runAgent({ backend, tools: [add], controller: deny }, 'Go.');
    expect(toolMessages(result.messages)[0]?.result).toMatchObject({
      status: 'error',
      error: { code: 'tool-denied', message: expect.stringContaining('read-only mode') },
    });
  });

  it('emits named controller events with their evidence', async () => {
    const reporter: Controller = {
      name: 'reporter',
      open: () => ({
        afterModel: (view) => [
          {
            type: 'emit',
            event: {
              name: 'budget.reminder',
              policy: 'turn-budget',
              message: 'reminded',
              evidence: { turn: view.turn },
            },
          },
        ],
      }),
    };
    const backend = createScriptedBackend({ responses: [{ text: 'hi' }] });
    const handle = createAgent({ backend, controller: reporter }).run('Go.');
    const reminders: unknown[] = [];
    handle.on('budget.reminder', (event) => reminders.push(event));
    await handle.result;
    expect(reminders).toEqual([
      expect.objectContaining({ type: 'budget.reminder', controller: true, evidence: { turn: 1 } }),
    ]);
  });
});

describe('run controls', () => {
  it('applies a next-turn interrupt as a user message before the next model call', async () => {
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, { text: 'done' }],
    });
    const handle = createAgent({ backend, tools: [add] }).run('Add.');
    handle.once('tool.start', () =>
      handle.interrupt({ kind: 'addition', text: 'Also multiply them.' }),
    );
    const result = await handle.result;
    const update = result.messages.find(
      (message) => message.role === 'user' && message.origin?.kind === 'interrupt',
    );
    expect(update).toMatchObject({
      content: 'Also multiply them.',
      origin: { interruptKind: 'addition' },
    });
    expect(backend.requests[1]?.messages.at(-1)).toEqual(update);
    expectConsistentHistory(result.messages);
  });

  it('aborts the model call at once on an urgent interrupt, keeping partial output marked interrupted', async () => {
    const clock = createSimulatedClock();
    const backend = createScriptedBackend({
      // An interrupted call does not count as a turn of the script: the same step answers again,
      // and sees the update.
      responses: [
        (request) =>
          request.messages.some(
            (message) => message.role === 'user' && message.origin?.kind === 'interrupt',
          )
            ? { text: 'Short answer.' }
            : { text: 'I will write a very long essay about everything.' },
      ],
      delayMs: 10,
      chunkSize: 4,
      clock,
    });
    const handle = createAgent({ backend, clock }).run('Write.');
    let deltas = 0;
    handle.on('model.delta', () => {
      deltas += 1;
      if (deltas === 2)
        handle.interrupt({ kind: 'revision', text: 'Keep it short.', urgency: 'now' });
    });
    const pump = setInterval(() => clock.advance(10), 1);
    const result = await handle.result;
    clearInterval(pump);
    expect(result.status).toBe('done');
    expect(result.output).toBe('Short answer.');
    const partial = result.messages.find(
      (message) => message.role === 'assistant' && message.interrupted === true,
    );
    expect(partial).toMatchObject({ content: 'I will w' });
  });

  it('pauses at the next decision point and resumes', async () => {
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] }, { text: 'done' }],
    });
    const handle = createAgent({ backend, tools: [add] }).run('Add.');
    handle.once('tool.start', () => handle.pause('look at it'));
    await new Promise((resolve) => handle.once('run.pause', resolve));
    expect(handle.phase).toBe('paused');
    expect(backend.requests).toHaveLength(1);
    handle.resume();
    const result = await handle.result;
    expect(result.status).toBe('done');
    expect(backend.requests).toHaveLength(2);
  });

  it('cancels on abort, aborting running tools, and answers every call', async () => {
    let aborted = false;
    const slow = defineTool({
      name: 'slow',
      description: 'Slow.',
      input: z.object({}),
      execute: (_input, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          });
        }),
    });
    const controller = new AbortController();
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'slow', arguments: {} },
            { name: 'slow', arguments: {} },
          ],
        },
      ],
    });
    const handle = createAgent({ backend, tools: [slow] }).run('Go.', {
      signal: controller.signal,
    });
    handle.once('tool.start', () => controller.abort(new Error('user left')));
    const result = await handle.result;
    expect(result.status).toBe('cancelled');
    expect(aborted).toBe(true);
    expect(toolMessages(result.messages).map((message) => message.result.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(toolMessages(result.messages)[0]?.result).toMatchObject({
      reason: expect.stringContaining('user left'),
    });
  });

  it('iterates events asynchronously until run.end', async () => {
    const backend = createScriptedBackend({ responses: [{ text: 'hello there' }] });
    const handle = createAgent({ backend }).run('Greet.');
    const types: string[] = [];
    for await (const event of handle) types.push(event.type);
    expect(types[0]).toBe('run.start');
    expect(types.at(-1)).toBe('run.end');
    expect(types.filter((type) => type === 'model.delta').length).toBeGreaterThan(0);
  });
});
