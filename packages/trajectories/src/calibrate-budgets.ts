import { quantile } from './bootstrap.js';
import { normalizeModelId } from './normalize-model-id.js';
import type { Trajectory } from './trajectory.js';
import { trajectoryCost } from './trajectory.js';

/** Turn and cost percentiles of a set of runs, and the turn cap they suggest. */
export interface TurnBudget {
  /** Stop before call `maxTurns + 1`. */
  readonly maxTurns: number;
  /** Runs it was calibrated on. */
  readonly runs: number;
  /** Turn percentiles of all runs. */
  readonly turnPercentiles: Readonly<Record<'p50' | 'p75' | 'p90' | 'p95' | 'p99', number>>;
  /** Cost percentiles (USD) of all runs. */
  readonly costPercentiles: Readonly<Record<'p50' | 'p75' | 'p90' | 'p95' | 'p99', number>>;
  /** Fraction of resolved runs the cap would stop (on the calibration runs). */
  readonly resolvedLostFraction: number;
}

/** Options of {@link calibrateTurnBudgets}. */
export interface CalibrateTurnBudgetsOptions {
  /**
   * Largest fraction of resolved runs the cap may stop. With no resolved runs known, the cap is
   * the `1 - maxResolvedLoss` percentile of all runs' turns.
   * @defaultValue 0.03
   */
  readonly maxResolvedLoss?: number;
  /**
   * Model-name overrides; names are normalised (see `normalizeModelId`) before grouping.
   * @defaultValue none
   */
  readonly modelAliases?: Readonly<Record<string, string>>;
  /**
   * A model needs this many runs for a budget of its own; fewer runs share the overall budget.
   * @defaultValue 30
   */
  readonly minRunsPerModel?: number;
}

/**
 * Calibrates turn budgets from recorded runs, overall and per model (normalised names, models
 * with at least `minRunsPerModel` runs): the turn and cost percentiles, and the smallest turn cap
 * that stops at most `maxResolvedLoss` of resolved runs (a resolved run of `n` turns is stopped
 * by any cap below `n`). These caps are in-sample; `calibratePolicy` chooses caps that hold on
 * unseen runs.
 *
 * @param trajectories - recorded runs.
 * @param options - the loss target.
 * @returns the overall budget and one per model id.
 * @example
 * ```ts
 * const { overall, perModel } = calibrateTurnBudgets(trajectories, { maxResolvedLoss: 0.03 });
 * ```
 */
export function calibrateTurnBudgets(
  trajectories: readonly Trajectory[],
  options: CalibrateTurnBudgetsOptions = {},
): { overall: TurnBudget; perModel: Record<string, TurnBudget> } {
  const maxResolvedLoss = options.maxResolvedLoss ?? 0.03;
  const perModel: Record<string, TurnBudget> = {};
  for (const [model, runs] of groupByModel(trajectories, options)) {
    const turns = runs.map((run) => run.turns.length).sort((a, b) => a - b);
    const resolvedTurns = runs
      .filter((run) => run.outcome.resolved === true)
      .map((run) => run.turns.length)
      .sort((a, b) => a - b);
    let maxTurns: number;
    if (resolvedTurns.length === 0) {
      maxTurns = Math.ceil(quantile(turns, 1 - maxResolvedLoss) || 1);
    } else {
      // The largest number of resolved runs allowed above the cap.
      const allowed = Math.floor(maxResolvedLoss * resolvedTurns.length + 1e-9);
      maxTurns = resolvedTurns[resolvedTurns.length - 1 - allowed] as number;
    }
    perModel[model] = describeTurnBudget(runs, maxTurns);
  }
  const { '': overall, ...models } = perModel;
  return { overall: overall as TurnBudget, perModel: models };
}

/**
 * The runs grouped by normalised model name, models with too few runs left out; all runs under
 * the key `''`.
 */
export function groupByModel(
  trajectories: readonly Trajectory[],
  options: Pick<CalibrateTurnBudgetsOptions, 'modelAliases' | 'minRunsPerModel'> = {},
): Map<string, Trajectory[]> {
  const byModel = new Map<string, Trajectory[]>([['', [...trajectories]]]);
  for (const trajectory of trajectories) {
    const model = normalizeModelId(trajectory.model?.modelId, options.modelAliases);
    byModel.set(model, [...(byModel.get(model) ?? []), trajectory]);
  }
  for (const [model, runs] of byModel)
    if (model !== '' && runs.length < (options.minRunsPerModel ?? 30)) byModel.delete(model);
  return byModel;
}

/**
 * A turn budget of `maxTurns` described on the runs it applies to: their turn and cost
 * percentiles and the fraction of their resolved runs the cap stops.
 * @example
 * ```ts
 * const budget = describeTurnBudget(runs, 58);
 * ```
 */
export function describeTurnBudget(runs: readonly Trajectory[], cap: number): TurnBudget {
  const maxTurns = Math.max(1, Math.round(cap));
  const turns = runs.map((run) => run.turns.length).sort((a, b) => a - b);
  const costs = runs.map(trajectoryCost).sort((a, b) => a - b);
  const resolvedTurns = runs
    .filter((run) => run.outcome.resolved === true)
    .map((run) => run.turns.length);
  const percentiles = (values: readonly number[]) => ({
    p50: quantile(values, 0.5) || 0,
    p75: quantile(values, 0.75) || 0,
    p90: quantile(values, 0.9) || 0,
    p95: quantile(values, 0.95) || 0,
    p99: quantile(values, 0.99) || 0,
  });
  const lost = resolvedTurns.filter((count) => count > maxTurns).length;
  return {
    maxTurns,
    runs: runs.length,
    turnPercentiles: percentiles(turns),
    costPercentiles: percentiles(costs),
    resolvedLostFraction: resolvedTurns.length === 0 ? 0 : lost / resolvedTurns.length,
  };
}
