import { turnFeatureNames } from '@reins/controller';
import { createRandom } from './bootstrap.js';
import { describeTurnBudget, groupByModel } from './calibrate-budgets.js';
import { estimateHeldOut, type HeldOutEstimate } from './held-out-estimate.js';
import type { Policy } from './policy.js';
import {
  applyStopPolicy,
  canTrainScorer,
  fitFailureModel,
  outOfFoldScores,
  type PolicyRung,
  type PreparedRun,
  policyRungs,
  prepareRuns,
  type RunStopOutcome,
  type StopPolicy,
  type StopPolicySettings,
  selectStopPolicy,
} from './stop-policy.js';
import { assignFolds } from './train-failure-scorer.js';
import type { Trajectory } from './trajectory.js';

/** Options of {@link calibratePolicy}. */
export interface CalibratePolicyOptions {
  /**
   * Largest fraction of resolved runs the policy may stop, held by the upper end of the interval.
   * @defaultValue 0.03
   */
  readonly maxResolvedLoss?: number;
  /** Cross-validation folds (outer, and inner for choosing thresholds). @defaultValue 5 */
  readonly folds?: number;
  /** Repeats of the outer cross-validation, each with another fold assignment. @defaultValue 3 */
  readonly repeats?: number;
  /** Coverage of the printed intervals. @defaultValue 0.95 */
  readonly confidence?: number;
  /**
   * One-sided confidence with which the selection procedure keeps resolved runs lost under the
   * target on the runs it chooses on (a binomial upper bound).
   * @defaultValue 0.95
   */
  readonly selectionConfidence?: number;
  /** The number of unseen runs the intervals are for. @defaultValue the runs with outcomes */
  readonly predictionRuns?: number;
  /** First turn after which the scorer may stop a run. @defaultValue 5 */
  readonly minTurn?: number;
  /** L2 penalty of the scorer. @defaultValue 1 */
  readonly l2?: number;
  /** Seed of the fold assignments and the interval draws. @defaultValue 1 */
  readonly seed?: number;
  /** A model needs this many runs for a cap of its own. @defaultValue 30 */
  readonly minRunsPerModel?: number;
  /** Model-name overrides (see `normalizeModelId`), written into the policy. @defaultValue none */
  readonly modelAliases?: Readonly<Record<string, string>>;
  /** The calibration time written in the policy. @defaultValue now */
  readonly now?: () => Date;
}

/** Defaults of {@link CalibratePolicyOptions}. */
export const defaultCalibratePolicyOptions: Readonly<
  Required<Omit<CalibratePolicyOptions, 'predictionRuns' | 'modelAliases' | 'now'>>
> = Object.freeze({
  maxResolvedLoss: 0.03,
  folds: 5,
  repeats: 3,
  confidence: 0.95,
  selectionConfidence: 0.95,
  minTurn: 5,
  l2: 1,
  seed: 1,
  minRunsPerModel: 30,
});

/** One rung's evidence: its held-out estimate, or why it was not tried. */
export interface RungEvidence {
  readonly rung: PolicyRung;
  readonly estimate?: HeldOutEstimate;
  /** Why the rung was not tried or not written. */
  readonly rejected?: string;
}

/** What {@link calibratePolicy} returns: the policy and plain-data evidence for `--json`. */
export interface CalibrationResult {
  readonly policy: Policy;
  /** The rung written. */
  readonly rung: PolicyRung;
  /** What the written policy is expected to do on unseen runs. */
  readonly estimate: HeldOutEstimate;
  /** Every rung's estimate, boldest first. */
  readonly rungs: readonly RungEvidence[];
  /** Why a bolder policy was not written; absent when the boldest was. */
  readonly thinEvidence?: string;
  /** The policy written: one chosen in cross-validation (see `calibratePolicy`). */
  readonly chosen: StopPolicy;
}

/**
 * Calibrates a policy from recorded runs so that its figures hold on runs it has not seen.
 *
 * The selection procedure (see `selectStopPolicy`) chooses a per-model turn cap and the
 * predicted-failure scorer's threshold jointly, against one loss target. Repeated nested
 * cross-validation runs that whole procedure (scorer training, inner out-of-fold scoring, the
 * joint choice) on each training part and applies its policy to the held-out part; the held-out
 * outcomes give an estimate with an interval for `predictionRuns` unseen runs, drawn fold by fold
 * (one trained policy at a time). The policy written is one of those cross-validated policies,
 * trained on (folds − 1)/folds of the runs, so the estimate describes it. The boldest rung
 * (cap and scorer, then cap alone, then the safest cap) whose interval keeps resolved runs lost
 * at or under the target, and that saved something on held-out runs, is written; when none can, the safest is written and `thinEvidence`
 * says why.
 *
 * @param trajectories - recorded runs with outcomes.
 * @param options - loss target, folds, repeats, confidences, seed, model aliases.
 * @returns the policy and the evidence.
 * @example
 * ```ts
 * const { policy, estimate } = calibratePolicy(trajectories, { maxResolvedLoss: 0.03 });
 * await writePolicy('policy.json', policy);
 * ```
 */
