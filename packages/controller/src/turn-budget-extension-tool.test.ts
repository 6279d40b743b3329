/**
 * The turn budget's `request_extension` tool: when it is offered, how a request is read, and how
 * it is granted or refused on the evidence of progress over the last turns (by default: granted
 * when at least 60% of the window's turns are distinct actions and not every turn failed or went
 * without action; capped by `maxTurnsPerRequest` and by the room `maxTotal` leaves).
 */
import { describe, expect, it } from 'vitest';
import { numbered, replay } from '../test/replay.js';
import type { ProgressEvidence, TurnBudgetOptions } from './turn-budget.js';
import { createTurnBudget } from './turn-budget.js';
import type { TurnAction, TurnObservation, TurnRecord } from './turn-record.js';

interface Call {
  readonly action: TurnAction;
  readonly observation: TurnObservation;
}

/** A shell command whose result is `status`. */
const run = (command: string, status: 'ok' | 'error' = 'ok'): Call => ({
  action: { name: 'bash', arguments: JSON.stringify({ command }) },
  observation: { name: 'bash', status, text: status === 'ok' ? 'fine' : 'error: boom' },
});

/** A call of the extension tool with these arguments (a string is sent as it is). */
const ask = (args: string | Record<string, unknown>): Call => ({
  action: {
    name: 'request_extension',
    arguments: typeof args === 'string' ? args : JSON.stringify(args),
  },
  observation: { name: 'request_extension', status: 'ok', text: 'unanswered' },
});

/** One turn per array of calls (an empty array is a turn without action), numbered from 1. */
const script = (...turns: (readonly Call[])[]): TurnRecord[] =>
  numbered(
    turns.map((calls) => ({
      text: calls.length === 0 ? 'Let me think.' : 'Working.',
      actions: calls.map((call) => call.action),
      observations: calls.map((call) => call.observation),
    })),
  );

/** The directives of the beforeTool hook, as `[turn, directive]`. */
const toolSteps = (result: ReturnType<typeof replay>) =>
  result.steps
    .filter((step) => step.hook === 'beforeTool')
    .map((step) => [step.turn, step.directive] as const);

/** What the budget answered to the last request of the script. */
function lastAnswer(options: TurnBudgetOptions, records: readonly TurnRecord[]): string {
  const answers = replay(createTurnBudget(options), records).steps.flatMap((step) =>
    step.directive.type === 'resolve' ? [step.directive.output] : [],
  );
  return answers.at(-1) ?? 'no answer';
}

const noProgress =
  'Refused: the last turns show no progress (repeated actions, failures or no actions).';

