import { InvalidOptionsError } from '@reins/core';
import type { PlanAction, PlanOutcome } from './plan-action.js';

/** Where a run stands when its plan is made: its limits and what it has used of them. */
export interface PlanState {
  /** The run's cost cap, in US dollars. */
  readonly capUsd: number;
  /** The run's deadline, in seconds from its start. */
  readonly deadlineSeconds: number;
  /** Spent so far, in US dollars. */
  readonly spentUsd: number;
  /** Elapsed so far, in seconds. */
  readonly elapsedSeconds: number;
  /** Model calls completed so far. */
  readonly turnsDone: number;
  /** The run's kind of task, to estimate from past runs of the same kind. */
  readonly kind?: string;
}

/** Options of {@link estimatePlanActions}. */
export interface PlanEstimateOptions {
  /** The uniform generator the draws use: `createRandom(seed)` for reproducible plans. */
  readonly random: () => number;
  /**
   * Monte Carlo draws per action.
   * @defaultValue 1000
   */
  readonly samples?: number;
  /**
   * Past runs of the run's kind an action needs before its estimate uses only them; with fewer,
   * it uses every past run of the action.
   * @defaultValue 20
   */
  readonly minKindSamples?: number;
}

/** Defaults of {@link PlanEstimateOptions}. */
export const defaultPlanEstimateOptions = Object.freeze({ samples: 1000, minKindSamples: 20 });

/** What the Monte Carlo estimate says of one action for the rest of a run. */
export interface PlanActionEstimate {
  readonly action: string;
  /** Past runs the draws came from (those still running after `turnsDone` turns). */
  readonly pool: number;
  /** Whether the pool holds only runs of the run's kind. */
  readonly fromKind: boolean;
  /** Probability of succeeding within both the cap and the deadline. */
  readonly pOnTime: number;
  /** Probability of succeeding whatever the limits. */
  readonly pSuccess: number;
  /** Expected cost of the rest of the run, or `null` with no past run to draw from. */
  readonly meanRemainingUsd: number | null;
  /** Expected time of the rest of the run, or `null` with no past run to draw from. */
  readonly meanRemainingSeconds: number | null;
}

/** The past runs an action's estimate draws from, and whether they are of the run's kind. */
export interface PlanPool {
  readonly outcomes: readonly PlanOutcome[];
  readonly fromKind: boolean;
}

function checkState(state: PlanState): void {
  const fields = [
    ['capUsd', state?.capUsd, 'a positive number of US dollars'],
    ['deadlineSeconds', state?.deadlineSeconds, 'a positive number of seconds'],
    ['spentUsd', state?.spentUsd, 'a number of US dollars ≥ 0'],
    ['elapsedSeconds', state?.elapsedSeconds, 'a number of seconds ≥ 0'],
    ['turnsDone', state?.turnsDone, 'a whole number of model calls ≥ 0'],
  ] as const;
  for (const [field, value, expected] of fields) {
    const positive = field === 'capUsd' || field === 'deadlineSeconds';
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (positive ? value > 0 : value >= 0) &&
      (field !== 'turnsDone' || Number.isInteger(value));
    if (!ok)
      throw new InvalidOptionsError(
        field,
        `The plan state's ${field} is ${String(value)}; use ${expected}.`,
      );
  }
}

/**
 * The past runs an action's estimate draws from: those of the action and of the run's kind when
 * there are at least `minKindSamples` of them, else all of the action's; then only those that
 * made more than `turnsDone` model calls (the runs still going at this point).
 *
 * @param history - past runs.
 * @param action - the action's name.
 * @param state - where the run stands (its `kind` and `turnsDone`).
 * @param minKindSamples - runs of the kind needed to use them alone.
 * @returns the pool and whether it is of the run's kind.
 * @example
 * ```ts
 * const { outcomes } = selectPlanPool(history, 'quick', state, 20);
 * ```
 */
export function selectPlanPool(
  history: readonly PlanOutcome[],
  action: string,
  state: Pick<PlanState, 'kind' | 'turnsDone'>,
  minKindSamples: number,
): PlanPool {
  const ofAction = history.filter((outcome) => outcome.action === action);
  const ofKind =
    state.kind === undefined ? [] : ofAction.filter((outcome) => outcome.kind === state.kind);
  const fromKind = state.kind !== undefined && ofKind.length >= minKindSamples;
  const chosen = fromKind ? ofKind : ofAction;
  return {
    outcomes: chosen.filter((outcome) => outcome.turns > state.turnsDone),
    fromKind,
  };
}

