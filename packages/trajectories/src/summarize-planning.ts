import type { ConfidenceInterval } from './bootstrap.js';
import type { PlanningEvaluation, PlanningScenarioResult } from './evaluate-planning.js';

/** An interval as `[estimate, low, high]`, rounded to 3 decimals. */
export type IntervalTriple = readonly [number, number, number];

/** One scenario's headline figures. */
export interface PlanningScenarioSummary {
  readonly capUsd: number;
  readonly deadlineSeconds: number;
  /** Success rate within both limits, `[estimate, low, high]`. */
  readonly planning: IntervalTriple;
  readonly greedy: IntervalTriple;
  /** The simple policy with the highest success rate in this scenario. */
  readonly strongestSimple: string;
  readonly simple: IntervalTriple;
  /** The ceiling: any action that solved the task within the limits. */
  readonly hindsight: number;
  /** Paired differences of success rates. */
  readonly planningMinusGreedy: IntervalTriple;
  readonly planningMinusSimple: IntervalTriple;
  /** Planning's mean spend over greedy's. */
  readonly spendRatioToGreedy: number;
  readonly planningChoices: Readonly<Record<string, number>>;
  readonly greedyChoices: Readonly<Record<string, number>>;
}

/** What {@link summarizePlanning} returns: per-scenario figures and counts across scenarios. */
export interface PlanningSummary {
  readonly tasks: number;
  readonly actions: readonly string[];
  readonly folds: number;
  readonly scenarios: readonly PlanningScenarioSummary[];
  /** Scenarios whose interval of planning − greedy lies above 0, and below 0. */
  readonly planningAboveGreedy: number;
  readonly planningBelowGreedy: number;
  /** The same against the strongest simple policy. */
  readonly planningAboveSimple: number;
  readonly planningBelowSimple: number;
  /** Scenarios where the strongest simple policy's estimate is above planning's. */
  readonly simpleAheadByEstimate: number;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const triple = (interval: ConfidenceInterval | undefined): IntervalTriple =>
  interval === undefined
    ? [Number.NaN, Number.NaN, Number.NaN]
    : [round(interval.estimate), round(interval.low), round(interval.high)];

function summarizeScenario(scenario: PlanningScenarioResult): PlanningScenarioSummary {
  const { policies } = scenario;
  return {
    capUsd: scenario.capUsd,
    deadlineSeconds: scenario.deadlineSeconds,
    planning: triple(policies.planning?.successRate),
    greedy: triple(policies.greedy?.successRate),
    strongestSimple: scenario.strongestSimple,
    simple: triple(policies[scenario.strongestSimple]?.successRate),
    hindsight: round(policies.hindsight?.successRate.estimate ?? Number.NaN),
    planningMinusGreedy: triple(scenario.planningMinusGreedy),
    planningMinusSimple: triple(scenario.planningMinusStrongestSimple),
    spendRatioToGreedy: round(scenario.spendRatioToGreedy),
    planningChoices: policies.planning?.choices ?? {},
    greedyChoices: policies.greedy?.choices ?? {},
  };
}

/**
 * The headline figures of a planning evaluation, as `reins evaluate --json` (field `planning`)
 * and the trajectories bench print them: per scenario the success rates of planning, greedy and
 * the strongest simple policy with their intervals and paired differences; across scenarios how
 * often planning is above or below each, by interval.
 *
 * @param evaluation - from `evaluatePlanning`.
 * @returns plain data.
 * @example
 * ```ts
 * const summary = summarizePlanning(evaluatePlanning(tasks, actions, { scenarios }));
 * ```
 */
export function summarizePlanning(evaluation: PlanningEvaluation): PlanningSummary {
  const scenarios = evaluation.scenarios.map(summarizeScenario);
  const count = (test: (scenario: PlanningScenarioSummary) => boolean) =>
    scenarios.filter(test).length;
  return {
    tasks: evaluation.tasks,
    actions: evaluation.actions,
    folds: evaluation.folds,
    scenarios,
    planningAboveGreedy: count((scenario) => scenario.planningMinusGreedy[1] > 0),
    planningBelowGreedy: count((scenario) => scenario.planningMinusGreedy[2] < 0),
    planningAboveSimple: count((scenario) => scenario.planningMinusSimple[1] > 0),
    planningBelowSimple: count((scenario) => scenario.planningMinusSimple[2] < 0),
    simpleAheadByEstimate: count((scenario) => scenario.planningMinusSimple[0] < 0),
  };
}

/**
 * One line per scenario, for terminals.
 * @example
 * ```ts
 * for (const line of toPlanningLines(summary)) console.log(line);
 * ```
 */
export function toPlanningLines(summary: PlanningSummary): string[] {
  const show = (value: IntervalTriple) => `${value[0]} [${value[1]}, ${value[2]}]`;
  return summary.scenarios.map(
    (scenario) =>
      `cap $${scenario.capUsd}, deadline ${scenario.deadlineSeconds} s: planning ${show(scenario.planning)}, greedy ${scenario.greedy[0]}, ${scenario.strongestSimple} ${scenario.simple[0]}, hindsight ${scenario.hindsight}; planning − greedy ${show(scenario.planningMinusGreedy)}, planning − ${scenario.strongestSimple} ${show(scenario.planningMinusSimple)}`,
  );
}

/**
 * The scenarios `reins evaluate --planning` and the bench use: caps of $1, $4, $8, $16 and $32
 * by deadlines of 60, 300 and 1800 seconds.
 */
export const defaultPlanningScenarios: readonly { capUsd: number; deadlineSeconds: number }[] =
  Object.freeze(
    [1, 4, 8, 16, 32].flatMap((capUsd) =>
      [60, 300, 1800].map((deadlineSeconds) => ({ capUsd, deadlineSeconds })),
    ),
  );
