import { predictProbability } from '../logistic-regression.js';
import type { Policy } from '../policy.js';
import {
  applyStopRule,
  chooseThreshold,
  type StopRuleOutcome,
  type ThresholdPoint,
  toScoredRunInput,
  toStopRuleOutcome,
} from '../train-failure-scorer.js';
import type { Trajectory } from '../trajectory.js';

/** One point of the turn-cap curve: every run stopped after `maxTurns` calls. */
export interface TurnCapPoint extends StopRuleOutcome {
  readonly maxTurns: number;
}

/** What {@link createThresholdCurves} returns: saved-versus-lost curves on a set of runs. */
export interface ThresholdCurves {
  /** The policy's scorer at every candidate threshold, highest threshold first. */
  readonly scorer: readonly ThresholdPoint[];
  /** The policy's own threshold on these runs; absent when the policy has no scorer. */
  readonly chosen?: ThresholdPoint;
  /** A plain turn cap at every cap from 1 to the longest run, the baseline to beat. */
  readonly turnCap: readonly TurnCapPoint[];
}

/**
 * Saved-versus-lost curves of a policy on recorded runs: for each threshold of the policy's
 * failure scorer (and for each plain turn cap), the share of unresolved runs' cost saved and the
 * share of resolved runs stopped. Only runs with a known outcome count.
 *
 * On the runs the policy was calibrated on, the scorer's curve is in-sample (optimistic); the
 * policy's `evidence` holds the cross-validated figures.
 *
 * @param trajectories - recorded runs.
 * @param policy - a policy from `calibratePolicy` or `readPolicy`.
 * @returns both curves and the policy's point.
 * @example
 * ```ts
 * const { scorer, chosen, turnCap } = createThresholdCurves(trajectories, policy);
 * ```
 */
export function createThresholdCurves(
  trajectories: readonly Trajectory[],
  policy: Policy,
): ThresholdCurves {
  const inputs = trajectories.flatMap((trajectory) => toScoredRunInput(trajectory) ?? []);
  const turnCap = turnCapCurve(inputs);
  const model = policy.scorer;
  if (model === undefined) return { scorer: [], turnCap };
  const scored = inputs.map((run) => ({
    resolved: run.resolved,
    scores: run.features.map((features) => predictProbability(model, features)),
    costs: run.costs,
  }));
  const { curve } = chooseThreshold(scored, {
    maxResolvedLoss: policy.evidence?.maxResolvedLoss ?? 0.03,
    minTurn: model.minTurn,
  });
  const chosen = {
    threshold: model.threshold,
    ...applyStopRule(scored, { threshold: model.threshold, minTurn: model.minTurn }),
  };
  return { scorer: curve, chosen, turnCap };
}

function turnCapCurve(
  runs: readonly { readonly resolved: boolean; readonly costs: readonly number[] }[],
): TurnCapPoint[] {
  const longest = runs.reduce((most, run) => Math.max(most, run.costs.length), 0);
  const points: TurnCapPoint[] = [];
  for (let cap = longest; cap >= 1; cap -= 1) {
    let resolved = 0;
    let unresolvedCostUsd = 0;
    let savedOnUnresolvedUsd = 0;
    let savedUsd = 0;
    let runsStopped = 0;
    let resolvedLost = 0;
    for (const run of runs) {
      let total = 0;
      let saved = 0;
      run.costs.forEach((cost, index) => {
        total += cost;
        if (index >= cap) saved += cost;
      });
      const stopped = run.costs.length > cap;
      savedUsd += saved;
      if (stopped) runsStopped += 1;
      if (run.resolved) {
        resolved += 1;
        if (stopped) resolvedLost += 1;
      } else {
        unresolvedCostUsd += total;
        savedOnUnresolvedUsd += saved;
      }
    }
    points.push({
      maxTurns: cap,
      ...toStopRuleOutcome({
        runs: runs.length,
        resolved,
        unresolvedCostUsd,
        savedOnUnresolvedUsd,
        savedUsd,
        runsStopped,
        resolvedLost,
      }),
    });
  }
  return points;
}
