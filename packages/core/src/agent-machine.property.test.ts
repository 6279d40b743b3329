import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from './agent-event.js';
import { createAgent } from './create-agent.js';
import type { InterruptInput } from './interrupt.js';
import type { Message, ToolMessage } from './message.js';
import type { RunResult } from './run-result.js';
import { createScriptedBackend } from './testing/scripted-backend.js';
import { defineTool } from './tool.js';

/** When the second half of a pause-then-resume is sent, after the first. */
type Gap = 'same-tick' | 'microtask' | 'macrotask' | 'timer';

type Action =
  | { readonly at: number; readonly op: 'interrupt'; readonly input: InterruptInput }
  | { readonly at: number; readonly op: 'pause' | 'resume' | 'abort' }
  | { readonly at: number; readonly op: 'pause-resume'; readonly gap: Gap };

const interruptArbitrary = fc.record({
  kind: fc.constantFrom('addition', 'revision', 'retraction', 'stop', 'answer-now') as fc.Arbitrary<
    InterruptInput['kind']
  >,
  text: fc.constantFrom('also do X', 'use Y instead', 'drop Z'),
  urgency: fc.constantFrom('next-turn', 'now') as fc.Arbitrary<'next-turn' | 'now'>,
  scope: fc.constantFrom('requirement', 'task') as fc.Arbitrary<'requirement' | 'task'>,
});

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ at: fc.nat(60), op: fc.constant('interrupt' as const), input: interruptArbitrary }),
  fc.record({
    at: fc.nat(60),
    op: fc.constantFrom('pause' as const, 'resume' as const, 'abort' as const),
  }),
  fc.record({
    at: fc.nat(60),
    op: fc.constant('pause-resume' as const),
    gap: fc.constantFrom<Gap>('same-tick', 'microtask', 'macrotask', 'timer'),
  }),
);

/** Runs `then` after `gap`. */
function after(gap: Gap, then: () => void): void {
  if (gap === 'same-tick') then();
  else if (gap === 'microtask') queueMicrotask(then);
  else if (gap === 'macrotask') setImmediate(then);
  else setTimeout(then, 1);
}

const work = defineTool({
  name: 'work',
  description: 'Does a little asynchronous work; sometimes ignores its signal.',
  input: z.object({ ms: z.number(), stubborn: z.boolean() }),
  execute: ({ ms, stubborn }, { signal }) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => resolve(`worked ${ms}`), ms);
      if (!stubborn) {
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }
    }),
});

function backend() {
  return createScriptedBackend({
    chunkSize: 6,
    responses: [0, 1, 2, 3]
      .map((turn) => ({
        text: `Working on step ${turn} of the plan now.`,
        toolCalls: [
          { name: 'work', arguments: { ms: 1 + turn, stubborn: turn % 2 === 0 } },
          { name: 'work', arguments: { ms: 2, stubborn: false } },
        ],
      }))
      .concat([{ text: 'All steps are done.', toolCalls: [] }]),
  });
}

function expectConsistentHistory(messages: readonly Message[]): void {
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (message?.role === 'tool') {
      // A tool message follows its assistant message or another tool message.
      expect(['assistant', 'tool']).toContain(messages[index - 1]?.role);
    }
    if (message?.role !== 'assistant') continue;
    const answered: string[] = [];
    for (let next = index + 1; messages[next]?.role === 'tool'; next++)
      answered.push((messages[next] as ToolMessage).toolCallId);
    expect(answered).toEqual(message.toolCalls.map((call) => call.id));
  }
}

