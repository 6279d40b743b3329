/**
 * The turn budget's directives, turn by turn: the reminders of the turns left, the dynamic
 * extensions and the stop at the end (the More-with-Less rules and wording). Before call `t + 1`,
 * with `t` calls made, `turns_left` is `allowed − t`; at `t ≥ allowed` the budget extends or stops.
 */
import { describe, expect, it } from 'vitest';
import { actionTurn, replay } from '../test/replay.js';
import { createTurnBudget } from './turn-budget.js';

const turns = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    actionTurn(index + 1, `step ${index}`, `done ${index}`),
  );

const reminderText = (left: number) => `You have ${left} turns left to complete the task.`;
const extensionText = (granted: number) =>
  `You have used up all turns but have not yet completed the task. You are granted an additional ${granted} turns.`;

/** The steps of a replay whose hook is beforeModel, as `[turn, directive]`. */
const beforeModel = (result: ReturnType<typeof replay>) =>
  result.steps
    .filter((step) => step.hook === 'beforeModel')
    .map((step) => [step.turn, step.directive] as const);

/** The reminder a budget named `source` injects and emits before call `turn + 1`. */
function reminder(source: string, turn: number, allowed: number, maxTotal: number, granted = 0) {
  const content = reminderText(allowed - turn);
  return [
    [turn, { type: 'inject', role: 'user', content, ephemeral: true, source }],
    [
      turn,
      {
        type: 'emit',
        event: {
          name: 'budget.reminder',
          policy: source,
          message: content,
          evidence: { turn, allowedTurns: allowed, turnsLeft: allowed - turn, granted, maxTotal },
        },
      },
    ],
  ];
}

