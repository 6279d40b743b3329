import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from './agent-event.js';
import type { Controller } from './controller.js';
import { createAgent } from './create-agent.js';
import type { Directive } from './directive.js';
import { InvalidOptionsError } from './errors/invalid-options-error.js';
import type { Message, ToolMessage, UserMessage } from './message.js';
import type { RunResult } from './run-result.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { createSimulatedClock } from './testing/simulated-clock.js';
import { defineTool } from './tool.js';

/** A tool that runs until its signal fires, and records that it fired. */
function createBlockingTool() {
  const fired: string[] = [];
  const tool = defineTool({
    name: 'wait',
    description: 'Waits until aborted.',
    input: z.object({}),
    execute: (_input, { signal, callId }) =>
      new Promise<string>((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          fired.push(callId);
          reject(signal.reason);
        });
      }),
  });
  return { tool, fired };
}

function interruptMessages(messages: readonly Message[]): UserMessage[] {
  return messages.filter(
    (message): message is UserMessage =>
      message.role === 'user' && message.origin?.kind === 'interrupt',
  );
}

function expectConsistentHistory(messages: readonly Message[]): void {
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (message?.role !== 'assistant') continue;
    const ids: string[] = [];
    let next = index + 1;
    while (messages[next]?.role === 'tool') ids.push((messages[next++] as ToolMessage).toolCallId);
    expect(ids).toEqual(message.toolCalls.map((call) => call.id));
  }
}

/** Runs a task whose first turn blocks in a tool, sends a burst of urgent interrupts there. */
async function runBurst(
  count: number,
  ids: () => string,
): Promise<RunResult & { events: AgentEvent[] }> {
  const { tool, fired } = createBlockingTool();
  const backend = createScriptedBackend({
    responses: [{ toolCalls: [{ name: 'wait', arguments: {} }] }, { text: 'done' }],
  });
  const clock = createSimulatedClock(1_000);
  const handle = createAgent({ backend, tools: [tool], clock, generateId: ids }).run('Work.');
  const events: AgentEvent[] = [];
  handle.on('*', (event) => events.push(event));
  handle.once('tool.start', () => {
    for (let index = 0; index < count; index++) {
      handle.interrupt({
        kind: index % 3 === 0 ? 'addition' : index % 3 === 1 ? 'revision' : 'retraction',
        text: `update ${index}`,
        urgency: 'now',
      });
    }
  });
  const result = await handle.result;
  expect(fired).toHaveLength(1);
  return { ...result, events };
}

