import { type Directive, type Interrupt, InvalidOptionsError, type RunView } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { thrownAs } from '../../../scripts/thrown-by.js';
import { createView } from '../test/replay.js';
import {
  createInterruptionPolicy,
  defaultInterruptionTemplates,
  type InterruptionPolicyOptions,
} from './interruption-policy.js';

function update(kind: Interrupt['kind'], text: string, extra: Partial<Interrupt> = {}): Interrupt {
  return {
    id: `${kind}:${text}`,
    kind,
    text,
    urgency: 'next-turn',
    receivedAt: 0,
    turn: 3,
    ...extra,
  };
}

/** The view at a decision point: `earlier` updates applied before, then `now` (as the loop does). */
function viewWith(earlier: readonly Interrupt[], now: readonly Interrupt[]): RunView {
  return {
    ...createView({ task: 'Fix the parser.' }),
    turn: 3,
    intentUpdates: [...earlier, ...now],
  };
}

/** The directives the policy returns for the updates `now`. */
function decide(
  now: readonly Interrupt[],
  options: InterruptionPolicyOptions = {},
  earlier: readonly Interrupt[] = [],
): Directive[] {
  const policy = createInterruptionPolicy(options);
  return [...(policy.onInterrupts?.(viewWith(earlier, now), now) ?? [])];
}

const ofType = <T extends Directive['type']>(directives: readonly Directive[], type: T) =>
  directives.filter(
    (directive): directive is Extract<Directive, { type: T }> => directive.type === type,
  );

describe('createInterruptionPolicy options', () => {
  it.each(['perRevision', 'perAddition', 'maxTotal'] as const)(
    'refuses a negative grantTurns.%s, naming it',
    (field) => {
      const error = thrownAs(InvalidOptionsError, () =>
        createInterruptionPolicy({ grantTurns: { [field]: -1 } }),
      );
      expect(error.field).toBe(`grantTurns.${field}`);
      expect(error.message).toBe(
        `grantTurns.${field} is -1; use a whole number of turns, 0 or more.`,
      );
    },
  );

  it('refuses a forced answer of less than one token, and takes one', () => {
    const error = thrownAs(InvalidOptionsError, () =>
      createInterruptionPolicy({ answerMaxTokens: 0.5 }),
    );
    expect(error.field).toBe('answerMaxTokens');
    expect(error.message).toContain('answerMaxTokens is 0.5');
    expect(() => createInterruptionPolicy({ answerMaxTokens: 1 })).not.toThrow();
  });
});

describe('createInterruptionPolicy: the directives of each update', () => {
  it('merges one update into a user message: header, the line, the intent restated', () => {
    const directives = decide([update('addition', '  Also handle time zones.  ')]);
    expect(directives[0]).toEqual({
      type: 'inject',
      role: 'user',
      content: expect.stringMatching(/^Update from the user/),
      ephemeral: false,
      source: 'interruptions',
    });
    const content = (directives[0] as Extract<Directive, { type: 'inject' }>).content as string;
    expect(
      content.startsWith(
        `${defaultInterruptionTemplates.header}\n\nNew requirement, in addition to everything asked so far: Also handle time zones.\n\nThe task as it now stands:\n`,
      ),
    ).toBe(true);
    expect(directives[1]).toEqual({
      type: 'emit',
      event: {
        name: 'intent.updated',
        policy: 'interruptions',
        message: '1 update(s) applied; the task is active.',
        evidence: {
          turn: 3,
          applied: 1,
          updates: 1,
          additions: 1,
          revisions: 0,
          retractions: 0,
          status: 'active',
        },
      },
    });
    expect(directives).toHaveLength(2);
  });

  it('numbers several updates, leaves out the restatement when asked, and skips empty texts', () => {
    const [inject, ...rest] = decide(
      [
        update('revision', 'Dates are ISO.'),
        update('addition', '   '),
        update('retraction', 'No CLI.'),
      ],
      { restateIntent: false, name: 'mine' },
    );
    expect(inject).toMatchObject({
      type: 'inject',
      content: `${defaultInterruptionTemplates.header}\n\n1. ${defaultInterruptionTemplates.revision.replace('{text}', 'Dates are ISO.')}\n2. ${defaultInterruptionTemplates.retraction.replace('{text}', 'No CLI.')}`,
      source: 'mine',
    });
    expect(rest).toEqual([
      expect.objectContaining({
        type: 'emit',
        event: expect.objectContaining({
          policy: 'mine',
          message: '3 update(s) applied; the task is active.',
        }),
      }),
    ]);
    // an update with no words adds no message at all
    expect(ofType(decide([update('addition', '')]), 'inject')).toEqual([]);
  });

  it('stops on `stop` with the user’s words and a forced answer, capped as configured', () => {
    const stopOf = (interrupt: Interrupt, options: InterruptionPolicyOptions = {}) =>
      ofType(decide([interrupt], options), 'stop')[0];
    // strictly: no `answerMaxTokens` key at all when nothing caps the answer
    expect(stopOf(update('stop', ' Enough. '))).toStrictEqual({
      type: 'stop',
      reason: 'user-stop',
      message: 'The user asked you to stop now: Enough.',
      source: 'interruptions',
      finalAnswer: 'force',
    });
    expect(stopOf(update('stop', ''))).toMatchObject({
      message: 'The user asked you to stop now.',
    });
    expect(stopOf(update('stop', ''), { answerMaxTokens: 100 })).toMatchObject({
      answerMaxTokens: 100,
    });
    expect(
      stopOf(update('stop', '', { answerMaxTokens: 50 }), { answerMaxTokens: 100 }),
    ).toMatchObject({ answerMaxTokens: 50 });
    const unforced = stopOf(update('stop', ''), { forceAnswerOnStop: false, answerMaxTokens: 100 });
    expect(unforced).not.toHaveProperty('finalAnswer');
    expect(unforced).not.toHaveProperty('answerMaxTokens');
  });

  it('answers now with the user’s words as the message, or a default one', () => {
    const answerOf = (text: string) => ofType(decide([update('answer-now', text)]), 'stop')[0];
    expect(answerOf('')).toEqual({
      type: 'stop',
      reason: 'user-answer-now',
      message: 'The user asked for the answer now.',
      finalAnswer: 'force',
      answerMaxTokens: 512,
      source: 'interruptions',
    });
    expect(answerOf('Give me what you have.')).toMatchObject({ message: 'Give me what you have.' });
  });

  it('cancels on a retraction of the whole task, with the reason or “no reason given”', () => {
    const cancelOf = (text: string) =>
      ofType(decide([update('retraction', text, { scope: 'task' })]), 'cancel')[0];
    expect(cancelOf('')).toEqual({
      type: 'cancel',
      reason:
        'The user dropped the task: no reason given. The work done so far is kept in the run history as partial results.',
      source: 'interruptions',
    });
    expect(cancelOf('Not needed any more')?.reason).toMatch(
      /^The user dropped the task: Not needed any more\. /,
    );
  });
});

