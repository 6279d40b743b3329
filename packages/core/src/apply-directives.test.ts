import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentContext } from './agent-context.js';
import type { AgentEvent } from './agent-event.js';
import { applyDirectives } from './apply-directives.js';
import type { Controller } from './controller.js';
import { createAgent, runAgent } from './create-agent.js';
import type { Directive } from './directive.js';
import type { Interrupt } from './interrupt.js';
import type { Message } from './message.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

/** The parts of a run's context that directives change, with hand-set starting values. */
function contextWith(messages: Message[] = []): { context: AgentContext; events: AgentEvent[] } {
  const events: AgentEvent[] = [];
  const context = {
    runId: 'run-1',
    turn: 3,
    deps: { clock: { now: () => 5_000 }, emit: (event: AgentEvent) => events.push(event) },
    messages,
    historyGeneration: 0,
    grantedTurns: 0,
    ephemeral: [],
    offeredTools: [],
    nextSettings: undefined,
    pauseReason: undefined,
    ending: undefined,
    failure: undefined,
  } as unknown as AgentContext;
  return { context, events };
}

const task: Message = { role: 'user', content: 'Sum the files.', origin: { kind: 'task' } };
const system: Message = { role: 'system', content: 'Be careful.' };

/** An assistant turn calling `read` with the given ids, and its tool results. */
function turn(...ids: string[]): Message[] {
  return [
    {
      role: 'assistant',
      content: '',
      toolCalls: ids.map((id) => ({ id, name: 'read', arguments: '{}' })),
    },
    ...ids.map(
      (id): Message => ({
        role: 'tool',
        toolCallId: id,
        toolName: 'read',
        result: { status: 'ok', output: `out ${id}` },
      }),
    ),
  ];
}

const answer: Message = { role: 'assistant', content: 'The sum is 6.', toolCalls: [] };

const interrupt = (id: string): Interrupt => ({
  id,
  kind: 'revision',
  text: `update ${id}`,
  urgency: 'next-turn',
  receivedAt: 1,
  turn: 2,
});

describe('applyDirectives: inject', () => {
  it('appends a user message to history with the controller as its origin', () => {
    const { context } = contextWith([system, task]);
    applyDirectives(context, [
      { type: 'inject', role: 'user', content: 'Hurry.', ephemeral: false, source: 'budget' },
    ]);
    expect(context.messages).toEqual([
      system,
      task,
      { role: 'user', content: 'Hurry.', origin: { kind: 'controller', source: 'budget' } },
    ]);
    expect(context.ephemeral).toEqual([]);
  });

  it('appends a system message to history without an origin', () => {
    const { context } = contextWith([task]);
    applyDirectives(context, [
      { type: 'inject', role: 'system', content: 'Rule.', ephemeral: false, source: 'budget' },
    ]);
    expect(context.messages).toEqual([task, { role: 'system', content: 'Rule.' }]);
  });

  it('puts an ephemeral message in the next request only, never in history', () => {
    const { context } = contextWith([task]);
    applyDirectives(context, [
      { type: 'inject', role: 'user', content: 'Turn 2.', ephemeral: true, source: 'reminder' },
      { type: 'inject', role: 'system', content: 'Terse.', ephemeral: true, source: 'reminder' },
    ]);
    expect(context.messages).toEqual([task]);
    expect(context.ephemeral).toEqual([
      { role: 'user', content: 'Turn 2.', origin: { kind: 'controller', source: 'reminder' } },
      { role: 'system', content: 'Terse.' },
    ]);
  });

  it('records the interruption a message answers, and every one when several', () => {
    const directive: Directive = {
      type: 'inject',
      role: 'user',
      content: 'Use CSV.',
      ephemeral: false,
      source: 'interrupts',
    };
    const one = contextWith([task]);
    applyDirectives(one.context, [directive], interrupt('i1'));
    expect(one.context.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Use CSV.',
      origin: { kind: 'interrupt', interruptId: 'i1', interruptKind: 'revision' },
    });
    const single = contextWith([task]);
    applyDirectives(single.context, [directive], [interrupt('i1')]);
    expect(single.context.messages.at(-1)).toEqual(one.context.messages.at(-1));
    const several = contextWith([task]);
    applyDirectives(several.context, [directive], [interrupt('i1'), interrupt('i2')]);
    expect(several.context.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Use CSV.',
      origin: {
        kind: 'interrupt',
        interruptId: 'i2',
        interruptKind: 'revision',
        interruptIds: ['i1', 'i2'],
      },
    });
    const none = contextWith([task]);
    applyDirectives(none.context, [directive], []);
    expect(none.context.messages.at(-1)).toMatchObject({
      origin: { kind: 'controller', source: 'interrupts' },
    });
  });
});

