import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import type { Interrupt } from '@reins/core';
import { createSimulatedClock } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { createLangChainRun, reinsOriginKey } from './langchain-run.js';
import { unknownModel } from './model-request-changes.js';
import { type ReinsThreadState, restoreRunState, toThreadState } from './reins-thread-state.js';

function openRun(snapshot?: () => unknown) {
  return createLangChainRun({
    runId: 'run-1',
    threadId: 'thread-1',
    task: 'Fix the failing test.',
    taskMessageId: 'task',
    seq: 0,
    messages: [new HumanMessage({ content: 'Fix the failing test.', id: 'task' })],
    model: unknownModel,
    clock: createSimulatedClock(),
    open: () => (snapshot === undefined ? {} : { snapshot }),
  });
}

/** What a checkpointer gives back: the stored fields as JSON. */
const throughJson = (state: ReinsThreadState): ReinsThreadState =>
  JSON.parse(JSON.stringify(state)) as ReinsThreadState;

describe('the thread state of a run, stored and restored', () => {
  it('brings back the messages waiting to be written, with their role and origin', () => {
    const run = openRun();
    const origin = { kind: 'interrupt', interruptId: 'i1', interruptKind: 'revision' };
    run.pendingMessages = [
      new HumanMessage({
        content: 'Use the staging database.',
        additional_kwargs: { [reinsOriginKey]: origin },
      }),
      new SystemMessage('Answer in French.'),
      new HumanMessage('A plain note.'),
    ];

    const restored = openRun();
    restoreRunState(restored, throughJson(toThreadState(run)));

    expect(
      restored.pendingMessages.map((message) => [
        message.getType(),
        message.content,
        message.additional_kwargs[reinsOriginKey],
      ]),
    ).toEqual([
      ['human', 'Use the staging database.', origin],
      ['system', 'Answer in French.', undefined],
      ['human', 'A plain note.', undefined],
    ]);
    // A message without an origin gets none, not an empty one.
    expect(Object.keys(restored.pendingMessages[2]?.additional_kwargs ?? { missing: 1 })).toEqual(
      [],
    );
  });

  it("brings back the counters, the offered tools and the ending, and stores the controller's snapshot", () => {
    const run = openRun(() => ({ window: [1, 2, 3] }));
    run.seq = 7;
    run.turn = 4;
    run.grantedTurns = 2;
    run.toolStats.run = { calls: 3, errors: 1, cancelled: 0, totalMs: 120 };
    run.controllerToolNames.add('request_extension');
    run.nextSettings = { maxTokens: 256 };
    run.compaction = { from: 1, to: 5, summary: 'Ran the tests twice.' };
    run.ephemeral = [{ role: 'user', content: 'You have 2 turns left.' }];
    run.offeredTools = [
      {
        name: 'request_extension',
        description: 'Asks for turns.',
        inputSchema: { type: 'object' },
      },
    ];
    const update: Interrupt = {
      id: 'i1',
      kind: 'revision',
      text: 'Use the staging database.',
      urgency: 'next-turn',
      receivedAt: 3,
      turn: 4,
    };
    run.pendingInterrupts.push(update);
    run.intentUpdates.push(update);
    run.ending = {
      status: 'stopped',
      reason: 'turn-budget',
      message: 'The turn budget is used up.',
      source: 'turn-budget',
      forceAnswer: true,
    } as never;

    const stored = throughJson(toThreadState(run));
    const restored = openRun();
    restoreRunState(restored, stored);

    expect(stored.controllerState).toEqual({ window: [1, 2, 3] });
    expect(stored.runId).toBe('run-1');
    expect([restored.seq, restored.turn, restored.grantedTurns]).toEqual([7, 4, 2]);
    expect(restored.toolStats).toEqual({
      run: { calls: 3, errors: 1, cancelled: 0, totalMs: 120 },
    });
    expect([...restored.controllerToolNames]).toEqual(['request_extension']);
    expect(restored.nextSettings).toEqual({ maxTokens: 256 });
    expect(restored.compaction).toEqual({ from: 1, to: 5, summary: 'Ran the tests twice.' });
    expect(restored.ephemeral).toEqual([{ role: 'user', content: 'You have 2 turns left.' }]);
    expect(restored.offeredTools.map((tool) => tool.name)).toEqual(['request_extension']);
    expect(restored.pendingInterrupts).toEqual([update]);
    expect(restored.intentUpdates).toEqual([update]);
    expect(restored.ending).toEqual(run.ending);
  });

  it('is frozen, and shares nothing that the run changes later', () => {
    const run = openRun();
    const update = (id: string): Interrupt => ({
      id,
      kind: 'addition',
      text: 'Also the docs.',
      urgency: 'next-turn',
      receivedAt: 0,
      turn: 1,
    });
    run.pendingInterrupts.push(update('i2'));
    const stored = toThreadState(run);

    run.pendingInterrupts.push(update('i3'));
    run.toolStats.run = { calls: 1, errors: 0, cancelled: 0, totalMs: 5 };

    expect(Object.isFrozen(stored)).toBe(true);
    expect(stored.pendingInterrupts.map((entry) => entry.id)).toEqual(['i2']);
    expect(stored.toolStats).toEqual({});
  });
});
