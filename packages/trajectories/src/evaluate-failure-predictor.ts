import { turnFeatureNames } from '@reins/controller';
import { predictProbability } from './logistic-regression.js';
import { fitFailureModel, type PreparedRun, prepareRuns } from './stop-policy.js';
import { assignFolds } from './train-failure-scorer.js';
import type { Trajectory } from './trajectory.js';

/** How well the predicted-failure scorer separates failing from succeeding runs' turns. */
export interface PredictorScore {
  /** Area under the ROC curve over every turn (labelled with its run's outcome); 0.5 is chance. */
  readonly auc: number;
  readonly runs: number;
  readonly turns: number;
}

/** One feature's signal. */
export interface FeatureSignal {
  readonly feature: string;
  /** Its AUC alone over every turn of every run (below 0.5: higher values mean success). */
  readonly auc: number;
  /** Its AUC alone within each dataset. */
  readonly aucByDataset: Readonly<Record<string, number>>;
  /**
   * Mean distance of its within-dataset AUCs from chance (0.5): the signal it carries whatever
   * the agent. The pooled `auc` can mislead when datasets differ in both feature and outcome.
   */
  readonly signal: number;
  /** Its weight in the scorer trained on every run (standardized: comparable across features). */
  readonly weight: number;
}

/** What {@link evaluateFailurePredictor} returns. */
export interface FailurePredictorEvaluation {
  readonly datasets: readonly {
    readonly name: string;
    readonly runs: number;
    readonly resolved: number;
  }[];
  /** Trained on every other dataset, scored on this one. */
  readonly leaveOneDatasetOut: readonly (PredictorScore & { readonly heldOut: string })[];
  /** Cross-validated within each dataset (runs of one dataset only). */
  readonly withinDataset: readonly (PredictorScore & { readonly dataset: string })[];
  /** Every feature, strongest `signal` first. */
  readonly features: readonly FeatureSignal[];
}

/**
 * Evaluates the predicted-failure scorer across agents and models: trained on every labelled run
 * of all datasets but one and scored on the one left out, and cross-validated within each
 * dataset; and reports which features carry the signal (each alone, and its weight in the scorer
 * trained on every run).
 *
 * @param datasets - labelled runs by dataset name (e.g. mini-swe-agent, SWE-agent Java, tau-bench).
 * @param options - folds for within-dataset cross-validation, L2 penalty, seed.
 * @example
 * ```ts
 * const evaluation = evaluateFailurePredictor({ 'mini-swe-agent': runs, 'tau-bench': conversations });
 * ```
 */
export function evaluateFailurePredictor(
  datasets: Readonly<Record<string, readonly Trajectory[]>>,
  options: { readonly folds?: number; readonly l2?: number; readonly seed?: number } = {},
): FailurePredictorEvaluation {
  const folds = options.folds ?? 5;
  const l2 = options.l2 ?? 1;
  const seed = options.seed ?? 1;
  const prepared = Object.entries(datasets).map(([name, runs]) => ({
    name,
    runs: prepareRuns(runs),
  }));
  const leaveOneDatasetOut = prepared.flatMap(({ name, runs }) => {
    const train = prepared.filter((other) => other.name !== name).flatMap((other) => other.runs);
    if (!hasBothOutcomes(train) || !hasBothOutcomes(runs)) return [];
    return [{ heldOut: name, ...scoreRuns(fitFailureModel(train, l2), runs) }];
  });
  const withinDataset = prepared.flatMap(({ name, runs }) => {
    const failed = runs.filter((run) => !run.resolved).length;
    const k = Math.min(folds, failed, runs.length - failed);
    if (k < 2) return [];
    const assignment = assignFolds(runs, k, seed);
    const scored: { scores: number[]; resolved: boolean }[] = [];
    for (let fold = 0; fold < k; fold += 1) {
      const model = fitFailureModel(
        runs.filter((_, index) => assignment[index] !== fold),
        l2,
      );
      runs.forEach((run, index) => {
        if (assignment[index] === fold)
          scored.push({
            resolved: run.resolved,
            scores: run.features.map((features) => predictProbability(model, features)),
          });
      });
    }
    return [{ dataset: name, ...turnAuc(scored) }];
  });
  const all = prepared.flatMap((entry) => entry.runs);
  const model = hasBothOutcomes(all) ? fitFailureModel(all, l2) : undefined;
  const features = turnFeatureNames
    .map((feature, index) => {
      const column = (runs: readonly PreparedRun[]) =>
        turnAuc(
          runs.map((run) => ({
            resolved: run.resolved,
            scores: run.features.map((vector) => vector[index] as number),
          })),
        ).auc;
      const byDataset = prepared.map(({ name, runs }) => [name, column(runs)] as const);
      const known = byDataset.map(([, auc]) => auc).filter((auc) => !Number.isNaN(auc));
      return {
        feature,
        auc: column(all),
        aucByDataset: Object.fromEntries(byDataset),
        signal:
          known.length === 0
            ? 0
            : known.reduce((sum, auc) => sum + Math.abs(auc - 0.5), 0) / known.length,
        weight: model?.weights[index] ?? 0,
      };
    })
    .sort((a, b) => b.signal - a.signal);
  return {
    datasets: prepared.map(({ name, runs }) => ({
      name,
      runs: runs.length,
      resolved: runs.filter((run) => run.resolved).length,
    })),
    leaveOneDatasetOut,
    withinDataset,
    features,
  };
}

function hasBothOutcomes(runs: readonly PreparedRun[]): boolean {
  return runs.some((run) => run.resolved) && runs.some((run) => !run.resolved);
}

function scoreRuns(
  model: Parameters<typeof predictProbability>[0],
  runs: readonly PreparedRun[],
): PredictorScore {
  return turnAuc(
    runs.map((run) => ({
      resolved: run.resolved,
      scores: run.features.map((features) => predictProbability(model, features)),
    })),
  );
}

/**
 * The area under the ROC curve of scores for "failed", every turn counted (the Mann–Whitney
 * statistic, ties counted half).
 * @example
 * ```ts
 * turnAuc([{ resolved: false, scores: [0.9] }, { resolved: true, scores: [0.1] }]).auc; // 1
 * ```
 */
export function turnAuc(
  runs: readonly { readonly resolved: boolean; readonly scores: readonly number[] }[],
): PredictorScore {
  const items = runs.flatMap((run) =>
    run.scores.map((score) => ({ score, failed: !run.resolved })),
  );
  items.sort((a, b) => a.score - b.score);
  let rankSumFailed = 0;
  let failed = 0;
  for (let start = 0; start < items.length; ) {
    let end = start;
    while (
      end + 1 < items.length &&
      (items[end + 1] as (typeof items)[number]).score ===
        (items[start] as (typeof items)[number]).score
    )
      end += 1;
    const rank = (start + end) / 2 + 1;
    for (let index = start; index <= end; index += 1) {
      if ((items[index] as (typeof items)[number]).failed) {
        rankSumFailed += rank;
        failed += 1;
      }
    }
    start = end + 1;
  }
  const succeeded = items.length - failed;
  const auc =
    failed === 0 || succeeded === 0
      ? Number.NaN
      : (rankSumFailed - (failed * (failed + 1)) / 2) / (failed * succeeded);
  return { auc, runs: runs.length, turns: items.length };
}
