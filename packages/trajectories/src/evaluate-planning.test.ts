import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanOutcome } from '@reins/controller';
import { describe, expect, it } from 'vitest';
import { TrajectoryFormatError } from './errors/trajectory-format-error.js';
import { chooseGreedyAction, evaluatePlanning, replayWithinLimits } from './evaluate-planning.js';
import { type PlanningTask, readPlanningTasks } from './read-planning-tasks.js';
import { summarizePlanning, toPlanningLines } from './summarize-planning.js';

const outcome = (
  action: string,
  costUsd: number,
  seconds: number,
  succeeded: boolean,
): PlanOutcome => ({ action, costUsd, seconds, turns: 5, succeeded, kind: 'k' });

// 'dear' ($3, 10 s) solves every task; 'cheap' ($1, 10 s) only the third.
const tasks: PlanningTask[] = [1, 2, 3, 4].map((number) => ({
  id: `t${number}`,
  kind: 'k',
  outcomes: {
    cheap: outcome('cheap', 1, 10, number === 3),
    dear: outcome('dear', 3, 10, true),
  },
}));
const actions = ['cheap', 'dear'];

describe('replayWithinLimits', () => {
  it('counts a success only within both limits, and stops the run at the first limit reached', () => {
    const run = outcome('a', 4, 100, true);
    expect(replayWithinLimits(run, { capUsd: 4, deadlineSeconds: 100 })).toEqual({
      success: true,
      spentUsd: 4,
    });
    // The cap is reached halfway: $2 spent.
    expect(replayWithinLimits(run, { capUsd: 2, deadlineSeconds: 1000 })).toEqual({
      success: false,
      spentUsd: 2,
    });
    // The deadline is reached at a quarter: $1 spent.
    expect(replayWithinLimits(run, { capUsd: 10, deadlineSeconds: 25 })).toEqual({
      success: false,
      spentUsd: 1,
    });
    expect(
      replayWithinLimits({ ...run, succeeded: false }, { capUsd: 10, deadlineSeconds: 1000 }),
    ).toEqual({
      success: false,
      spentUsd: 4,
    });
  });
});

describe('chooseGreedyAction', () => {
  const history = tasks.flatMap((task) =>
    actions.map((action) => task.outcomes[action] as PlanOutcome),
  );
  const start = { spentUsd: 0, elapsedSeconds: 0, turnsDone: 0 };
  it('takes the best past success rate among actions whose means fit, else the cheapest', () => {
    expect(
      chooseGreedyAction(history, actions, { ...start, capUsd: 5, deadlineSeconds: 100 }, 20),
    ).toBe('dear');
    expect(
      chooseGreedyAction(history, actions, { ...start, capUsd: 2, deadlineSeconds: 100 }, 20),
    ).toBe('cheap');
    expect(
      chooseGreedyAction(history, actions, { ...start, capUsd: 0.5, deadlineSeconds: 100 }, 20),
    ).toBe('cheap');
  });
});