describe('createInterruptionPolicy: turns granted for changes', () => {
  const grantTurns = { perAddition: 2, perRevision: 3, maxTotal: 6 };

  it('grants the turns of the updates applied now, within the run’s total', () => {
    const addition = update('addition', 'Handle time zones.');
    const revision = update('revision', 'ISO dates.');
    const first = decide([revision], { grantTurns }, [addition]);
    const evidence = { turn: 3, grantedNow: 3, grantedByUpdates: 5 };
    expect(ofType(first, 'grant-turns')).toEqual([
      {
        type: 'grant-turns',
        turns: 3,
        reason: 'The user changed the task.',
        source: 'interruptions',
        evidence,
      },
    ]);
    expect(ofType(first, 'emit')[0]).toEqual({
      type: 'emit',
      event: {
        name: 'budget.extended',
        policy: 'interruptions',
        message: "Granted 3 more turns for the user's update.",
        evidence,
      },
    });
    // 2 + 3 before, 2 more asked: 6 at most, so 1
    const second = decide([update('addition', 'And leap years.')], { grantTurns }, [
      addition,
      revision,
    ]);
    expect(ofType(second, 'grant-turns')[0]).toMatchObject({
      turns: 1,
      evidence: { grantedNow: 1, grantedByUpdates: 6 },
    });
  });

  it('grants nothing for a retraction, past the total, without a setting, or when the run ends', () => {
    expect(
      ofType(decide([update('retraction', 'No CLI.')], { grantTurns }), 'grant-turns'),
    ).toEqual([]);
    expect(
      ofType(
        decide([update('addition', 'More.')], { grantTurns: { perRevision: 3 } }),
        'grant-turns',
      ),
    ).toEqual([]);
    const full = Array.from({ length: 3 }, (_, index) => update('addition', `A${index}`));
    expect(
      ofType(decide([update('addition', 'More.')], { grantTurns }, full), 'grant-turns'),
    ).toEqual([]);
    const ending = decide([update('revision', 'ISO dates.'), update('stop', '')], { grantTurns });
    expect(ofType(ending, 'grant-turns')).toEqual([]);
    expect(ofType(ending, 'stop')).toHaveLength(1);
  });

  it('decides one update alone as it decides a batch of one', () => {
    const policy = createInterruptionPolicy({ grantTurns });
    const revision = update('revision', 'ISO dates.');
    const view = viewWith([], [revision]);
    expect(policy.onInterrupt?.(view, revision)).toEqual(policy.onInterrupts?.(view, [revision]));
    expect(policy.onInterrupt?.(view, revision)).toHaveLength(4);
  });
});
