/**
 * The planner's session hook by hook, on a history whose estimates are certain: every past run
 * of an action is the same, so each Monte Carlo draw gives the same answer and the chances are
 * 0 or 1 whatever the seed.
 */
import { InvalidOptionsError } from '@reins/core';
import { describe, expect, it } from 'vitest';
import { createView, type MutableView } from '../test/replay.js';
import {
  type BudgetDeadlinePlannerOptions,
  createBudgetDeadlinePlanner,
} from './budget-deadline-planner.js';
import type { PlanOutcome } from './plan-action.js';

/**
 * 'careful' costs $4 and 100 s over 10 turns and always succeeds; 'quick' costs $1 and 10 s
 * over 5 turns and always succeeds. Under a $2 cap only 'quick' fits; under $10 both fit, and
 * 'quick' wins on the lower expected cost.
 */
const history: PlanOutcome[] = [
  { action: 'careful', costUsd: 4, seconds: 100, turns: 10, succeeded: true },
  { action: 'quick', costUsd: 1, seconds: 10, turns: 5, succeeded: true },
];
const actions = [
  { name: 'careful', settings: { maxTokens: 4000 } },
  { name: 'quick', settings: { maxTokens: 500 }, tools: ['run', 'read'] },
];

const options = (more: Partial<BudgetDeadlinePlannerOptions> = {}) => ({
  capUsd: 2,
  deadlineMs: 600_000,
  actions,
  history,
  samples: 50,
  ...more,
});

function session(more: Partial<BudgetDeadlinePlannerOptions> = {}, state?: unknown) {
  return createBudgetDeadlinePlanner(options(more)).open({
    runId: 'r',
    task: 'Fix the bug.',
    ...(state === undefined ? {} : { state }),
  });
}

const at = (view: MutableView, turn: number, now = 0): MutableView => {
  view.turn = turn;
  view.now = now;
  return view;
};

