import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { createSimulatedClock } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { createLangChainRun, recordToolStats, reinsOriginKey, taskText } from './langchain-run.js';
import { unknownModel } from './model-request-changes.js';

const task = new HumanMessage({ content: 'Fix the failing test.', id: 'task' });
const call = (id: string, command: string) =>
  new AIMessage({
    content: `Running ${command}.`,
    id: `ai-${id}`,
    tool_calls: [{ id, name: 'run', args: { command }, type: 'tool_call' }],
  });
const result = (id: string, output: string) =>
  new ToolMessage({ content: output, tool_call_id: id, name: 'run', id: `tool-${id}` });

function openRun() {
  return createLangChainRun({
    runId: 'run-1',
    threadId: undefined,
    task: 'Fix the failing test.',
    taskMessageId: 'task',
    seq: 0,
    messages: [task],
    model: unknownModel,
    clock: createSimulatedClock(),
    open: () => ({}),
  });
}

/** What a controller reads of each message: role and text. */
const shown = (messages: readonly { role: string; content?: string; result?: unknown }[]) =>
  messages.map((message) =>
    message.role === 'tool'
      ? `tool: ${JSON.stringify(message.result)}`
      : `${message.role}: ${message.content}`,
  );

describe('the view of a LangChain run', () => {
  it('converts a growing history once per message and marks the task', () => {
    const run = openRun();
    run.stateMessages = [task, call('1', 'pytest'), result('1', '1 failed')];
    const first = run.view.messages.slice();
    run.stateMessages = [...run.stateMessages, call('2', 'cat app.py'), result('2', 'def app')];
    const second = run.view.messages;

    expect(second.slice(0, 3)).toEqual(first);
    // The same objects: nothing already read was converted again.
    expect(second.slice(0, 3).every((message, index) => message === first[index])).toBe(true);
    expect(second[0]).toEqual({
      role: 'user',
      content: 'Fix the failing test.',
      origin: { kind: 'task' },
    });
    expect(shown(second)).toEqual([
      'user: Fix the failing test.',
      'assistant: Running pytest.',
      'tool: {"status":"ok","output":"1 failed"}',
      'assistant: Running cat app.py.',
      'tool: {"status":"ok","output":"def app"}',
    ]);
  });

  it('shows a message updated in place by its id (a new object at the same index), not the old one', () => {
    const run = openRun();
    run.stateMessages = [task, call('1', 'pytest'), result('1', 'secret token 123')];
    expect(shown(run.view.messages).at(-1)).toBe(
      'tool: {"status":"ok","output":"secret token 123"}',
    );
    // What LangGraph's messages reducer does for a message with an existing id: the same
    // length and the same last message, only the middle one is a new object.
    run.stateMessages = [
      task,
      new AIMessage({
        content: 'Running the tests.',
        id: 'ai-1',
        tool_calls: [{ id: '1', name: 'run', args: { command: 'pytest -q' }, type: 'tool_call' }],
      }),
      result('1', 'redacted'),
    ];
    const messages = run.view.messages;

    expect(shown(messages)).toEqual([
      'user: Fix the failing test.',
      'assistant: Running the tests.',
      'tool: {"status":"ok","output":"redacted"}',
    ]);
    expect(messages[1]).toMatchObject({
      toolCalls: [{ id: '1', name: 'run', arguments: '{"command":"pytest -q"}' }],
    });
  });

  it('shows a replaced middle message even when the last message is the same object', () => {
    const run = openRun();
    const last = result('2', 'def app');
    run.stateMessages = [
      task,
      call('1', 'pytest'),
      result('1', '1 failed'),
      call('2', 'cat'),
      last,
    ];
    run.view.messages;
    run.stateMessages = [
      task,
      call('1', 'pytest'),
      result('1', '[output cleared]'),
      call('2', 'cat'),
      last,
    ];

    expect(shown(run.view.messages)[2]).toBe('tool: {"status":"ok","output":"[output cleared]"}');
  });

  it('follows a compacted history: fewer messages, a summary in their place', () => {
    const run = openRun();
    const kept = result('3', 'ok');
    run.stateMessages = [
      task,
      call('1', 'ls'),
      result('1', 'a b'),
      call('2', 'cat a'),
      result('2', 'x'),
      call('3', 'pytest'),
      kept,
    ];
    expect(run.view.messages).toHaveLength(7);
    const summary = new HumanMessage({ content: 'Summary: listed and read a.', id: 'summary' });
    run.stateMessages = [task, summary, call('3', 'pytest'), kept];

    expect(shown(run.view.messages)).toEqual([
      'user: Fix the failing test.',
      'user: Summary: listed and read a.',
      'assistant: Running pytest.',
      'tool: {"status":"ok","output":"ok"}',
    ]);
  });
});