describe('interrupts', () => {
  it('applies a burst of 1,000 urgent interrupts at one decision point, in order, deterministically', async () => {
    const counter = () => {
      let next = 0;
      return () => `id${next++}`;
    };
    const first = await runBurst(1_000, counter());
    const second = await runBurst(1_000, counter());
    expect(first.status).toBe('done');
    const applied = first.events.filter((event) => event.type === 'interrupt.applied');
    expect(applied.map((event) => event.interrupt.text)).toEqual(
      Array.from({ length: 1_000 }, (_, index) => `update ${index}`),
    );
    // One aborted turn and one new model call, not one per interrupt.
    expect(first.turns).toBe(2);
    expect(first.events.filter((event) => event.type === 'model.start')).toHaveLength(2);
    const updates = interruptMessages(first.messages);
    expect(updates.map((message) => message.content)).toEqual(
      Array.from({ length: 1_000 }, (_, index) => `update ${index}`),
    );
    expectConsistentHistory(first.messages);
    expect(JSON.stringify(second.messages)).toBe(JSON.stringify(first.messages));
  });

  it('gathers interrupts spread over time into one decision with interruptQuietMs', async () => {
    const clock = createSimulatedClock();
    const { tool } = createBlockingTool();
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'wait', arguments: {} }] }, { text: 'done' }],
    });
    const handle = createAgent({ backend, tools: [tool], clock, interruptQuietMs: 5 }).run('Work.');
    const decisions: number[] = [];
    handle.on('model.start', () => decisions.push(clock.now()));
    await new Promise((resolve) => handle.once('tool.start', resolve));
    for (let index = 0; index < 1_000; index++) {
      handle.interrupt({ kind: 'addition', text: `update ${index}`, urgency: 'now' });
      clock.advance(1);
    }
    clock.advance(5);
    const result = await handle.result;
    expect(result.turns).toBe(2);
    expect(decisions).toEqual([0, 1_004]);
    expect(interruptMessages(result.messages)).toHaveLength(1_000);
  });

  it('hands every interrupt of a decision point to onInterrupts at once, merged into one message', async () => {
    const { tool } = createBlockingTool();
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'wait', arguments: {} }] }, { text: 'done' }],
    });
    const batches: string[][] = [];
    const controller: Controller = {
      name: 'merge',
      open: () => ({
        onInterrupts: (view, interrupts) => {
          batches.push(interrupts.map((interrupt) => interrupt.text));
          expect(view.intentUpdates).toHaveLength(interrupts.length);
          return [
            {
              type: 'inject',
              role: 'user',
              content: interrupts.map((interrupt) => interrupt.text).join(' / '),
              ephemeral: false,
              source: 'merge',
            },
          ];
        },
      }),
    };
    let next = 0;
    const handle = createAgent({
      backend,
      tools: [tool],
      controller,
      generateId: () => `i${next++}`,
    }).run('Work.');
    handle.once('tool.start', () => {
      handle.interrupt({ kind: 'addition', text: 'a' });
      handle.interrupt({ kind: 'revision', text: 'b' });
      handle.interrupt({ kind: 'retraction', text: 'c', urgency: 'now' });
    });
    const result = await handle.result;
    expect(batches).toEqual([['a', 'b', 'c']]);
    const [merged] = interruptMessages(result.messages);
    expect(merged).toMatchObject({
      content: 'a / b / c',
      origin: { kind: 'interrupt', interruptKind: 'retraction', interruptIds: ['i1', 'i2', 'i3'] },
    });
    expect(backend.requests[1]?.messages.at(-1)).toEqual(merged);
  });

  it('reports each interrupt of a batch as applied, with the directives decided for the batch', async () => {
    const run = async (merge: boolean) => {
      const { tool } = createBlockingTool();
      const backend = createScriptedBackend({
        responses: [{ toolCalls: [{ name: 'wait', arguments: {} }] }, { text: 'done' }],
      });
      const controller: Controller = {
        name: 'merge',
        open: () => ({
          onInterrupts: (_view, interrupts) =>
            merge
              ? [
                  {
                    type: 'inject',
                    role: 'user',
                    content: interrupts.map((interrupt) => interrupt.text).join(' / '),
                    ephemeral: false,
                    source: 'merge',
                  },
                ]
              : undefined,
        }),
      };
      let next = 0;
      const handle = createAgent({
        backend,
        tools: [tool],
        controller,
        generateId: () => `i${next++}`,
      }).run('Work.');
      handle.once('tool.start', () => {
        handle.interrupt({ kind: 'addition', text: 'a' });
        handle.interrupt({ kind: 'revision', text: 'b', urgency: 'now' });
      });
      const applied: { id: string; directives: readonly Directive[] }[] = [];
      handle.on('interrupt.applied', (event) =>
        applied.push({ id: event.interrupt.id, directives: event.directives }),
      );
      expect((await handle.result).status).toBe('done');
      return applied;
    };
    const merged: Directive = {
      type: 'inject',
      role: 'user',
      content: 'a / b',
      ephemeral: false,
      source: 'merge',
    };
    expect(await run(true)).toEqual([
      { id: 'i1', directives: [merged] },
      { id: 'i2', directives: [merged] },
    ]);
    const defaults: Directive[] = [
      { type: 'inject', role: 'user', content: 'a', ephemeral: false, source: 'loop' },
      { type: 'inject', role: 'user', content: 'b', ephemeral: false, source: 'loop' },
    ];
    expect(await run(false)).toEqual([
      { id: 'i1', directives: defaults },
      { id: 'i2', directives: defaults },
    ]);
  });

  it('answer-now closes the reasoning and forces an answer capped by answerMaxTokens', async () => {
    const clock = createSimulatedClock();
    const backend = createScriptedBackend({
      responses: [
        (request) =>
          request.settings?.toolChoice === 'none'
            ? { text: '42' }
            : { reasoning: 'Let me think about this for a very long time. '.repeat(20), text: 'x' },
      ],
      delayMs: 10,
      chunkSize: 8,
      clock,
    });
    const handle = createAgent({ backend, clock, modelSettings: { maxTokens: 4096 } }).run(
      'What is six times seven?',
    );
    let deltas = 0;
    handle.on('model.delta', (event) => {
      if (event.part.type === 'reasoning-delta' && ++deltas === 3)
        handle.interrupt({ kind: 'answer-now', answerMaxTokens: 32 });
    });
    const pump = setInterval(() => clock.advance(10), 1);
    const result = await handle.result;
    clearInterval(pump);
    expect(result).toMatchObject({ status: 'stopped', reason: 'user-answer-now', output: '42' });
    const forced = backend.requests[1];
    expect(forced?.settings).toMatchObject({ maxTokens: 32, toolChoice: 'none' });
    const partial = forced?.messages.at(-2);
    expect(partial).toMatchObject({ role: 'assistant', interrupted: true, content: '' });
    expect((partial as { reasoning?: string }).reasoning).toHaveLength(24);
    const last = forced?.messages.at(-1);
    const instruction = last?.role === 'user' ? last.content : '';
    expect(instruction).toContain('reasoning above was cut short on purpose and is now closed');
    expect(instruction).toContain('in at most 32 tokens');
  });

  it('answer-now is urgent unless told otherwise, and uses the default cap', async () => {
    const { tool, fired } = createBlockingTool();
    const backend = createScriptedBackend({
      responses: [{ toolCalls: [{ name: 'wait', arguments: {} }] }, { text: 'partial answer' }],
    });
    const handle = createAgent({ backend, tools: [tool] }).run('Work.');
    handle.once('tool.start', () => {
      expect(handle.interrupt({ kind: 'answer-now' }).urgency).toBe('now');
    });
    const result = await handle.result;
    expect(fired).toHaveLength(1);
    expect(result.output).toBe('partial answer');
    expect(backend.requests[1]?.settings?.maxTokens).toBe(512);
  });

  it('rejects a negative interruptQuietMs, naming the fix', () => {
    const backend = createScriptedBackend({ responses: [] });
    expect(() => createAgent({ backend, interruptQuietMs: -1 })).toThrow(InvalidOptionsError);
    expect(() => createAgent({ backend, interruptQuietMs: -1 })).toThrow(/use 0/);
  });
});