describe('applyDirectives: stop and cancel', () => {
  it('a stop ends the run stopped, with its reason, message and answer settings', () => {
    const { context } = contextWith();
    applyDirectives(context, [
      { type: 'stop', reason: 'turn-budget', message: 'Out of turns.', source: 'budget' },
    ]);
    // Strict: no `answerMaxTokens` key at all when the stop sets no cap.
    expect(context.ending).toStrictEqual({
      status: 'stopped',
      reason: 'turn-budget',
      message: 'Out of turns.',
      forceAnswer: false,
    });
    const forced = contextWith();
    applyDirectives(forced.context, [
      {
        type: 'stop',
        reason: 'deadline',
        message: 'Late.',
        finalAnswer: 'force',
        answerMaxTokens: 200,
        endAs: 'done',
        source: 'budget',
      },
    ]);
    expect(forced.context.ending).toEqual({
      status: 'done',
      reason: 'deadline',
      message: 'Late.',
      forceAnswer: true,
      answerMaxTokens: 200,
    });
  });

  it('a cancel ends the run cancelled, its reason as the message, with no forced answer', () => {
    const { context } = contextWith();
    applyDirectives(context, [{ type: 'cancel', reason: 'user-stop', source: 'user' }]);
    expect(context.ending).toEqual({
      status: 'cancelled',
      reason: 'user-stop',
      message: 'user-stop',
      forceAnswer: false,
    });
  });

  it('the first ending wins, whichever kind comes second', () => {
    const stopFirst = contextWith();
    applyDirectives(stopFirst.context, [
      { type: 'stop', reason: 'stuck', message: 'Stuck.', source: 'a' },
      { type: 'cancel', reason: 'user-stop', source: 'b' },
      { type: 'stop', reason: 'deadline', message: 'Late.', source: 'c' },
    ]);
    expect(stopFirst.context.ending).toMatchObject({ status: 'stopped', reason: 'stuck' });
    const cancelFirst = contextWith();
    applyDirectives(cancelFirst.context, [
      { type: 'cancel', reason: 'user-stop', source: 'b' },
      { type: 'stop', reason: 'deadline', message: 'Late.', source: 'c' },
    ]);
    expect(cancelFirst.context.ending).toMatchObject({
      status: 'cancelled',
      reason: 'user-stop',
    });
  });
});

describe('applyDirectives: pause, grant-turns, model-settings, offer-tools', () => {
  it('a pause records the first reason given; a later pause does not replace it', () => {
    const { context } = contextWith();
    applyDirectives(context, [
      { type: 'pause', reason: 'Review the plan.', source: 'policy' },
      { type: 'pause', reason: 'Second thoughts.', source: 'other' },
    ]);
    expect(context.pauseReason).toBe('Review the plan.');
    expect(context.ending).toBeUndefined();
  });

  it('granted turns add up', () => {
    const { context } = contextWith();
    context.grantedTurns = 2;
    applyDirectives(context, [
      { type: 'grant-turns', turns: 5, reason: 'asked', source: 'budget' },
      { type: 'grant-turns', turns: 3, reason: 'asked', source: 'budget' },
    ]);
    expect(context.grantedTurns).toBe(10);
  });

  it('model settings merge field by field, later directives overriding earlier ones', () => {
    const { context } = contextWith();
    context.nextSettings = { temperature: 0.7, maxTokens: 900 };
    applyDirectives(context, [
      { type: 'model-settings', settings: { toolChoice: 'none', maxTokens: 300 }, source: 'a' },
      { type: 'model-settings', settings: { maxTokens: 100 }, source: 'b' },
    ]);
    expect(context.nextSettings).toEqual({ temperature: 0.7, toolChoice: 'none', maxTokens: 100 });
  });

  it('offered tools accumulate in order', () => {
    const { context } = contextWith();
    const spec = (name: string) => ({ name, description: `${name}.`, inputSchema: {} });
    applyDirectives(context, [
      { type: 'offer-tools', tools: [spec('request_extension')], source: 'budget' },
      { type: 'offer-tools', tools: [spec('ask_user'), spec('give_up')], source: 'other' },
    ]);
    expect(context.offeredTools.map((tool) => tool.name)).toEqual([
      'request_extension',
      'ask_user',
      'give_up',
    ]);
  });
});