describe('evaluatePlanning on held-out folds', () => {
  const evaluation = evaluatePlanning(tasks, actions, {
    scenarios: [
      { capUsd: 5, deadlineSeconds: 100 },
      { capUsd: 2, deadlineSeconds: 100 },
      { capUsd: 10, deadlineSeconds: 5 },
    ],
    samples: 50,
    bootstrap: { samples: 200 },
  });
  const [roomy, tight, late] = evaluation.scenarios;

  it('chooses the action that finishes within the limits, like the strongest simple policy', () => {
    // Every fold's history shows dear succeeding within $5 always and cheap at most half the time.
    expect(roomy?.policies.planning?.choices).toEqual({ dear: 4 });
    expect(roomy?.policies.planning?.successRate).toMatchObject({ estimate: 1, low: 1, high: 1 });
    expect(roomy?.policies.planning?.meanSpentUsd.estimate).toBe(3);
    expect(roomy?.policies.greedy?.successRate.estimate).toBe(1);
    expect(roomy?.policies.cheapest?.successRate.estimate).toBe(1 / 4);
    expect(roomy?.policies['always:dear']?.successRate.estimate).toBe(1);
    expect(roomy?.strongestSimple).toBe('always:dear');
    expect(roomy?.planningMinusStrongestSimple).toMatchObject({ estimate: 0, low: 0, high: 0 });
    expect(roomy?.simpleWins).toBe(false);
  });

  it('under a cap dear cannot meet, takes cheap; dear would spend the cap and fail', () => {
    expect(tight?.policies.planning?.choices).toEqual({ cheap: 4 });
    expect(tight?.policies.planning?.successRate.estimate).toBe(1 / 4);
    expect(tight?.policies.planning?.meanSpentUsd.estimate).toBe(1);
    expect(tight?.policies['always:dear']?.successRate.estimate).toBe(0);
    expect(tight?.policies['always:dear']?.meanSpentUsd.estimate).toBe(2);
    expect(tight?.policies.hindsight?.successRate.estimate).toBe(1 / 4);
    expect(tight?.spendRatioToGreedy).toBe(1);
  });

  it('when nothing can finish in time, spends least', () => {
    expect(late?.policies.planning?.choices).toEqual({ cheap: 4 });
    expect(late?.policies.planning?.successRate.estimate).toBe(0);
    expect(late?.policies.planning?.meanSpentUsd.estimate).toBe(0.5);
    expect(late?.policies['always:dear']?.meanSpentUsd.estimate).toBe(1.5);
  });

  it('summarises each scenario as rounded intervals and counts where planning is above or below', () => {
    const summary = summarizePlanning(evaluation);
    expect(summary.scenarios[0]).toMatchObject({
      capUsd: 5,
      deadlineSeconds: 100,
      planning: [1, 1, 1],
      greedy: [1, 1, 1],
      strongestSimple: 'always:dear',
      planningMinusGreedy: [0, 0, 0],
      planningChoices: { dear: 4 },
    });
    expect(summary.scenarios[1]?.planning).toEqual([0.25, expect.any(Number), expect.any(Number)]);
    expect(summary).toMatchObject({
      tasks: 4,
      planningAboveGreedy: 0,
      planningBelowGreedy: 0,
      simpleAheadByEstimate: 0,
    });
    expect(toPlanningLines(summary)[0]).toBe(
      'cap $5, deadline 100 s: planning 1 [1, 1], greedy 1, always:dear 1, hindsight 1; planning − greedy 0 [0, 0], planning − always:dear 0 [0, 0]',
    );
  });

  it('fits each choice without the task it is scored on', () => {
    // Each task is the other's only history: seeing b, a's choice is dear (which fails a), and
    // seeing a, b's is cheap (which fails b). With a's own outcome in its history, cheap and dear
    // would tie and cheap would solve a.
    const crossed: PlanningTask[] = [
      {
        id: 'a',
        kind: 'k',
        outcomes: { cheap: outcome('cheap', 1, 1, true), dear: outcome('dear', 3, 1, false) },
      },
      {
        id: 'b',
        kind: 'k',
        outcomes: { cheap: outcome('cheap', 1, 1, false), dear: outcome('dear', 3, 1, true) },
      },
    ];
    const [result] = evaluatePlanning(crossed, actions, {
      scenarios: [{ capUsd: 5, deadlineSeconds: 100 }],
      samples: 20,
      bootstrap: { samples: 50 },
    }).scenarios;
    expect(result?.policies.planning?.successRate.estimate).toBe(0);
    expect(result?.policies.hindsight?.successRate.estimate).toBe(1);
  });

  it('refuses a task without an outcome under every action, naming it', () => {
    const broken = [
      ...tasks,
      { id: 't5', kind: 'k', outcomes: { cheap: outcome('cheap', 1, 1, true) } },
    ];
    expect(() => evaluatePlanning(broken, actions, { scenarios: [] })).toThrow(
      "tasks[4] ('t5') has no outcome under action 'dear'",
    );
    expect(() => evaluatePlanning(tasks, actions, { scenarios: [], folds: 1 })).toThrow(
      'folds is 1',
    );
  });
});

describe('readPlanningTasks', () => {
  it('reads per-task records of several models, keeping tasks recorded under all', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reins-planning-'));
    const file = join(folder, 'per-task.json');
    const run = (resolved: boolean, cost: number, seconds: number, steps: number) => ({
      resolved,
      steps,
      model_stats: { instance_cost: cost },
      tool_time: { total_seconds: seconds },
    });
    await writeFile(
      file,
      JSON.stringify([
        {
          instance_id: 'a',
          repo: 'r/x',
          gpt5: run(true, 1.5, 30, 12),
          claude: run(false, 9, 60, 40),
        },
        { instance_id: 'b', repo: 'r/y', gpt5: run(false, 2, 10, 8) },
      ]),
    );
    const { tasks: read, actions: names } = await readPlanningTasks(file);
    expect(names).toEqual(['gpt5', 'claude']);
    expect(read).toEqual([
      {
        id: 'a',
        kind: 'r/x',
        outcomes: {
          gpt5: {
            action: 'gpt5',
            costUsd: 1.5,
            seconds: 30,
            turns: 12,
            succeeded: true,
            kind: 'r/x',
          },
          claude: {
            action: 'claude',
            costUsd: 9,
            seconds: 60,
            turns: 40,
            succeeded: false,
            kind: 'r/x',
          },
        },
      },
    ]);
  });

  it('names a missing file and where the data belongs', async () => {
    const missing = join(tmpdir(), 'reins-no-such-dir', 'per-task.json');
    const error = await readPlanningTasks(missing).catch((caught: unknown) => caught);
    expect(TrajectoryFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('../shared/data');
  });

  it('names a malformed field', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'reins-planning-'));
    const file = join(folder, 'bad.json');
    await writeFile(
      file,
      JSON.stringify([
        {
          instance_id: 'a',
          repo: 'r',
          gpt5: {
            resolved: 'yes',
            steps: 1,
            model_stats: { instance_cost: 1 },
            tool_time: { total_seconds: 1 },
          },
        },
      ]),
    );
    await expect(readPlanningTasks(file)).rejects.toThrow('[0].gpt5.resolved');
  });
});