export function calibratePolicy(
  trajectories: readonly Trajectory[],
  options: CalibratePolicyOptions = {},
): CalibrationResult {
  const settings = { ...defaultCalibratePolicyOptions, ...options };
  const aliases = options.modelAliases ?? {};
  const runs = prepareRuns(trajectories, aliases);
  const selection: StopPolicySettings = {
    maxResolvedLoss: settings.maxResolvedLoss,
    selectionConfidence: settings.selectionConfidence,
    folds: settings.folds,
    minTurn: settings.minTurn,
    l2: settings.l2,
    minRunsPerModel: settings.minRunsPerModel,
    seed: settings.seed,
  };
  const validation = crossValidateRungs(runs, selection, settings.repeats);
  const predictionRuns = settings.predictionRuns ?? runs.length;
  const target = settings.maxResolvedLoss;
  const rungs: RungEvidence[] = [];
  let written: { rung: PolicyRung; estimate: HeldOutEstimate; chosen: StopPolicy } | undefined;
  const reasons: string[] = [];
  for (const rung of policyRungs) {
    if (rung === 'cap-and-scorer' && !canTrainScorer(runs, settings.folds)) {
      const failed = runs.filter((run) => !run.resolved).length;
      const rejected = `too few runs of each outcome to train the scorer across ${settings.folds} folds (${runs.length - failed} resolved, ${failed} unresolved)`;
      rungs.push({ rung, rejected });
      reasons.push(rejected);
      continue;
    }
    const foldPolicies = validation.get(rung) ?? [];
    const estimate = estimateHeldOut(
      foldPolicies.map((repeat) => repeat.map((fold) => fold.heldOut)),
      {
        predictionRuns,
        confidence: settings.confidence,
        seed: settings.seed,
        folds: settings.folds,
      },
    );
    if (written !== undefined) {
      rungs.push({ rung, estimate });
      continue;
    }
    const bound = estimate.resolvedLostUpperBound;
    if (rung !== 'safest' && bound > target) {
      const rejected = `${describeRung(rung)} would lose ${percent(estimate.resolvedLostFraction.estimate)} of resolved runs, possibly up to ${percent(bound)} (one-sided ${percent(settings.confidence)} upper bound), above the ${percent(target)} target`;
      rungs.push({ rung, estimate, rejected });
      reasons.push(rejected);
      continue;
    }
    if (rung !== 'safest' && estimate.savedFractionOfUnresolvedCost.high <= 0) {
      // Nothing held out was stopped: no evidence of a saving, only the risk of one stop.
      const rejected = `${describeRung(rung)} saved nothing on the held-out runs of cross-validation, so there is no evidence it saves anything on unseen runs`;
      rungs.push({ rung, estimate, rejected });
      reasons.push(rejected);
      continue;
    }
    const chosen = chooseWrittenPolicy(runs, rung, foldPolicies.flat(), selection);
    if (chosen === undefined) {
      const rejected = `no policy chosen in cross-validation could show a loss under ${percent(target)} with ${percent(settings.selectionConfidence)} confidence on the runs it was chosen on`;
      rungs.push({ rung, estimate, rejected });
      reasons.push(rejected);
      continue;
    }
    rungs.push({ rung, estimate });
    written = { rung, estimate, chosen };
  }
  const result = written as { rung: PolicyRung; estimate: HeldOutEstimate; chosen: StopPolicy };
  const capRung = rungs.find((entry) => entry.rung === 'cap')?.estimate;
  const policy = toPolicy(trajectories, result, {
    settings,
    aliases,
    runs,
    ...(capRung === undefined ? {} : { capRung }),
    ...(reasons.length === 0 ? {} : { thinEvidence: reasons.join('; ') }),
  });
  return {
    policy,
    rung: result.rung,
    estimate: result.estimate,
    rungs,
    ...(reasons.length === 0 ? {} : { thinEvidence: reasons.join('; ') }),
    chosen: result.chosen,
  };
}

/** One policy chosen in cross-validation and its held-out fold's outcomes under it. */
interface FoldPolicy {
  readonly policy: StopPolicy;
  readonly heldOut: readonly RunStopOutcome[];
}

/** Per rung, per repeat, per fold: the policy chosen without the fold, and the fold under it. */
type CrossValidation = Map<PolicyRung, FoldPolicy[][]>;

/**
 * Repeated cross-validation of the selection procedure: per rung, repeat and fold, the policy
 * chosen without the fold and every run of the fold under it.
 */