describe('applyDirectives: compact', () => {
  const history = (): Message[] => [system, task, ...turn('a'), ...turn('b', 'c'), answer];

  it('replaces whole turns with one summary and starts a new history generation', () => {
    const { context } = contextWith(history());
    applyDirectives(context, [
      { type: 'compact', from: 2, to: 7, summary: 'Read a, b and c.', source: 'compaction' },
    ]);
    expect(context.messages).toEqual([
      system,
      task,
      {
        role: 'user',
        content: 'Read a, b and c.',
        origin: { kind: 'controller', source: 'compaction' },
      },
      answer,
    ]);
    expect(context.historyGeneration).toBe(1);
    expect(context.failure).toBeUndefined();
  });

  it('keeps messages before and after the range, and counts each compaction', () => {
    const { context } = contextWith(history());
    applyDirectives(context, [
      { type: 'compact', from: 4, to: 7, summary: 'Read b and c.', source: 'compaction' },
      { type: 'compact', from: 0, to: 2, summary: 'Setup.', source: 'compaction' },
    ]);
    expect(context.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
    ]);
    expect(context.messages.slice(1, 3)).toEqual(turn('a'));
    expect(context.messages[0]).toMatchObject({ content: 'Setup.' });
    expect(context.messages[3]).toMatchObject({ content: 'Read b and c.' });
    expect(context.historyGeneration).toBe(2);
  });

  it('may run to the end of the history, after an answer without tool calls', () => {
    const { context } = contextWith(history());
    applyDirectives(context, [{ type: 'compact', from: 2, to: 8, summary: 'All.', source: 's' }]);
    expect(context.failure).toBeUndefined();
    expect(context.messages).toEqual([
      system,
      task,
      { role: 'user', content: 'All.', origin: { kind: 'controller', source: 's' } },
    ]);
  });

  it('inserts a summary at a turn boundary when the range is empty', () => {
    const { context } = contextWith(history());
    applyDirectives(context, [{ type: 'compact', from: 4, to: 4, summary: 'Note.', source: 's' }]);
    expect(context.messages).toHaveLength(9);
    expect(context.messages[4]).toMatchObject({ role: 'user', content: 'Note.' });
    expect(context.messages.slice(5, 8)).toEqual(turn('b', 'c'));
  });

  it.each([
    ['ends between a call and its results', 2, 3, 'message 3 is a tool result'],
    ['ends between two results of one turn', 4, 6, 'message 6 is a tool result'],
    ['starts at a tool result', 3, 7, 'message 3 is a tool result'],
    ['starts between two results of one turn', 6, 8, 'message 6 is a tool result'],
    ['is empty inside a turn', 5, 5, 'message 5 is a tool result'],
    ['runs past the history', 2, 9, 'outside the history'],
    ['is reversed', 4, 2, 'outside the history'],
    ['starts before the history', -1, 2, 'outside the history'],
    ['has a fractional end', 2, 3.5, 'must be integers'],
  ])(
    'a range that %s is refused, history untouched, the run failing with a clear error',
    (_name, from, to, why) => {
      const before = history();
      const { context, events } = contextWith(before.slice());
      applyDirectives(context, [
        { type: 'compact', from, to, summary: 'Gone.', source: 'my-compactor' },
      ]);
      expect(context.messages).toEqual(before);
      expect(context.historyGeneration).toBe(0);
      expect(context.failure?.code).toBe('invalid-directive');
      expect(context.failure?.message).toContain(`[${from}, ${to})`);
      expect(context.failure?.message).toContain("'my-compactor'");
      expect(context.failure?.message).toContain('history of 8');
      expect(context.failure?.message).toContain(why);
      expect(events).toHaveLength(1);
    },
  );

  it('refuses to compact away a call whose results are still to come', () => {
    const pending = [task, ...turn('a'), turn('b')[0] as Message];
    const { context } = contextWith(pending.slice());
    applyDirectives(context, [{ type: 'compact', from: 1, to: 4, summary: 'x', source: 's' }]);
    expect(context.messages).toEqual(pending);
    expect(context.failure?.code).toBe('invalid-directive');
    expect(context.failure?.message).toContain('message 3 has tool calls');
  });
});