describe('the request_extension tool', () => {
  it('is offered with its schema before each call while maxTotal leaves room, and no longer once it does not', () => {
    const budget = createTurnBudget({
      mode: 'fixed',
      limit: 3,
      maxTotal: 5,
      reminder: false,
      extensionTool: { maxTurnsPerRequest: 4 },
    });
    // Call 2 asks for 2 turns after two distinct actions: granted, 3 + 2 = 5 = maxTotal.
    const records = script(
      [run('ls')],
      [run('cat a.py'), ask({ turns: 2, reason: 'Nearly there.' })],
      [run('pytest')],
      [run('git diff')],
      [run('pytest -x')],
      [run('echo')],
    );
    const result = replay(budget, records);
    const offer = {
      type: 'offer-tools',
      source: 'turn-budget',
      tools: [
        {
          name: 'request_extension',
          description:
            'Ask for more turns when you are making progress but need more to finish. Say how many turns and why. Granted only when your recent turns show progress.',
          inputSchema: {
            type: 'object',
            properties: {
              turns: { type: 'integer', minimum: 1, maximum: 4 },
              reason: { type: 'string' },
            },
            required: ['turns', 'reason'],
            additionalProperties: false,
          },
        },
      ],
    };
    expect(
      result.steps.filter((step) => step.directive.type === 'offer-tools').map((step) => step.turn),
    ).toEqual([0, 1]);
    expect(result.steps[0]?.directive).toEqual(offer);
    expect(result.stoppedAt).toBe(5);
  });

  it('is neither offered nor answered when the budget has none', () => {
    for (const extensionTool of [false, undefined] as const) {
      const budget = createTurnBudget({
        mode: 'fixed',
        limit: 4,
        reminder: false,
        ...(extensionTool === undefined ? {} : { extensionTool }),
      });
      const result = replay(
        budget,
        script([run('ls')], [run('cat a.py'), ask({ turns: 2, reason: 'More.' })], [run('pytest')]),
      );
      expect(result.steps).toEqual([]);
      // The call is left to the agent's own tools, which answered it.
      expect(result.view.messages.at(-3)).toMatchObject({
        role: 'tool',
        toolName: 'request_extension',
        result: { status: 'ok', output: 'unanswered' },
      });
    }
  });

  it('grants at most the room maxTotal leaves, then refuses because the maximum is reached', () => {
    const budget = createTurnBudget({
      mode: 'fixed',
      limit: 4,
      maxTotal: 6,
      reminder: false,
      extensionTool: {},
    });
    const records = script(
      [run('ls')],
      [run('cat a.py')],
      [run('pytest'), ask({ turns: 5, reason: 'Tests almost pass.' })],
      [run('git diff'), ask({ turns: 3, reason: 'More.' })],
      [run('pytest -x')],
      [run('echo')],
      [run('ls -l')],
    );
    const result = replay(budget, records);
    // Call 3 asks for 5: room 6 − 4 = 2, so 2 granted; 4 + 2 − 3 = 3 turns left.
    const granted = 'Granted 2 more turns. You now have 3 turns left.';
    const grantFacts = {
      turn: 3,
      allowedTurns: 6,
      turnsLeft: 3,
      granted: 2,
      maxTotal: 6,
      grantedNow: 2,
    };
    // Call 4 asks again: room 6 − 4 − 2 = 0; 6 − 4 = 2 turns left.
    const refused =
      'Refused: the maximum of 6 turns is reached. Finish with what you have within the 2 turns left.';
    expect(toolSteps(result)).toEqual([
      [3, { type: 'resolve', output: granted, source: 'turn-budget' }],
      [
        3,
        {
          type: 'grant-turns',
          turns: 2,
          reason: 'Tests almost pass.',
          source: 'turn-budget',
          evidence: grantFacts,
        },
      ],
      [
        3,
        {
          type: 'emit',
          event: {
            name: 'budget.extended',
            policy: 'turn-budget',
            message: granted,
            evidence: grantFacts,
          },
        },
      ],
      [4, { type: 'resolve', output: refused, source: 'turn-budget' }],
      [
        4,
        {
          type: 'emit',
          event: {
            name: 'budget.refused',
            policy: 'turn-budget',
            message: refused,
            evidence: {
              turn: 4,
              allowedTurns: 6,
              turnsLeft: 2,
              granted: 2,
              maxTotal: 6,
              // ls, cat a.py, pytest, git diff: four distinct actions in four turns.
              window: 4,
              distinctActions: 4,
              failedTurns: 0,
              turnsWithoutAction: 0,
              requested: 3,
              reason: 'More.',
            },
          },
        },
      ],
    ]);
    expect(result.stoppedAt).toBe(6);
  });

  it('refuses a request made while repeating one action, keeping 200 characters of the reason', () => {
    const budget = createTurnBudget({
      mode: 'fixed',
      limit: 5,
      maxTotal: 10,
      reminder: false,
      extensionTool: {},
    });
    const reason = `Almost. ${'x'.repeat(250)}`;
    const result = replay(
      budget,
      script([run('pytest')], [run('pytest')], [run('pytest'), ask({ turns: 2, reason })]),
    );
    // One distinct action in three turns: 1/3 < 60%. 5 − 3 = 2 turns left.
    const output = `${noProgress} Finish with what you have within the 2 turns left.`;
    expect(toolSteps(result)).toEqual([
      [3, { type: 'resolve', output, source: 'turn-budget' }],
      [
        3,
        {
          type: 'emit',
          event: {
            name: 'budget.refused',
            policy: 'turn-budget',
            message: output,
            evidence: {
              turn: 3,
              allowedTurns: 5,
              turnsLeft: 2,
              granted: 0,
              maxTotal: 10,
              window: 3,
              distinctActions: 1,
              failedTurns: 0,
              turnsWithoutAction: 0,
              requested: 2,
              reason: reason.slice(0, 200),
            },
          },
        },
      ],
    ]);
  });

  describe('decides by default on the last five turns', () => {
    const options: TurnBudgetOptions = {
      mode: 'fixed',
      limit: 10,
      maxTotal: 30,
      reminder: false,
      extensionTool: {},
    };
    // After 5 calls of a 10-turn budget, granting 2 leaves 10 + 2 − 5 = 7.
    const granted = 'Granted 2 more turns. You now have 7 turns left.';
    const refused = `${noProgress} Finish with what you have within the 5 turns left.`;
    const please = ask({ turns: 2, reason: 'Please.' });

    it('grants when exactly 60% of the turns are distinct actions (3 of 5)', () => {
      const records = script([run('a')], [run('b')], [run('c')], [run('a')], [run('b'), please]);
      expect(lastAnswer(options, records)).toBe(granted);
    });

    it('refuses at 40% (2 of 5)', () => {
      const records = script([run('a')], [run('b')], [run('a')], [run('b')], [run('a'), please]);
      expect(lastAnswer(options, records)).toBe(refused);
    });

    it('refuses when every turn failed, however distinct', () => {
      const records = script(
        [run('a', 'error')],
        [run('b', 'error')],
        [run('c', 'error')],
        [run('d', 'error')],
        [run('e', 'error'), please],
      );
      expect(lastAnswer(options, records)).toBe(refused);
    });

    it('refuses when every turn failed or went without action (3 failed, 2 without)', () => {
      // The request alone is a turn without action: the tool is not one of the agent's actions.
      const records = script(
        [run('a', 'error')],
        [run('b', 'error')],
        [run('c', 'error')],
        [],
        [please],
      );
      expect(lastAnswer(options, records)).toBe(refused);
    });

    it('grants when one of the five distinct turns succeeded', () => {
      const records = script(
        [run('a', 'error')],
        [run('b', 'error')],
        [run('c', 'error')],
        [run('d', 'error')],
        [run('e'), please],
      );
      expect(lastAnswer(options, records)).toBe(granted);
    });

    it('grants without evidence when the window is 0 turns', () => {
      const records = script(
        [run('a', 'error')],
        [run('a', 'error')],
        [run('a', 'error')],
        [run('a', 'error')],
        [run('a', 'error'), please],
      );
      expect(lastAnswer({ ...options, extensionTool: { window: 0 } }, records)).toBe(granted);
    });
  });

  it('hands decide the evidence of the last `window` turns', () => {
    const seen: ProgressEvidence[] = [];
    const budget = createTurnBudget({
      mode: 'fixed',
      limit: 10,
      maxTotal: 20,
      reminder: false,
      extensionTool: {
        window: 4,
        decide: (_request, evidence) => {
          seen.push(evidence);
          return false;
        },
      },
    });
    const please = ask({ turns: 1, reason: 'Please.' });
    const result = replay(
      budget,
      script([run('a'), please], [], [run('b', 'error'), please], [please], [run('c'), please]),
    );
    const common = { allowedTurns: 10, maxTotal: 20 };
    expect(seen).toEqual([
      // a
      { window: 1, distinctActions: 1, failedTurns: 0, turnsWithoutAction: 0, turn: 1, ...common },
      // a, (none), b failed
      { window: 3, distinctActions: 2, failedTurns: 1, turnsWithoutAction: 1, turn: 3, ...common },
      // a, (none), b failed, (the request alone)
      { window: 4, distinctActions: 2, failedTurns: 1, turnsWithoutAction: 2, turn: 4, ...common },
      // (none), b failed, (the request alone), c: turn 1 has left the window of 4.
      { window: 4, distinctActions: 2, failedTurns: 1, turnsWithoutAction: 2, turn: 5, ...common },
    ]);
    // Only the requests are answered; the shell commands go to the agent's tools.
    expect(toolSteps(result).map(([turn, directive]) => [turn, directive.type])).toEqual(
      [1, 1, 3, 3, 4, 4, 5, 5].map((turn, index) => [turn, index % 2 === 0 ? 'resolve' : 'emit']),
    );
  });

  it('caps what decide grants by maxTurnsPerRequest and the room left, and asks it no more once none is', () => {
    let asked = 0;
    const budget = createTurnBudget({
      mode: 'fixed',
      limit: 2,
      maxTotal: 6,
      reminder: false,
      extensionTool: {
        maxTurnsPerRequest: 3,
        decide: () => {
          asked += 1;
          return 50;
        },
      },
    });
    const please = ask({ turns: 1, reason: 'Please.' });
    const result = replay(
      budget,
      script([run('a'), please], [run('b'), please], [run('c'), please]),
    );
    // 50 capped to 3 (room 4); then to the room 6 − 2 − 3 = 1; then room 0: refused unasked.
    expect(
      result.steps.flatMap((step) =>
        step.directive.type === 'resolve' ? [step.directive.output] : [],
      ),
    ).toEqual([
      'Granted 3 more turns. You now have 4 turns left.',
      'Granted 1 more turns. You now have 4 turns left.',
      'Refused: the maximum of 6 turns is reached. Finish with what you have within the 3 turns left.',
    ]);
    expect(asked).toBe(2);
  });

  describe('reads a request', () => {
    const options: TurnBudgetOptions = {
      mode: 'fixed',
      limit: 5,
      maxTotal: 20,
      reminder: false,
      extensionTool: { maxTurnsPerRequest: 4 },
    };
    /** The directives answering a request made with `args` at the first call, after one action. */
    const answer = (args: string | Record<string, unknown>) =>
      toolSteps(replay(createTurnBudget(options), script([run('ls'), ask(args)]))).map(
        ([, directive]) => directive,
      );
    const malformed = (received: string) => [
      {
        type: 'resolve',
        output: `Refused: ask with {"turns": <1–4>, "reason": "<why>"}; received ${received}.`,
        source: 'turn-budget',
      },
    ];

    it('refuses arguments that are not JSON, or turns below 1, by showing the expected form', () => {
      expect(answer('4 turns please')).toEqual(malformed('4 turns please'));
      expect(answer('{"turns": 0, "reason": "x"}')).toEqual(
        malformed('{"turns": 0, "reason": "x"}'),
      );
      expect(answer('{"reason": "x"}')).toEqual(malformed('{"reason": "x"}'));
      expect(answer('')).toEqual(malformed(''));
    });

    it('shows at most 200 characters of what it received', () => {
      const args = JSON.stringify({ turns: 'many', reason: 'y'.repeat(300) });
      expect(answer(args)).toEqual(malformed(args.slice(0, 200)));
    });

    it('grants a request of one turn, with its reason', () => {
      // 5 + 1 − 1 = 5 turns left after the first call.
      expect(answer({ turns: 1, reason: 'One more.' }).slice(0, 2)).toEqual([
        {
          type: 'resolve',
          output: 'Granted 1 more turns. You now have 5 turns left.',
          source: 'turn-budget',
        },
        {
          type: 'grant-turns',
          turns: 1,
          reason: 'One more.',
          source: 'turn-budget',
          evidence: {
            turn: 1,
            allowedTurns: 6,
            turnsLeft: 5,
            granted: 1,
            maxTotal: 20,
            grantedNow: 1,
          },
        },
      ]);
    });

    it('grants under the reason "requested" when none is given as text', () => {
      for (const args of [{ turns: 2 }, { turns: 2, reason: 5 }, { turns: 2, reason: '' }]) {
        expect(answer(args)[1]).toMatchObject({
          type: 'grant-turns',
          turns: 2,
          reason: 'requested',
        });
      }
    });

    it('grants whole turns, at most maxTurnsPerRequest', () => {
      expect(answer({ turns: 2.7, reason: 'x' })[1]).toMatchObject({ turns: 2 });
      expect(answer({ turns: 9, reason: 'x' })[1]).toMatchObject({ turns: 4 });
    });
  });
});