function crossValidateRungs(
  runs: readonly PreparedRun[],
  settings: StopPolicySettings,
  repeats: number,
): CrossValidation {
  const validation: CrossValidation = new Map(
    policyRungs.map((rung) => [rung, Array.from({ length: repeats }, () => [])]),
  );
  const scorable = canTrainScorer(runs, settings.folds);
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const seed = settings.seed + 1009 * repeat;
    const assignment = assignFolds(runs, settings.folds, seed);
    for (let fold = 0; fold < settings.folds; fold += 1) {
      const train = runs.filter((_, index) => assignment[index] !== fold);
      const test = runs.filter((_, index) => assignment[index] === fold);
      if (test.length === 0) continue;
      const trainScorer = scorable && canTrainScorer(train, settings.folds);
      const inner = { ...settings, seed: seed + fold + 1 };
      const scores = trainScorer
        ? outOfFoldScores(train, settings.folds, inner.seed, settings.l2)
        : undefined;
      const model = trainScorer ? fitFailureModel(train, settings.l2) : undefined;
      for (const rung of policyRungs) {
        if (rung === 'cap-and-scorer' && !scorable) continue;
        const policy = selectStopPolicy(train, rung, inner, scores, model);
        const heldOut = test.map((run) => applyStopPolicy(policy, run));
        ((validation.get(rung) as FoldPolicy[][])[repeat] as FoldPolicy[]).push({
          policy,
          heldOut,
        });
      }
    }
  }
  return validation;
}

/**
 * The policy written for a rung: one of the policies cross-validation chose, so that the printed
 * estimate (drawn fold by fold from exactly such policies) describes the policy written. A policy
 * chosen again on all runs would be bolder than any the estimate saw: more runs certify more stops.
 * Among the certified policies, those that lost the fewest resolved runs of their held-out fold,
 * one picked with the seed. The safest rung is chosen on all runs (twice the longest run seen).
 */
function chooseWrittenPolicy(
  runs: readonly PreparedRun[],
  rung: PolicyRung,
  folds: readonly FoldPolicy[],
  settings: StopPolicySettings,
): StopPolicy | undefined {
  if (rung === 'safest') return selectStopPolicy(runs, rung, settings);
  const certified = folds.filter((fold) => fold.policy.certified);
  if (certified.length === 0) return undefined;
  const lostOf = (fold: FoldPolicy) =>
    fold.heldOut.filter((outcome) => outcome.resolved && outcome.stopped).length;
  const fewest = Math.min(...certified.map(lostOf));
  const candidates = certified.filter((fold) => lostOf(fold) === fewest);
  const pick = Math.floor(createRandom(settings.seed)() * candidates.length);
  return (candidates[pick] as FoldPolicy).policy;
}

function toPolicy(
  trajectories: readonly Trajectory[],
  written: { rung: PolicyRung; estimate: HeldOutEstimate; chosen: StopPolicy },
  context: {
    readonly settings: typeof defaultCalibratePolicyOptions & Pick<CalibratePolicyOptions, 'now'>;
    readonly aliases: Readonly<Record<string, string>>;
    readonly runs: readonly PreparedRun[];
    readonly capRung?: HeldOutEstimate;
    readonly thinEvidence?: string;
  },
): Policy {
  const { settings, aliases, runs } = context;
  const known = trajectories.filter((run) => run.outcome.resolved !== undefined);
  const groups = groupByModel(known, {
    modelAliases: aliases,
    minRunsPerModel: settings.minRunsPerModel,
  });
  const { caps, scorer } = written.chosen;
  const perModel: Policy['budgets']['turns']['perModel'] = {};
  for (const [model, cap] of Object.entries(caps.perModel))
    perModel[model] = describeTurnBudget(groups.get(model) ?? [], cap);
  const { estimate } = written;
  return {
    format: 'reins.policy',
    version: 1,
    createdAt: (settings.now?.() ?? new Date()).toISOString(),
    ...(Object.keys(aliases).length === 0 ? {} : { modelAliases: { ...aliases } }),
    budgets: {
      turns: { default: describeTurnBudget(known, caps.overall), perModel },
    },
    ...(scorer === undefined
      ? {}
      : {
          scorer: {
            kind: 'logistic' as const,
            features: [...turnFeatureNames],
            weights: [...scorer.weights],
            bias: scorer.bias,
            means: [...scorer.means],
            scales: [...scorer.scales],
            threshold: scorer.threshold,
            minTurn: scorer.minTurn,
          },
        }),
    evidence: {
      runs: runs.length,
      resolved: runs.filter((run) => run.resolved).length,
      maxResolvedLoss: settings.maxResolvedLoss,
      folds: settings.folds,
      savedFractionOfUnresolvedCost: estimate.savedFractionOfUnresolvedCost.estimate,
      resolvedLostFraction: estimate.resolvedLostFraction.estimate,
      ...(context.capRung === undefined
        ? {}
        : {
            turnCapSavedFractionOfUnresolvedCost:
              context.capRung.savedFractionOfUnresolvedCost.estimate,
            turnCapResolvedLostFraction: context.capRung.resolvedLostFraction.estimate,
          }),
      rung: written.rung,
      heldOut: estimate,
      ...(context.thinEvidence === undefined ? {} : { thinEvidence: context.thinEvidence }),
    },
  };
}

/** How a rung is named in messages. */
export function describeRung(rung: PolicyRung): string {
  return rung === 'cap-and-scorer'
    ? 'the turn cap with the predicted-failure scorer'
    : rung === 'cap'
      ? 'the turn cap alone'
      : 'the safest cap';
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