describe('applyDirectives: events', () => {
  it('emits one directive.applied per directive, in order, and emit directives by name', () => {
    const { context, events } = contextWith([task]);
    const grant: Directive = { type: 'grant-turns', turns: 1, reason: 'r', source: 'budget' };
    applyDirectives(context, [
      grant,
      {
        type: 'emit',
        event: {
          name: 'stuck.detected',
          policy: 'stuck',
          message: 'Same call 3 times.',
          evidence: { repeats: 3 },
        },
      },
    ]);
    expect(events).toEqual([
      { type: 'directive.applied', runId: 'run-1', turn: 3, at: 5_000, directive: grant },
      {
        type: 'stuck.detected',
        runId: 'run-1',
        turn: 3,
        at: 5_000,
        policy: 'stuck',
        message: 'Same call 3 times.',
        evidence: { repeats: 3 },
        controller: true,
      },
    ]);
  });

  it('does nothing without directives', () => {
    const { context, events } = contextWith([task]);
    applyDirectives(context, undefined, interrupt('i1'));
    expect(context.messages).toEqual([task]);
    expect(events).toEqual([]);
  });
});

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers.',
  input: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

/** A controller answering `beforeModel` with the directives of the turn about to start. */
function scripted(byTurn: Record<number, Directive[]>): Controller {
  return { name: 'scripted', open: () => ({ beforeModel: (view) => byTurn[view.turn + 1] }) };
}

describe('directives in a run', () => {
  const responses = [
    { toolCalls: [{ name: 'add', arguments: { a: 1, b: 2 } }] },
    { toolCalls: [{ name: 'add', arguments: { a: 3, b: 4 } }] },
    { text: 'Done: 3 and 7.' },
  ];

  it('model settings apply to the next call only, over the agent’s own', async () => {
    const backend = createScriptedBackend({ responses });
    await runAgent(
      {
        backend,
        tools: [add],
        modelSettings: { temperature: 0.2, maxTokens: 500 },
        controller: scripted({
          2: [
            { type: 'model-settings', settings: { maxTokens: 50 }, source: 'a' },
            { type: 'model-settings', settings: { toolChoice: 'none' }, source: 'b' },
          ],
        }),
      },
      'Add.',
    );
    expect(backend.requests.map((request) => request.settings)).toEqual([
      { temperature: 0.2, maxTokens: 500 },
      { temperature: 0.2, maxTokens: 50, toolChoice: 'none' },
      { temperature: 0.2, maxTokens: 500 },
    ]);
  });

  it('a compaction is what the next request sees, and the run goes on', async () => {
    const backend = createScriptedBackend({ responses });
    const result = await runAgent(
      {
        backend,
        tools: [add],
        controller: scripted({
          3: [{ type: 'compact', from: 1, to: 5, summary: 'Added twice.', source: 'c' }],
        }),
      },
      'Add.',
    );
    expect(result.status).toBe('done');
    expect(backend.requests[2]?.messages.map((message) => message.role)).toEqual(['user', 'user']);
    // The scripted backend answers by the count of assistant messages it is sent: after the
    // compaction it replays the script from the start, on top of the summary.
    expect(result.messages.slice(0, 2)).toEqual([
      { role: 'user', content: 'Add.', origin: { kind: 'task' } },
      { role: 'user', content: 'Added twice.', origin: { kind: 'controller', source: 'c' } },
    ]);
    expect(result.messages.map((message) => message.role).slice(2)).toEqual([
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
    ]);
  });

  it('a compaction that splits a call from its result fails the run and keeps the history', async () => {
    const backend = createScriptedBackend({ responses });
    const result = await runAgent(
      {
        backend,
        tools: [add],
        controller: scripted({
          3: [{ type: 'compact', from: 1, to: 4, summary: 'Half.', source: 'c' }],
        }),
      },
      'Add.',
    );
    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('invalid-directive');
    expect(backend.requests).toHaveLength(2);
    expect(result.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ]);
  });

  it('a pause pauses the run before the next call, with its reason', async () => {
    const backend = createScriptedBackend({ responses });
    // Paused once: `beforeModel` is asked again on resume, and would pause again.
    let paused = false;
    const pauseOnce: Controller = {
      name: 'pause-once',
      open: () => ({
        beforeModel: (view) => {
          if (paused || view.turn !== 1) return undefined;
          paused = true;
          return [{ type: 'pause', reason: 'Check the sum.', source: 'p' }];
        },
      }),
    };
    const handle = createAgent({ backend, tools: [add], controller: pauseOnce }).run('Add.');
    const pauses: { reason: string; requests: number }[] = [];
    handle.on('run.pause', (event) => {
      pauses.push({ reason: event.reason, requests: backend.requests.length });
      setImmediate(() => handle.resume());
    });
    const result = await handle.result;
    expect(pauses).toEqual([{ reason: 'Check the sum.', requests: 1 }]);
    expect(result.status).toBe('done');
  });
});
