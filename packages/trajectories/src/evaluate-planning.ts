import {
  choosePlanAction,
  createRandom,
  defaultPlanEstimateOptions,
  estimatePlanActions,
  type PlanOutcome,
  type PlanState,
  selectPlanPool,
} from '@reins/controller';
import { InvalidOptionsError } from '@reins/core';
import { type BootstrapOptions, bootstrapInterval, type ConfidenceInterval } from './bootstrap.js';
import type { PlanningTask } from './read-planning-tasks.js';

/** One pair of limits a run is held to. */
export interface PlanningScenario {
  readonly capUsd: number;
  readonly deadlineSeconds: number;
}

/** Options of {@link evaluatePlanning}. */
export interface EvaluatePlanningOptions {
  /** The limits to evaluate under, each on every task. */
  readonly scenarios: readonly PlanningScenario[];
  /**
   * Folds of the split: each task's choice is fitted on the other folds only.
   * @defaultValue 2
   */
  readonly folds?: number;
  /**
   * Seed of the split and of the Monte Carlo draws.
   * @defaultValue 1
   */
  readonly seed?: number;
  /** @defaultValue 1000 */
  readonly samples?: number;
  /** @defaultValue 20 */
  readonly minKindSamples?: number;
  /** Resampling of the intervals. @defaultValue 1000 resamples, 95% */
  readonly bootstrap?: BootstrapOptions;
}

/** How one policy did under one scenario, over the held-out tasks. */
export interface PlanningPolicyResult {
  /** Share of tasks solved within both limits. */
  readonly successRate: ConfidenceInterval;
  /** Mean money spent per task (a run stops at whichever limit it reaches first). */
  readonly meanSpentUsd: ConfidenceInterval;
  /** How often each action was chosen. */
  readonly choices: Readonly<Record<string, number>>;
}

/** One scenario's figures. */
export interface PlanningScenarioResult {
  readonly capUsd: number;
  readonly deadlineSeconds: number;
  readonly tasks: number;
  /**
   * By policy: `planning` (Monte Carlo, {@link choosePlanAction}), `greedy` (the highest past
   * success rate among actions whose mean cost and time fit the limits, else the cheapest),
   * `cheapest` and `fastest` (lowest mean cost or time), `always:<action>`, and `hindsight` (any
   * action that solved the task within the limits: a ceiling, not a policy).
   */
  readonly policies: Readonly<Record<string, PlanningPolicyResult>>;
  /** The simple policy (`cheapest`, `fastest`, `always:*`) with the highest success rate here. */
  readonly strongestSimple: string;
  /** Planning's success rate minus greedy's, paired over tasks. */
  readonly planningMinusGreedy: ConfidenceInterval;
  /** Planning's success rate minus the strongest simple policy's, paired over tasks. */
  readonly planningMinusStrongestSimple: ConfidenceInterval;
  /** Planning's mean spend over greedy's. */
  readonly spendRatioToGreedy: number;
  /** Whether the strongest simple policy solved more tasks than planning here. */
  readonly simpleWins: boolean;
}

/** What {@link evaluatePlanning} returns. */
export interface PlanningEvaluation {
  readonly tasks: number;
  readonly actions: readonly string[];
  readonly folds: number;
  readonly seed: number;
  readonly scenarios: readonly PlanningScenarioResult[];
}

/** A task's result under one policy. */
interface TaskResult {
  readonly action: string;
  readonly success: boolean;
  readonly spentUsd: number;
}

/**
 * What a recorded run does when held to limits: it succeeds when it succeeded within both; else
 * it stops at whichever limit it reaches first, cost and time accruing evenly over the run.
 *
 * @param outcome - the recorded run.
 * @param scenario - the limits.
 * @returns whether it succeeded within them, and what it spent.
 * @example
 * ```ts
 * replayWithinLimits({ action: 'a', costUsd: 4, seconds: 100, turns: 10, succeeded: true }, { capUsd: 2, deadlineSeconds: 1000 });
 * // { success: false, spentUsd: 2 }
 * ```
 */
export function replayWithinLimits(
  outcome: PlanOutcome,
  scenario: PlanningScenario,
): { success: boolean; spentUsd: number } {
  const within = outcome.costUsd <= scenario.capUsd && outcome.seconds <= scenario.deadlineSeconds;
  const share = Math.min(
    1,
    outcome.costUsd > 0 ? scenario.capUsd / outcome.costUsd : 1,
    outcome.seconds > 0 ? scenario.deadlineSeconds / outcome.seconds : 1,
  );
  return { success: outcome.succeeded && within, spentUsd: outcome.costUsd * share };
}

function mean(values: readonly number[]): number {
  return values.length === 0
    ? Number.NaN
    : values.reduce((sum, value) => sum + value, 0) / values.length;
}

interface ActionSummary {
  readonly action: string;
  readonly meanUsd: number;
  readonly meanSeconds: number;
  readonly successRate: number;
}

