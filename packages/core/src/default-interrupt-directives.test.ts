import { describe, expect, it } from 'vitest';
import { defaultInterruptDirectives } from './default-interrupt-directives.js';
import { type Interrupt, interruptSchema } from './interrupt.js';

/** An interruption as the run records it. */
const interrupt = (input: Partial<Interrupt> & Pick<Interrupt, 'kind'>): Interrupt =>
  interruptSchema.parse({ id: 'i1', receivedAt: 0, turn: 1, ...input });

describe('defaultInterruptDirectives', () => {
  it('stops on a stop, in its words or the default ones, forcing an answer only under a cap', () => {
    expect(defaultInterruptDirectives(interrupt({ kind: 'stop', text: 'Halt.' }))).toEqual([
      { type: 'stop', reason: 'user-stop', message: 'Halt.', source: 'loop' },
    ]);
    expect(defaultInterruptDirectives(interrupt({ kind: 'stop' }))).toEqual([
      { type: 'stop', reason: 'user-stop', message: 'Stopped by the user.', source: 'loop' },
    ]);
    expect(defaultInterruptDirectives(interrupt({ kind: 'stop', answerMaxTokens: 20 }))).toEqual([
      {
        type: 'stop',
        reason: 'user-stop',
        message: 'Stopped by the user.',
        source: 'loop',
        finalAnswer: 'force',
        answerMaxTokens: 20,
      },
    ]);
  });

  it('forces an answer on answer-now, capped by default', () => {
    expect(defaultInterruptDirectives(interrupt({ kind: 'answer-now' }))).toEqual([
      {
        type: 'stop',
        reason: 'user-answer-now',
        message: 'The user asked for the answer now.',
        finalAnswer: 'force',
        answerMaxTokens: 512,
        source: 'loop',
      },
    ]);
    expect(
      defaultInterruptDirectives(
        interrupt({ kind: 'answer-now', text: 'Now!', answerMaxTokens: 9 }),
      ),
    ).toMatchObject([{ message: 'Now!', answerMaxTokens: 9 }]);
  });

  it('cancels on a retraction of the whole task, and passes other updates on to the model', () => {
    expect(defaultInterruptDirectives(interrupt({ kind: 'retraction', scope: 'task' }))).toEqual([
      { type: 'cancel', reason: 'The user dropped the task.', source: 'loop' },
    ]);
    expect(
      defaultInterruptDirectives(
        interrupt({ kind: 'retraction', scope: 'task', text: 'Never mind.' }),
      ),
    ).toEqual([{ type: 'cancel', reason: 'Never mind.', source: 'loop' }]);
    for (const kind of ['addition', 'revision', 'retraction'] as const)
      expect(defaultInterruptDirectives(interrupt({ kind, text: 'Use tabs.' }))).toEqual([
        { type: 'inject', role: 'user', content: 'Use tabs.', ephemeral: false, source: 'loop' },
      ]);
  });
});