describe('what the view shows besides the stored history', () => {
  it('shows the messages waiting to be written after the stored ones, with their origin, converted once', () => {
    const run = openRun();
    const update = new HumanMessage({
      content: 'Use the staging database.',
      additional_kwargs: {
        [reinsOriginKey]: { kind: 'interrupt', interruptId: 'i1', interruptKind: 'revision' },
      },
    });
    run.pendingMessages = [update];

    const first = run.view.messages;
    const again = run.view.messages;

    expect(first).toEqual([
      { role: 'user', content: 'Fix the failing test.', origin: { kind: 'task' } },
      {
        role: 'user',
        content: 'Use the staging database.',
        origin: { kind: 'interrupt', interruptId: 'i1', interruptKind: 'revision' },
      },
    ]);
    expect(again[1]).toBe(first[1]);

    // Once written, the pending message is in the stored history and no longer pending.
    run.stateMessages = [task, update];
    run.pendingMessages = [];
    expect(run.view.messages).toHaveLength(2);
    expect(run.view.messages[1]).toBe(first[1]);
  });

  it('shows a new list of waiting messages when the list is replaced', () => {
    const run = openRun();
    run.pendingMessages = [new HumanMessage('First update.')];
    expect(shown(run.view.messages)).toEqual([
      'user: Fix the failing test.',
      'user: First update.',
    ]);

    run.pendingMessages = [new HumanMessage('Second update.')];
    expect(shown(run.view.messages)).toEqual([
      'user: Fix the failing test.',
      'user: Second update.',
    ]);
  });

  it("marks as the task only a user message with the task's text and no origin", () => {
    const run = openRun();
    run.stateMessages = [
      task,
      new AIMessage('Fix the failing test.'),
      new HumanMessage('Also update the changelog.'),
      new HumanMessage({
        content: 'Fix the failing test.',
        additional_kwargs: { [reinsOriginKey]: { kind: 'controller', source: 'reminder' } },
      }),
    ];

    expect(
      run.view.messages.map((message) => ('origin' in message ? message.origin : null)),
    ).toEqual([{ kind: 'task' }, null, null, { kind: 'controller', source: 'reminder' }]);
  });

  it('tells the model it was opened with, and the model noted later', () => {
    const run = openRun();
    expect(run.view.model).toBe(unknownModel);
    const noted = { ...unknownModel, provider: 'openai', modelId: 'gpt-4.1-mini' };
    run.model = noted;
    expect(run.view.model).toBe(noted);
  });
});

describe('taskText', () => {
  it("is a user message's text, and empty without a message or for another role", () => {
    expect(taskText(new HumanMessage('Fix it.'))).toBe('Fix it.');
    expect(taskText(undefined)).toBe('');
    expect(taskText(new AIMessage('Fixed.'))).toBe('');
  });
});

describe('recordToolStats', () => {
  it('counts calls, errors, cancellations and time per tool', () => {
    const run = openRun();
    recordToolStats(run, 'run', 'ok', 120);
    recordToolStats(run, 'run', 'error', 30);
    recordToolStats(run, 'run', 'cancelled', 5);
    recordToolStats(run, 'read', 'ok', 2);

    expect(run.view.toolStats).toEqual({
      run: { calls: 3, errors: 1, cancelled: 1, totalMs: 155 },
      read: { calls: 1, errors: 0, cancelled: 0, totalMs: 2 },
    });
  });
});