/**
 * Estimates by Monte Carlo, for each action, the chance that the rest of the run succeeds
 * within the cap and the deadline ("On Time, Within Budget", MCPP): each draw picks a past run of
 * the action still going after `turnsDone` turns (see {@link selectPlanPool}); the rest of the
 * run costs and takes its share `(turns − turnsDone) / turns` of that run's cost and time, and
 * counts when the run succeeded and `spentUsd + rest ≤ capUsd` and
 * `elapsedSeconds + rest ≤ deadlineSeconds`.
 *
 * @param history - past runs under the actions.
 * @param actions - the actions to estimate, in order (the draws follow this order).
 * @param state - the limits and what the run has used of them.
 * @param options - the generator, draws per action and the kind threshold.
 * @returns one estimate per action, in the order given.
 * @example
 * ```ts
 * const estimates = estimatePlanActions(history, actions, {
 *   capUsd: 5, deadlineSeconds: 600, spentUsd: 1.5, elapsedSeconds: 200, turnsDone: 12,
 * }, { random: createRandom(1) });
 * ```
 */
export function estimatePlanActions(
  history: readonly PlanOutcome[],
  actions: readonly Pick<PlanAction, 'name'>[],
  state: PlanState,
  options: PlanEstimateOptions,
): PlanActionEstimate[] {
  checkState(state);
  const samples = options.samples ?? defaultPlanEstimateOptions.samples;
  const minKindSamples = options.minKindSamples ?? defaultPlanEstimateOptions.minKindSamples;
  if (!(Number.isInteger(samples) && samples > 0))
    throw new InvalidOptionsError(
      'samples',
      `samples is ${String(samples)}; use a whole number of Monte Carlo draws ≥ 1.`,
    );
  const leftUsd = state.capUsd - state.spentUsd;
  const leftSeconds = state.deadlineSeconds - state.elapsedSeconds;
  return actions.map(({ name }) => {
    const { outcomes, fromKind } = selectPlanPool(history, name, state, minKindSamples);
    if (outcomes.length === 0)
      return {
        action: name,
        pool: 0,
        fromKind,
        pOnTime: 0,
        pSuccess: 0,
        meanRemainingUsd: null,
        meanRemainingSeconds: null,
      };
    let onTime = 0;
    let succeeded = 0;
    let usd = 0;
    let seconds = 0;
    for (let draw = 0; draw < samples; draw += 1) {
      const outcome = outcomes[Math.floor(options.random() * outcomes.length)] as PlanOutcome;
      const share = (outcome.turns - state.turnsDone) / outcome.turns;
      const restUsd = outcome.costUsd * share;
      const restSeconds = outcome.seconds * share;
      usd += restUsd;
      seconds += restSeconds;
      if (outcome.succeeded) {
        succeeded += 1;
        if (restUsd <= leftUsd && restSeconds <= leftSeconds) onTime += 1;
      }
    }
    return {
      action: name,
      pool: outcomes.length,
      fromKind,
      pOnTime: onTime / samples,
      pSuccess: succeeded / samples,
      meanRemainingUsd: usd / samples,
      meanRemainingSeconds: seconds / samples,
    };
  });
}

/**
 * The action to take: the highest chance of succeeding within the cap and the deadline; among
 * equal chances the lower expected cost, then the lower expected time, then the earlier action
 * (an action with no past run to draw from comes last).
 *
 * @param estimates - from {@link estimatePlanActions}, at least one.
 * @returns the chosen estimate.
 * @example
 * ```ts
 * const { action } = choosePlanAction(estimatePlanActions(history, actions, state, { random }));
 * ```
 */
export function choosePlanAction(estimates: readonly PlanActionEstimate[]): PlanActionEstimate {
  let best: PlanActionEstimate | undefined;
  for (const estimate of estimates) {
    if (best === undefined || isBetter(estimate, best)) best = estimate;
  }
  if (best === undefined)
    throw new InvalidOptionsError(
      'estimates',
      'choosePlanAction() got no estimates; give at least one action.',
    );
  return best;
}

function isBetter(candidate: PlanActionEstimate, best: PlanActionEstimate): boolean {
  if (candidate.pOnTime !== best.pOnTime) return candidate.pOnTime > best.pOnTime;
  const usd = compareMean(candidate.meanRemainingUsd, best.meanRemainingUsd);
  if (usd !== 0) return usd < 0;
  return compareMean(candidate.meanRemainingSeconds, best.meanRemainingSeconds) < 0;
}

function compareMean(a: number | null, b: number | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return a - b;
}