async function runWithActions(
  actions: readonly Action[],
): Promise<{ result: RunResult; events: AgentEvent[]; aborted: boolean }> {
  const handle = createAgent({ backend: backend(), tools: [work] }).run('Do the plan.');
  const events: AgentEvent[] = [];
  const pending = [...actions].sort((a, b) => a.at - b.at);
  let aborted = false;
  // The caller's intent: whether the last pause or resume it sent was a pause, and how many
  // resumes it has still to send. A run left paused while the caller wants it running never ends.
  let wantsPause = false;
  let resumesOnTheWay = 0;
  const ended = () => events.some((event) => event.type === 'run.end');
  const apply = (action: Action) => {
    if (action.op === 'pause-resume') {
      handle.pause();
      wantsPause = true;
      resumesOnTheWay += 1;
      after(action.gap, () => {
        resumesOnTheWay -= 1;
        wantsPause = false;
        handle.resume();
      });
    } else if (action.op === 'interrupt') {
      // An abort applied from the same event may have ended the run already: interrupting an
      // ended run throws by design.
      if (!['done', 'stopped', 'failed', 'cancelled'].includes(handle.phase))
        handle.interrupt(action.input);
    } else if (action.op === 'pause') {
      wantsPause = true;
      handle.pause();
    } else if (action.op === 'resume') {
      wantsPause = false;
      handle.resume();
    } else {
      // An abort that arrives after a stop or cancel was decided does not change the ending.
      aborted ||= !events.some(
        (event) =>
          event.type === 'directive.applied' &&
          (event.directive.type === 'stop' || event.directive.type === 'cancel'),
      );
      handle.abort();
    }
  };
  handle.on('*', (event) => {
    events.push(event);
    while (pending.length > 0 && (pending[0] as Action).at <= events.length && !ended())
      apply(pending.shift() as Action);
    if (event.type === 'run.pause') {
      // A paused run emits nothing more: apply the next actions up to a resume; with none
      // left, a caller who still wants the pause ends it. One who sent a resume already does
      // nothing more: the run must not have stayed paused.
      setImmediate(() => {
        while (pending.length > 0 && handle.phase === 'paused') {
          const action = pending.shift() as Action;
          apply(action);
          if (action.op === 'resume' || action.op === 'abort' || action.op === 'pause-resume')
            return;
        }
        if (handle.phase === 'paused' && wantsPause && resumesOnTheWay === 0) {
          wantsPause = false;
          handle.resume();
        }
      });
    }
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      handle.abort();
      reject(
        new Error(
          `The run did not end; phase ${handle.phase}; last events: ${events
            .slice(-5)
            .map((event) => event.type)
            .join(', ')}`,
        ),
      );
    }, 3_000);
  });
  const result = await Promise.race([handle.result, hung]).finally(() => clearTimeout(timer));
  return { result, events, aborted };
}

describe('agent machine under random controls', () => {
  it('ends in exactly one final state with a consistent history, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArbitrary, { maxLength: 8 }), async (actions) => {
        const { result, events, aborted } = await runWithActions(actions);

        expect(['done', 'stopped', 'failed', 'cancelled']).toContain(result.status);
        expect(events.filter((event) => event.type === 'run.end')).toHaveLength(1);
        expect(events.at(-1)?.type).toBe('run.end');
        expect(events[0]?.type).toBe('run.start');
        // An abort sent from a listener is processed after the transition under way; if that
        // transition decided a stop or cancel first, the abort finds the run ended.
        const endingDecided = events.some(
          (event) =>
            event.type === 'directive.applied' &&
            (event.directive.type === 'stop' || event.directive.type === 'cancel'),
        );
        if (aborted && !endingDecided)
          expect(result).toMatchObject({ status: 'cancelled', reason: 'aborted' });
        expect(result.status).not.toBe('failed');
        expectConsistentHistory(result.messages);

        // Every tool call got exactly one tool.end, and every tool.end is in history.
        const ends = events.flatMap((event) => (event.type === 'tool.end' ? [event.call.id] : []));
        expect(new Set(ends).size).toBe(ends.length);
        const stored = result.messages.flatMap((message) =>
          message.role === 'tool' ? [message.toolCallId] : [],
        );
        expect(stored.sort()).toEqual([...ends].sort());

        // Interrupts are applied in the order they arrived.
        const received = events.flatMap((event) =>
          event.type === 'interrupt.received' ? [event.interrupt.id] : [],
        );
        const applied = events.flatMap((event) =>
          event.type === 'interrupt.applied' ? [event.interrupt.id] : [],
        );
        expect(received.slice(0, applied.length)).toEqual(applied);

        // A stop or answer-now applied ends the run as stopped; a task retraction as cancelled.
        const firstEnding = events.find(
          (event) =>
            event.type === 'interrupt.applied' &&
            (event.interrupt.kind === 'stop' ||
              event.interrupt.kind === 'answer-now' ||
              (event.interrupt.kind === 'retraction' && event.interrupt.scope === 'task')),
        );
        if (firstEnding?.type === 'interrupt.applied' && !aborted) {
          expect(result.status).toBe(
            firstEnding.interrupt.kind === 'retraction' ? 'cancelled' : 'stopped',
          );
        }
      }),
      { numRuns: 150, interruptAfterTimeLimit: 25_000 },
    );
  });
});
