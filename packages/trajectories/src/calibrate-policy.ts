import { type CalibrateTurnBudgetsOptions, calibrateTurnBudgets } from './calibrate-budgets.js';
import type { Policy } from './policy.js';
import {
  assignFolds,
  type FailureScorerTraining,
  type StopRuleOutcome,
  type TrainFailureScorerOptions,
  toStopRuleOutcome,
  trainFailureScorer,
} from './train-failure-scorer.js';
import type { Trajectory } from './trajectory.js';
import { turnFeatureNames } from './turn-features.js';

/** Options of {@link calibratePolicy}. */
export interface CalibratePolicyOptions
  extends TrainFailureScorerOptions,
    CalibrateTurnBudgetsOptions {
  /** The calibration time written in the policy. @defaultValue now */
  readonly now?: () => Date;
}

/** What {@link calibratePolicy} returns: the policy and plain-data evidence for `--json`. */
export interface CalibrationResult {
  readonly policy: Policy;
  /** The scorer's training, with nested cross-validated results and the threshold curve. */
  readonly scorer: FailureScorerTraining;
  /** The per-model turn cap alone, cross-validated the same way (the baseline to beat). */
  readonly turnCap: StopRuleOutcome;
}

/**
 * Calibrates a policy from recorded runs: turn budgets from turn percentiles (per model), and
 * the predicted-failure scorer with its threshold, each chosen so that the resolved-run loss
 * stays under `maxResolvedLoss`. Reports both cross-validated: the scorer (nested folds) and a
 * plain turn cap (calibrated on the training folds, applied to the held-out fold).
 *
 * @param trajectories - recorded runs with outcomes.
 * @param options - loss target, folds, first eligible turn, penalty, seed.
 * @returns the policy and the evidence.
 * @example
 * ```ts
 * const { policy, scorer } = calibratePolicy(trajectories, { maxResolvedLoss: 0.03 });
 * await writePolicy('policy.json', policy);
 * ```
 */
export function calibratePolicy(
  trajectories: readonly Trajectory[],
  options: CalibratePolicyOptions = {},
): CalibrationResult {
  const maxResolvedLoss = options.maxResolvedLoss ?? 0.03;
  const folds = options.folds ?? 5;
  const scorer = trainFailureScorer(trajectories, options);
  const budgets = calibrateTurnBudgets(trajectories, { maxResolvedLoss });
  const turnCap = crossValidateTurnCap(trajectories, folds, options.seed ?? 1, maxResolvedLoss);
  const known = trajectories.filter((run) => run.outcome.resolved !== undefined);
  const { weights, bias, means, scales, threshold, minTurn } = scorer.scorer;
  const policy: Policy = {
    format: 'reins.policy',
    version: 1,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    budgets: { turns: { default: budgets.overall, perModel: budgets.perModel } },
    scorer: {
      kind: 'logistic',
      features: [...turnFeatureNames],
      weights: [...weights],
      bias,
      means: [...means],
      scales: [...scales],
      threshold,
      minTurn,
    },
    evidence: {
      runs: known.length,
      resolved: known.filter((run) => run.outcome.resolved === true).length,
      maxResolvedLoss,
      folds,
      savedFractionOfUnresolvedCost: scorer.crossValidated.savedFractionOfUnresolvedCost,
      resolvedLostFraction: scorer.crossValidated.resolvedLostFraction,
      turnCapSavedFractionOfUnresolvedCost: turnCap.savedFractionOfUnresolvedCost,
      turnCapResolvedLostFraction: turnCap.resolvedLostFraction,
    },
  };
  return { policy, scorer, turnCap };
}

/** A per-model turn cap calibrated on the other folds and applied to each held-out fold. */
function crossValidateTurnCap(
  trajectories: readonly Trajectory[],
  folds: number,
  seed: number,
  maxResolvedLoss: number,
): StopRuleOutcome {
  const known = trajectories.filter((run) => run.outcome.resolved !== undefined);
  const assignment = assignFolds(
    known.map((run) => ({ resolved: run.outcome.resolved === true })),
    folds,
    seed,
  );
  let resolved = 0;
  let unresolvedCostUsd = 0;
  let savedOnUnresolvedUsd = 0;
  let savedUsd = 0;
  let runsStopped = 0;
  let resolvedLost = 0;
  for (let fold = 0; fold < folds; fold += 1) {
    const budgets = calibrateTurnBudgets(
      known.filter((_, index) => assignment[index] !== fold),
      { maxResolvedLoss },
    );
    known.forEach((run, index) => {
      if (assignment[index] !== fold) return;
      const cap = (budgets.perModel[run.model?.modelId ?? 'unknown'] ?? budgets.overall).maxTurns;
      const costs = run.turns.map((turn) => turn.usage?.costUsd ?? 0);
      const total = costs.reduce((sum, cost) => sum + cost, 0);
      const saved = costs.slice(cap).reduce((sum, cost) => sum + cost, 0);
      const stopped = run.turns.length > cap;
      savedUsd += saved;
      if (stopped) runsStopped += 1;
      if (run.outcome.resolved === true) {
        resolved += 1;
        if (stopped) resolvedLost += 1;
      } else {
        unresolvedCostUsd += total;
        savedOnUnresolvedUsd += saved;
      }
    });
  }
  return toStopRuleOutcome({
    runs: known.length,
    resolved,
    unresolvedCostUsd,
    savedOnUnresolvedUsd,
    savedUsd,
    runsStopped,
    resolvedLost,
  });
}