function summarise(action: string, outcomes: readonly PlanOutcome[]): ActionSummary {
  return {
    action,
    meanUsd: mean(outcomes.map((outcome) => outcome.costUsd)),
    meanSeconds: mean(outcomes.map((outcome) => outcome.seconds)),
    successRate: mean(outcomes.map((outcome) => (outcome.succeeded ? 1 : 0))),
  };
}

/**
 * The greedy baseline: among actions whose mean past cost and time fit the limits, the one with
 * the highest past success rate (ties: the cheaper); when none fits, the cheapest. It reads the
 * same past runs as the planner ({@link selectPlanPool}), as means rather than distributions.
 *
 * @example
 * ```ts
 * const action = chooseGreedyAction(history, ['gpt5', 'claude'], state, 20);
 * ```
 */
export function chooseGreedyAction(
  history: readonly PlanOutcome[],
  actions: readonly string[],
  state: PlanState,
  minKindSamples: number,
): string {
  const summaries = actions.map((action) =>
    summarise(action, selectPlanPool(history, action, state, minKindSamples).outcomes),
  );
  const leftUsd = state.capUsd - state.spentUsd;
  const leftSeconds = state.deadlineSeconds - state.elapsedSeconds;
  const fitting = summaries.filter(
    (summary) => summary.meanUsd <= leftUsd && summary.meanSeconds <= leftSeconds,
  );
  const byCost = (a: ActionSummary, b: ActionSummary) => a.meanUsd - b.meanUsd;
  if (fitting.length === 0) return ([...summaries].sort(byCost)[0] as ActionSummary).action;
  return (
    [...fitting].sort((a, b) => b.successRate - a.successRate || byCost(a, b))[0] as ActionSummary
  ).action;
}

function lowestBy(
  history: readonly PlanOutcome[],
  actions: readonly string[],
  field: 'meanUsd' | 'meanSeconds',
): string {
  const summaries = actions.map((action) =>
    summarise(
      action,
      history.filter((outcome) => outcome.action === action),
    ),
  );
  return ([...summaries].sort((a, b) => a[field] - b[field])[0] as ActionSummary).action;
}

function foldsOf(count: number, folds: number, seed: number): number[] {
  const random = createRandom(seed);
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  const fold = new Array<number>(count);
  order.forEach((task, position) => {
    fold[task] = position % folds;
  });
  return fold;
}

/**
 * Evaluates budget-and-deadline planning on held-out recorded tasks, each recorded under every
 * action: the tasks are split into folds; for each task, the past runs of the other folds are the
 * history, each policy picks an action at the run's start under each scenario, and the task's
 * recorded outcome under that action, held to the limits ({@link replayWithinLimits}), is the
 * result. Figures are means over tasks with paired bootstrap intervals over tasks.
 *
 * Only the choice at the start is evaluated: the records hold no run that changed action
 * midway, so re-planning during a run cannot be replayed from them.
 *
 * @param tasks - tasks with an outcome under every action.
 * @param actions - the action names.
 * @param options - scenarios, folds, seed, draws.
 * @returns per-scenario figures for every policy.
 * @example
 * ```ts
 * const { tasks, actions } = await readPlanningTasks(file);
 * const evaluation = evaluatePlanning(tasks, actions, { scenarios: [{ capUsd: 4, deadlineSeconds: 300 }] });
 * ```
 */