describe('createBudgetDeadlinePlanner sessions', () => {
  it('announces its first plan with the chances, what is spent and what is left', () => {
    const view = at(createView(), 2, 40_000);
    view.usage = { ...view.usage, costUsd: 0.5 };
    // Started at 10 s on the clock: 30 s elapsed.
    const directives = session({ name: 'plan' }).beforeModel?.({ ...view, startedAt: 10_000 });
    // After 2 turns: 'careful' has 8/10 of $4 = $3.2 left, over the $1.5 left; 'quick' 3/5 of
    // $1 = $0.6 and 6 s, which fit.
    expect(directives).toEqual([
      {
        type: 'emit',
        event: {
          name: 'plan.chosen',
          policy: 'plan',
          message:
            "Plan: 'quick', with a 100.0% chance of finishing within the cap and the deadline.",
          evidence: {
            action: 'quick',
            previous: null,
            spentUsd: 0.5,
            capUsd: 2,
            elapsedSeconds: 30,
            deadlineSeconds: 600,
            turnsDone: 2,
            'pOnTime.careful': 0,
            'meanRemainingUsd.careful': expect.closeTo(3.2, 9),
            'pool.careful': 1,
            'pOnTime.quick': 1,
            'meanRemainingUsd.quick': expect.closeTo(0.6, 9),
            'pool.quick': 1,
          },
        },
      },
      {
        type: 'inject',
        role: 'user',
        content: 'For the rest of this task, use only these tools: run, read.',
        ephemeral: false,
        source: 'plan',
      },
      { type: 'model-settings', settings: { maxTokens: 500 }, source: 'plan' },
    ]);
  });

  it('says which plan it changed from when the choice changes', () => {
    const planner = session({ capUsd: 10, deadlineMs: 1_000_000 });
    const view = createView();
    // Both fit under $10: 'quick' has the lower expected cost.
    expect(planner.beforeModel?.(view)?.[0]).toMatchObject({
      event: { evidence: { action: 'quick' } },
    });
    // After 5 turns no past 'quick' run is still going: only 'careful' can finish.
    const directives = planner.beforeModel?.(at(view, 5));
    expect(directives).toEqual([
      expect.objectContaining({
        type: 'emit',
        event: expect.objectContaining({
          message:
            "Plan changed from 'quick' to 'careful' (100.0% chance of finishing within the cap and the deadline).",
          evidence: expect.objectContaining({
            action: 'careful',
            previous: 'quick',
            'pool.quick': 0,
            'meanRemainingUsd.quick': null,
          }),
        }),
      }),
      // 'careful' limits no tools: no notice.
      { type: 'model-settings', settings: { maxTokens: 4000 }, source: 'planner' },
    ]);
  });

  it('sends only the settings while the plan stays, and nothing for an action without them', () => {
    const planner = session();
    const view = createView();
    planner.beforeModel?.(view);
    expect(planner.beforeModel?.(at(view, 1))).toEqual([
      { type: 'model-settings', settings: { maxTokens: 500 }, source: 'planner' },
    ]);
    const bare = session({ actions: [{ name: 'careful' }, { name: 'quick' }] });
    bare.beforeModel?.(createView());
    expect(bare.beforeModel?.(at(createView(), 1))).toBeUndefined();
  });

  it('tells the model nothing with notice: false, and fills {tools} in a notice of its own', () => {
    const silent = session({ notice: false }).beforeModel?.(createView()) ?? [];
    expect(silent.map((directive) => directive.type)).toEqual(['emit', 'model-settings']);
    const own = session({ notice: 'Tools now: {tools}; again {tools}.' }).beforeModel?.(
      createView(),
    );
    expect(own?.[1]).toMatchObject({ content: 'Tools now: run, read; again run, read.' });
  });

  it('denies calls to tools the plan leaves out, naming the plan and its tools', () => {
    const planner = session();
    const view = createView();
    const call = (name: string) => ({ id: 'c', name, arguments: '{}' });
    expect(planner.beforeTool?.(view, call('search'))).toBeUndefined();
    planner.beforeModel?.(view);
    expect(planner.beforeTool?.(view, call('run'))).toBeUndefined();
    expect(planner.beforeTool?.(view, call('search'))).toEqual([
      {
        type: 'deny',
        reason: "the plan 'quick' leaves only these tools: run, read.",
        source: 'planner',
      },
    ]);
  });

  it('plans again every replanEveryTurns turns', () => {
    const planner = session({ replanEveryTurns: 3 });
    const view = createView();
    planner.beforeModel?.(at(view, 1));
    expect(planner.snapshot?.()).toEqual({ version: 1, action: 'quick', plannedAtTurn: 1 });
    planner.beforeModel?.(at(view, 3));
    expect(planner.snapshot?.()).toMatchObject({ plannedAtTurn: 1 });
    planner.beforeModel?.(at(view, 4));
    expect(planner.snapshot?.()).toMatchObject({ plannedAtTurn: 4 });
  });

  it('resumes its plan and its planning turn from a snapshot', () => {
    const resumed = session(
      { replanEveryTurns: 3 },
      {
        version: 1,
        action: 'quick',
        plannedAtTurn: 4,
      },
    );
    const view = at(createView(), 5);
    // Not due (5 − 4 < 3): the plan restored is applied without a new estimate.
    expect(resumed.beforeModel?.(view)).toEqual([
      { type: 'model-settings', settings: { maxTokens: 500 }, source: 'planner' },
    ]);
    expect(resumed.snapshot?.()).toEqual({ version: 1, action: 'quick', plannedAtTurn: 4 });
    const fresh = session({}, { version: 1, action: null, plannedAtTurn: null });
    expect(fresh.snapshot?.()).toEqual({ version: 1, action: null, plannedAtTurn: null });
    expect(fresh.beforeModel?.(createView())?.[0]).toMatchObject({ type: 'emit' });
  });

  it("estimates from the runs of the task's kind once there are minKindSamples of them", () => {
    // In 'django' tasks 'careful' is cheap and 'quick' always fails.
    const kinded: PlanOutcome[] = [
      ...history,
      { action: 'careful', costUsd: 0.5, seconds: 10, turns: 10, succeeded: true, kind: 'django' },
      { action: 'quick', costUsd: 0.1, seconds: 1, turns: 5, succeeded: false, kind: 'django' },
    ];
    const planner = (minKindSamples: number) =>
      createBudgetDeadlinePlanner(
        options({ history: kinded, kindOf: () => 'django', minKindSamples }),
      ).open({ runId: 'r', task: 'django: fix the admin' });
    expect(planner(1).beforeModel?.(createView())?.[0]).toMatchObject({
      event: { evidence: { action: 'careful', 'pool.careful': 1 } },
    });
    // With two runs of the kind needed, all of each action's runs are drawn from.
    expect(planner(2).beforeModel?.(createView())?.[0]).toMatchObject({
      event: { evidence: { 'pool.careful': 2, 'pool.quick': 2 } },
    });
  });
});

