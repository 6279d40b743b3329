import type { Interrupt, Message, RunView } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView } from '../test/replay.js';
import { createCompaction, type SummariseInput } from './compaction.js';

const system: Message = { role: 'system', content: 'You are careful.' };
const task: Message = { role: 'user', content: 'Fix the bug.', origin: { kind: 'task' } };

/** One turn: an assistant message calling `step <index>`, then its result. */
const turn = (index: number): Message[] => [
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ id: `c${index}`, name: 'step', arguments: `${index}` }],
  },
  {
    role: 'tool',
    toolCallId: `c${index}`,
    toolName: 'step',
    result: { status: 'ok', output: `r${index}` },
  },
];

const turns = (count: number): Message[] =>
  Array.from({ length: count }, (_, index) => turn(index + 1)).flat();

const viewOf = (messages: Message[], intentUpdates: Interrupt[] = []): RunView => ({
  ...createView(),
  messages,
  intentUpdates,
});

/** A summariser that records what it was given. */
const recording = () => {
  const inputs: SummariseInput[] = [];
  const summarise = (input: SummariseInput) => {
    inputs.push(input);
    return `summary of ${input.messages.length}`;
  };
  return { inputs, summarise };
};

describe('createCompaction', () => {
  it('replaces everything between the task and the last four turns by default', () => {
    // system, task, then 6 turns of 2 messages: indexes 2…13; the last 4 turns start at 6.
    const messages = [system, task, ...turns(6)];
    const directive = createCompaction().compact(viewOf(messages), 'stuck');
    expect(directive).toEqual({
      type: 'compact',
      from: 2,
      to: 6,
      summary:
        'Summary of 2 earlier turns (compacted to save context). Current intent:\nFix the bug.\n\nWhat was done:\n- step 1\n  → ok: r1\n- step 2\n  → ok: r2',
      source: 'stuck',
    });
  });

  it('gives the summariser exactly the replaced messages, the current intent and their start', () => {
    const { inputs, summarise } = recording();
    const messages = [system, task, ...turns(5)];
    const update: Interrupt = {
      id: 'i1',
      kind: 'revision',
      text: 'Only the OAuth flow.',
      urgency: 'next-turn',
      receivedAt: 0,
      turn: 2,
    };
    // Keep 2 turns: they start at index 2 + 3 · 2 = 8.
    const directive = createCompaction({ keepLastTurns: 2, summarise }).compact(
      viewOf(messages, [update]),
      'drift',
    );
    expect(directive).toEqual({
      type: 'compact',
      from: 2,
      to: 8,
      summary: 'summary of 6',
      source: 'drift',
    });
    expect(inputs).toEqual([
      {
        messages: messages.slice(2, 8),
        intent: 'Fix the bug.\n\nUpdates since:\n1. (revision) Only the OAuth flow.',
        from: 2,
      },
    ]);
  });

  it('skips every leading system message and then the task only when it is a user message', () => {
    const { inputs, summarise } = recording();
    const compaction = createCompaction({ keepLastTurns: 1, summarise });
    // Two system messages, the task, 3 turns (indexes 3…8); the last turn starts at 7.
    expect(compaction.compact(viewOf([system, system, task, ...turns(3)]), 's')).toMatchObject({
      from: 3,
      to: 7,
    });
    // No task message: the replaced part starts right after the system message.
    expect(compaction.compact(viewOf([system, ...turns(3)]), 's')).toMatchObject({
      from: 1,
      to: 5,
    });
    // No system message either.
    expect(compaction.compact(viewOf(turns(3)), 's')).toMatchObject({ from: 0, to: 4 });
    // Only the first user message is the task: a later one is replaced with the turns.
    const update: Message = { role: 'user', content: 'Also the logout.' };
    expect(compaction.compact(viewOf([task, update, ...turns(2)]), 's')).toMatchObject({
      from: 1,
      to: 4,
    });
    expect(inputs.map((input) => input.from)).toEqual([3, 1, 0, 1]);
  });

  it('has nothing to compact in a history of system messages only, or in no history', () => {
    const compaction = createCompaction({ keepLastTurns: 1 });
    expect(compaction.compact(viewOf([system, system]), 's')).toBeUndefined();
    expect(compaction.compact(viewOf([]), 's')).toBeUndefined();
    expect(compaction.compact(viewOf([system, task]), 's')).toBeUndefined();
  });

  it('has nothing to compact with fewer turns than it keeps, however long they are', () => {
    const { inputs, summarise } = recording();
    const compaction = createCompaction({ keepLastTurns: 3, summarise });
    const long: Message[] = [
      { role: 'user', content: 'a' },
      { role: 'user', content: 'b' },
      { role: 'user', content: 'c' },
    ];
    // Two turns after three user updates: 7 messages after the task, but only 2 turns.
    expect(compaction.compact(viewOf([system, task, ...long, ...turns(2)]), 's')).toBeUndefined();
    // Three turns: the three updates before them are replaced.
    expect(compaction.compact(viewOf([system, task, ...long, ...turns(3)]), 's')).toMatchObject({
      from: 2,
      to: 5,
    });
    expect(inputs).toHaveLength(1);
  });

  it('compacts two messages or more, and never fewer', () => {
    const compaction = createCompaction({ keepLastTurns: 1 });
    const update = (content: string): Message => ({ role: 'user', content });
    // to − from = 0: the kept turn follows the task.
    expect(compaction.compact(viewOf([system, task, ...turns(1)]), 's')).toBeUndefined();
    // to − from = 1: one update before the kept turn.
    expect(
      compaction.compact(viewOf([system, task, update('a'), ...turns(1)]), 's'),
    ).toBeUndefined();
    // to − from = 2: two updates before the kept turn.
    expect(
      compaction.compact(viewOf([system, task, update('a'), update('b'), ...turns(1)]), 's'),
    ).toEqual({
      type: 'compact',
      from: 2,
      to: 4,
      summary:
        'Summary of 0 earlier turns (compacted to save context). Current intent:\nFix the bug.\n\nWhat was done:\n- user: a\n- user: b',
      source: 's',
    });
  });

  it('keeps at least one turn whatever keepLastTurns says', () => {
    for (const keepLastTurns of [0, -3]) {
      // 3 turns after the task: the last one, at 6, is kept.
      expect(
        createCompaction({ keepLastTurns }).compact(viewOf([system, task, ...turns(3)]), 's'),
      ).toMatchObject({ from: 2, to: 6 });
    }
  });

  it('starts the kept part at an assistant message, never at a tool result', () => {
    // A turn with two tool results: the kept part starts at its assistant message (index 6).
    const twoResults: Message[] = [
      {
        role: 'assistant',
        content: '',
        toolCalls: [
          { id: 'a', name: 'step', arguments: 'a' },
          { id: 'b', name: 'step', arguments: 'b' },
        ],
      },
      { role: 'tool', toolCallId: 'a', toolName: 'step', result: { status: 'ok', output: 'ra' } },
      { role: 'tool', toolCallId: 'b', toolName: 'step', result: { status: 'ok', output: 'rb' } },
    ];
    expect(
      createCompaction({ keepLastTurns: 1 }).compact(
        viewOf([system, task, ...turns(2), ...twoResults]),
        's',
      ),
    ).toMatchObject({ from: 2, to: 6 });
  });
});