export function evaluatePlanning(
  tasks: readonly PlanningTask[],
  actions: readonly string[],
  options: EvaluatePlanningOptions,
): PlanningEvaluation {
  const folds = options.folds ?? 2;
  const seed = options.seed ?? 1;
  const samples = options.samples ?? defaultPlanEstimateOptions.samples;
  const minKindSamples = options.minKindSamples ?? defaultPlanEstimateOptions.minKindSamples;
  if (!(Number.isInteger(folds) && folds >= 2))
    throw new InvalidOptionsError('folds', `folds is ${String(folds)}; use a whole number ≥ 2.`);
  if (tasks.length < folds)
    throw new InvalidOptionsError(
      'tasks',
      `${tasks.length} tasks cannot fill ${folds} folds; give at least as many tasks as folds.`,
    );
  if (actions.length === 0)
    throw new InvalidOptionsError('actions', 'evaluatePlanning() needs at least one action.');
  tasks.forEach((task, index) => {
    for (const action of actions)
      if (task.outcomes[action] === undefined)
        throw new InvalidOptionsError(
          'tasks',
          `tasks[${index}] ('${task.id}') has no outcome under action '${action}'; every task needs one under every action.`,
        );
  });
  const fold = foldsOf(tasks.length, folds, seed);
  const simple = ['cheapest', 'fastest', ...actions.map((action) => `always:${action}`)];
  const policyNames = ['planning', 'greedy', ...simple, 'hindsight'];
  // results[scenario][task][policy]
  const results: Record<string, TaskResult>[][] = options.scenarios.map(() => []);
  for (let part = 0; part < folds; part += 1) {
    const history = tasks.flatMap((task, index) =>
      fold[index] === part ? [] : actions.map((action) => task.outcomes[action] as PlanOutcome),
    );
    const cheapest = lowestBy(history, actions, 'meanUsd');
    const fastest = lowestBy(history, actions, 'meanSeconds');
    tasks.forEach((task, index) => {
      if (fold[index] !== part) return;
      options.scenarios.forEach((scenario, scenarioIndex) => {
        const state: PlanState = {
          ...scenario,
          spentUsd: 0,
          elapsedSeconds: 0,
          turnsDone: 0,
          kind: task.kind,
        };
        const planned = choosePlanAction(
          estimatePlanActions(
            history,
            actions.map((name) => ({ name })),
            state,
            {
              random: createRandom(seed + index * 7919 + scenarioIndex * 104729),
              samples,
              minKindSamples,
            },
          ),
        ).action;
        const chosen: Record<string, string> = {
          planning: planned,
          greedy: chooseGreedyAction(history, actions, state, minKindSamples),
          cheapest,
          fastest,
          ...Object.fromEntries(actions.map((action) => [`always:${action}`, action])),
        };
        const row: Record<string, TaskResult> = {};
        for (const [policy, action] of Object.entries(chosen))
          row[policy] = {
            action,
            ...replayWithinLimits(task.outcomes[action] as PlanOutcome, scenario),
          };
        row.hindsight = hindsight(task, actions, scenario);
        (results[scenarioIndex] as Record<string, TaskResult>[])[index] = row;
      });
    });
  }
  return {
    tasks: tasks.length,
    actions: [...actions],
    folds,
    seed,
    scenarios: options.scenarios.map((scenario, scenarioIndex) =>
      scenarioResult(
        scenario,
        results[scenarioIndex] as Record<string, TaskResult>[],
        policyNames,
        simple,
        options.bootstrap ?? {},
      ),
    ),
  };
}

function hindsight(
  task: PlanningTask,
  actions: readonly string[],
  scenario: PlanningScenario,
): TaskResult {
  const replays = actions.map((action) => ({
    action,
    ...replayWithinLimits(task.outcomes[action] as PlanOutcome, scenario),
  }));
  const solved = replays.filter((replay) => replay.success);
  const pool = solved.length > 0 ? solved : replays;
  return [...pool].sort((a, b) => a.spentUsd - b.spentUsd)[0] as TaskResult;
}

function scenarioResult(
  scenario: PlanningScenario,
  rows: readonly Record<string, TaskResult>[],
  policyNames: readonly string[],
  simple: readonly string[],
  bootstrap: BootstrapOptions,
): PlanningScenarioResult {
  const rate = (policy: string) => (sample: readonly Record<string, TaskResult>[]) =>
    mean(sample.map((row) => (row[policy]?.success ? 1 : 0)));
  const spend = (policy: string) => (sample: readonly Record<string, TaskResult>[]) =>
    mean(sample.map((row) => row[policy]?.spentUsd ?? 0));
  const strongestSimple = [...simple].sort(
    (a, b) => rate(b)(rows) - rate(a)(rows) || spend(a)(rows) - spend(b)(rows),
  )[0] as string;
  const statistics: Record<string, (sample: readonly Record<string, TaskResult>[]) => number> = {};
  for (const policy of policyNames) {
    statistics[`${policy}.rate`] = rate(policy);
    statistics[`${policy}.spend`] = spend(policy);
  }
  statistics.minusGreedy = (sample) => rate('planning')(sample) - rate('greedy')(sample);
  statistics.minusSimple = (sample) => rate('planning')(sample) - rate(strongestSimple)(sample);
  const intervals = bootstrapInterval(rows, statistics, bootstrap);
  const policies: Record<string, PlanningPolicyResult> = {};
  for (const policy of policyNames) {
    const choices: Record<string, number> = {};
    for (const row of rows) {
      const action = row[policy]?.action as string;
      choices[action] = (choices[action] ?? 0) + 1;
    }
    policies[policy] = {
      successRate: intervals[`${policy}.rate`] as ConfidenceInterval,
      meanSpentUsd: intervals[`${policy}.spend`] as ConfidenceInterval,
      choices,
    };
  }
  const planningMinusStrongestSimple = intervals.minusSimple as ConfidenceInterval;
  return {
    ...scenario,
    tasks: rows.length,
    policies,
    strongestSimple,
    planningMinusGreedy: intervals.minusGreedy as ConfidenceInterval,
    planningMinusStrongestSimple,
    spendRatioToGreedy: spend('planning')(rows) / spend('greedy')(rows),
    simpleWins: planningMinusStrongestSimple.estimate < 0,
  };
}