describe('createBudgetDeadlinePlanner options', () => {
  const refusal = (more: Record<string, unknown>): InvalidOptionsError => {
    try {
      createBudgetDeadlinePlanner({ ...options(), ...more } as BudgetDeadlinePlannerOptions);
    } catch (error) {
      if (error instanceof InvalidOptionsError) return error;
      throw error;
    }
    throw new Error('the options were accepted');
  };

  it('needs a positive cap and deadline', () => {
    for (const capUsd of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '2']) {
      expect(refusal({ capUsd })).toMatchObject({
        field: 'capUsd',
        message: `createBudgetDeadlinePlanner() capUsd is ${String(capUsd)}; use a positive number of US dollars.`,
      });
    }
    expect(refusal({ deadlineMs: 0 })).toMatchObject({
      field: 'deadlineMs',
      message:
        'createBudgetDeadlinePlanner() deadlineMs is 0; use a positive number of milliseconds.',
    });
    expect(() =>
      createBudgetDeadlinePlanner(undefined as unknown as BudgetDeadlinePlannerOptions),
    ).toThrow(InvalidOptionsError);
  });

  it('needs distinct, non-empty action names', () => {
    for (const names of [[''], ['a', 'a'], [3]]) {
      const error = refusal({ actions: names.map((name) => ({ name })) });
      expect(error.field).toBe('actions');
      expect(error.message).toMatch(/is empty or repeated; give each action a distinct name\.$/);
    }
    expect(refusal({ actions: [null] }).message).toBe(
      'Action name undefined is empty or repeated; give each action a distinct name.',
    );
  });

  it('needs a history array whose runs name an action and give usable figures', () => {
    expect(refusal({ history: 'runs' })).toMatchObject({
      field: 'history',
      message:
        'createBudgetDeadlinePlanner() history is not an array; give past runs as [{ action, costUsd, seconds, turns, succeeded }].',
    });
    const run = history[1] as PlanOutcome;
    const problems: [Partial<Record<keyof PlanOutcome, unknown>>, string][] = [
      [
        { action: 'other' },
        `history[1] names action "other", which is not one of the actions (careful, quick).`,
      ],
      [{ costUsd: -1 }, 'history[1] has costUsd -1; use a finite number ≥ 0.'],
      [{ costUsd: '1' }, 'history[1] has costUsd 1; use a finite number ≥ 0.'],
      [{ seconds: Number.NaN }, 'history[1] has seconds NaN; use a finite number ≥ 0.'],
      [{ turns: 0 }, 'history[1] has turns 0; use a whole number of model calls ≥ 1.'],
      [{ turns: 1.5 }, 'history[1] has turns 1.5; use a whole number of model calls ≥ 1.'],
      [{ succeeded: 'yes' }, 'history[1] has succeeded yes; use true or false.'],
    ];
    for (const [change, message] of problems) {
      expect(refusal({ history: [history[0], { ...run, ...change }] })).toMatchObject({
        field: 'history',
        message,
      });
    }
    // Free runs and a single turn are usable.
    expect(() =>
      createBudgetDeadlinePlanner(
        options({
          history: [history[0] as PlanOutcome, { ...run, costUsd: 0, seconds: 0, turns: 1 }],
        }),
      ),
    ).not.toThrow();
    expect(refusal({ history: [history[0]] })).toMatchObject({
      field: 'history',
      message:
        "No past run used action 'quick', so nothing estimates it; add its runs to history or drop the action.",
    });
  });

  it('needs whole numbers of samples, turns between plans and kind samples', () => {
    for (const field of ['samples', 'replanEveryTurns'] as const) {
      for (const value of [0, 2.5]) {
        expect(refusal({ [field]: value })).toMatchObject({
          field,
          message: `createBudgetDeadlinePlanner() ${field} is ${value}; use a whole number ≥ 1.`,
        });
      }
    }
    expect(() => createBudgetDeadlinePlanner(options({ samples: 1 }))).not.toThrow();
    for (const minKindSamples of [-1, 0.5]) {
      expect(refusal({ minKindSamples })).toMatchObject({
        field: 'minKindSamples',
        message: `createBudgetDeadlinePlanner() minKindSamples is ${minKindSamples}; use a whole number ≥ 0.`,
      });
    }
    expect(() => createBudgetDeadlinePlanner(options({ minKindSamples: 0 }))).not.toThrow();
  });
});