describe('the turn budget reminds, extends and stops', () => {
  it('fixed: reminds after every turn in the paper’s words, then stops at the limit and asks for a final answer', () => {
    const result = replay(createTurnBudget({ mode: 'fixed', limit: 3 }), turns(5));
    const message = 'The turn budget of 3 turns is used up.';
    const facts = { turn: 3, allowedTurns: 3, turnsLeft: 0, granted: 0, maxTotal: 3 };
    // No reminder before the first call; 2 and then 1 left before the second and third.
    expect(beforeModel(result)).toEqual([
      ...reminder('turn-budget', 1, 3, 3),
      ...reminder('turn-budget', 2, 3, 3),
      [
        3,
        {
          type: 'emit',
          event: { name: 'budget.exhausted', policy: 'turn-budget', message, evidence: facts },
        },
      ],
      [
        3,
        {
          type: 'stop',
          reason: 'turn-budget',
          message,
          source: 'turn-budget',
          evidence: facts,
          finalAnswer: 'force',
        },
      ],
    ]);
    expect(result.stoppedAt).toBe(3);
  });

  it('speaks under its own name, and ends without a final answer when told so', () => {
    const budget = createTurnBudget({
      mode: 'fixed',
      limit: 2,
      name: 'leash',
      finalAnswer: 'none',
    });
    expect(budget.name).toBe('leash');
    const result = replay(budget, turns(3));
    const message = 'The turn budget of 2 turns is used up.';
    const facts = { turn: 2, allowedTurns: 2, turnsLeft: 0, granted: 0, maxTotal: 2 };
    expect(beforeModel(result)).toEqual([
      ...reminder('leash', 1, 2, 2),
      [
        2,
        {
          type: 'emit',
          event: { name: 'budget.exhausted', policy: 'leash', message, evidence: facts },
        },
      ],
      [2, { type: 'stop', reason: 'turn-budget', message, source: 'leash', evidence: facts }],
    ]);
  });

  it('reminds only when at most whenLeft turns are left, that many included', () => {
    const budget = createTurnBudget({ mode: 'fixed', limit: 6, reminder: { whenLeft: 3 } });
    const injected = replay(budget, turns(6)).steps.flatMap((step) =>
      step.directive.type === 'inject' ? [step.directive.content] : [],
    );
    // Before calls 2…6 the turns left are 5, 4, 3, 2, 1; only 3, 2 and 1 are at most 3.
    expect(injected).toEqual([reminderText(3), reminderText(2), reminderText(1)]);
  });

  it('with reminder: false, says nothing until it stops', () => {
    const result = replay(createTurnBudget({ mode: 'fixed', limit: 3, reminder: false }), turns(5));
    expect(beforeModel(result).map(([turn, directive]) => [turn, directive.type])).toEqual([
      [3, 'emit'],
      [3, 'stop'],
    ]);
  });

  it('unlimited: no reminder, no tool, no stop, however long the run', () => {
    const budget = createTurnBudget({ mode: 'unlimited', extensionTool: {} });
    expect(budget.name).toBe('turn-budget');
    const result = replay(budget, turns(120));
    expect(result.steps).toEqual([]);
    expect(result.view.turn).toBe(120);
  });

  it('dynamic: grants one extension in the paper’s words when the initial turns run out, then stops at the total', () => {
    const result = replay(
      createTurnBudget({ mode: 'dynamic', initial: 2, extension: 3 }),
      turns(9),
    );
    // maxTotal defaults to initial + extension × maxExtensions = 2 + 3 × 1 = 5.
    const extended = { turn: 2, allowedTurns: 5, turnsLeft: 3, granted: 3, maxTotal: 5 };
    const message = 'The turn budget of 5 turns is used up.';
    const exhausted = { turn: 5, allowedTurns: 5, turnsLeft: 0, granted: 3, maxTotal: 5 };
    expect(beforeModel(result)).toEqual([
      ...reminder('turn-budget', 1, 2, 5),
      [
        2,
        {
          type: 'grant-turns',
          turns: 3,
          reason: 'Initial turns used up and the task is not done.',
          source: 'turn-budget',
          evidence: { ...extended, grantedNow: 3 },
        },
      ],
      [
        2,
        {
          type: 'emit',
          event: {
            name: 'budget.extended',
            policy: 'turn-budget',
            message: extensionText(3),
            evidence: { ...extended, grantedNow: 3 },
          },
        },
      ],
      [
        2,
        {
          type: 'inject',
          role: 'user',
          content: extensionText(3),
          ephemeral: true,
          source: 'turn-budget',
        },
      ],
      ...reminder('turn-budget', 3, 5, 5, 3),
      ...reminder('turn-budget', 4, 5, 5, 3),
      [
        5,
        {
          type: 'emit',
          event: { name: 'budget.exhausted', policy: 'turn-budget', message, evidence: exhausted },
        },
      ],
      [
        5,
        {
          type: 'stop',
          reason: 'turn-budget',
          message,
          source: 'turn-budget',
          evidence: exhausted,
          finalAnswer: 'force',
        },
      ],
    ]);
  });

  it('dynamic: a later extension gets only the room maxTotal leaves', () => {
    const budget = createTurnBudget({
      mode: 'dynamic',
      initial: 2,
      extension: 3,
      maxExtensions: 2,
      maxTotal: 6,
      reminder: false,
    });
    const result = replay(budget, turns(10));
    // After 2 turns: 3 more (room 6 − 2 = 4). After 5: room 6 − 2 − 3 = 1, so 1 more. Stop at 6.
    const extended = result.events.filter((event) => event.name === 'budget.extended');
    expect(extended.map((event) => [event.turn, event.message, event.evidence.grantedNow])).toEqual(
      [
        [2, extensionText(3), 3],
        [5, extensionText(1), 1],
      ],
    );
    expect(result.stoppedAt).toBe(6);
    expect(result.stop?.message).toBe('The turn budget of 6 turns is used up.');
  });

  it('dynamic: extends no more than maxExtensions times, though maxTotal leaves room', () => {
    const budget = createTurnBudget({
      mode: 'dynamic',
      initial: 2,
      extension: 2,
      maxExtensions: 1,
      maxTotal: 10,
      reminder: false,
    });
    const result = replay(budget, turns(12));
    expect(result.events.filter((event) => event.name === 'budget.extended')).toHaveLength(1);
    expect(result.stoppedAt).toBe(4);
  });

  it('dynamic: does not extend when maxTotal is the initial budget', () => {
    const budget = createTurnBudget({
      mode: 'dynamic',
      initial: 3,
      extension: 2,
      maxTotal: 3,
      reminder: false,
    });
    const result = replay(budget, turns(6));
    expect(result.events.map((event) => event.name)).toEqual(['budget.exhausted']);
    expect(result.stoppedAt).toBe(3);
  });

  it('dynamic: a task done at the end of the initial turns ends the run done, unextended', () => {
    const budget = createTurnBudget({
      mode: 'dynamic',
      initial: 2,
      extension: 3,
      reminder: false,
      isDone: (view) => view.turn >= 2,
    });
    const result = replay(budget, turns(6));
    const message = 'The task is done at the end of the turn budget of 2 turns.';
    expect(result.events.map((event) => [event.name, event.message])).toEqual([
      ['budget.exhausted', message],
    ]);
    expect(result.stop).toMatchObject({ reason: 'turn-budget', message, endAs: 'done' });
    expect(result.stoppedAt).toBe(2);
  });
});
