import { binomialUpperBound } from './binomial-upper-bound.js';
import {
  type LogisticModel,
  predictProbability,
  trainLogisticRegression,
} from './logistic-regression.js';
import { normalizeModelId } from './normalize-model-id.js';
import { assignFolds, toScoredRunInput } from './train-failure-scorer.js';
import type { Trajectory } from './trajectory.js';

/** A run prepared once for calibration: its normalised model, label, features and costs. */
export interface PreparedRun {
  readonly id: string;
  /** The normalised model name (see `normalizeModelId`). */
  readonly model: string;
  readonly resolved: boolean;
  /** One feature vector per turn. */
  readonly features: readonly (readonly number[])[];
  /** Cost of each turn (USD). */
  readonly costs: readonly number[];
}

/**
 * Prepares the runs with a known outcome for calibration.
 * @param trajectories - recorded runs; those without an outcome are left out.
 * @param aliases - model-name overrides for `normalizeModelId`.
 * @example
 * ```ts
 * const runs = prepareRuns(trajectories, { 'gpt-4o-mini': 'gpt-4o' });
 * ```
 */
export function prepareRuns(
  trajectories: readonly Trajectory[],
  aliases: Readonly<Record<string, string>> = {},
): PreparedRun[] {
  return trajectories.flatMap((trajectory) => {
    let input = prepared.get(trajectory);
    if (input === undefined) {
      input = toScoredRunInput(trajectory) ?? null;
      prepared.set(trajectory, input);
    }
    if (input === null) return [];
    return [{ ...input, model: normalizeModelId(trajectory.model?.modelId, aliases) }];
  });
}

/** Features of runs already prepared (a trajectory is immutable once imported). */
const prepared = new WeakMap<Trajectory, ReturnType<typeof toScoredRunInput> | null>();

/**
 * The three policies calibration can write, boldest first: a turn cap and the predicted-failure
 * scorer chosen jointly, a turn cap alone, and the safest policy (a cap at twice the longest run
 * seen, which stops none of the runs it was calibrated on).
 */
export type PolicyRung = 'cap-and-scorer' | 'cap' | 'safest';

/** The rungs in order, boldest first. */
export const policyRungs: readonly PolicyRung[] = ['cap-and-scorer', 'cap', 'safest'];

/** A stopping policy chosen on some runs: turn caps and, optionally, the scorer. */
export interface StopPolicy {
  readonly rung: PolicyRung;
  /** Stop before call `cap + 1`: overall, and for models with enough runs of their own. */
  readonly caps: { readonly overall: number; readonly perModel: Readonly<Record<string, number>> };
  /** The scorer and the stopping rule it was given. */
  readonly scorer?: LogisticModel & { readonly threshold: number; readonly minTurn: number };
  /**
   * Whether the choice met the loss target with confidence on the runs it was chosen on (false:
   * too few resolved runs to certify any stop; the policy then stops nothing it has seen).
   */
  readonly certified: boolean;
  /** Resolved runs the policy stops among those it was chosen on (out-of-fold for the scorer). */
  readonly resolvedLost: number;
  readonly resolved: number;
}

/** Settings of the selection procedure. */
export interface StopPolicySettings {
  /** Largest fraction of resolved runs a policy may stop. */
  readonly maxResolvedLoss: number;
  /** One-sided confidence of the binomial upper bound the choice must keep under the target. */
  readonly selectionConfidence: number;
  /** Folds of the inner cross-validation that scores the runs for choosing a threshold. */
  readonly folds: number;
  /** First turn after which the scorer may stop a run. */
  readonly minTurn: number;
  /** L2 penalty of the scorer. */
  readonly l2: number;
  /** A model needs this many runs for a cap of its own; others share the overall cap. */
  readonly minRunsPerModel: number;
  readonly seed: number;
}

/** What a policy does to one run. */
export interface RunStopOutcome {
  readonly resolved: boolean;
  readonly costUsd: number;
  readonly savedUsd: number;
  readonly stopped: boolean;
}

/** Cap levels tried: the cap that lets `level` resolved runs of a model run over it. */
const capLevels = 12;
/** Scorer thresholds tried (quantiles of the out-of-fold scores). */
const thresholdCandidates = 60;

/**
 * Fits the scorer: a logistic regression of "this run will fail" on the features of every second
 * turn (and the last), each labelled with its run's outcome. Neighbouring turns' features are
 * nearly the same, so every second one fits nearly the same model in half the time.
 * @example
 * ```ts
 * const model = fitFailureModel(runs, 1);
 * ```
 */
export function fitFailureModel(runs: readonly PreparedRun[], l2: number): LogisticModel {
  const rows: (readonly number[])[] = [];
  const labels: number[] = [];
  for (const run of runs) {
    run.features.forEach((features, turn) => {
      if (turn % 2 === 0 && turn !== run.features.length - 1) return;
      rows.push(features);
      labels.push(run.resolved ? 0 : 1);
    });
  }
  return trainLogisticRegression(rows, labels, { l2 });
}

/**
 * Scores every run by a model trained on the other folds.
 * @returns per run (same order), one score per turn.
 */
export function outOfFoldScores(
  runs: readonly PreparedRun[],
  folds: number,
  seed: number,
  l2: number,
): number[][] {
  const assignment = assignFolds(runs, folds, seed);
  const scores: number[][] = new Array(runs.length);
  for (let fold = 0; fold < folds; fold += 1) {
    const train = runs.filter((_, index) => assignment[index] !== fold);
    if (train.length === 0) continue;
    const model = fitFailureModel(train, l2);
    runs.forEach((run, index) => {
      if (assignment[index] === fold)
        scores[index] = run.features.map((features) => predictProbability(model, features));
    });
  }
  return scores;
}

/** Whether a set of runs can train a scorer: `folds` runs of each outcome at least. */
export function canTrainScorer(runs: readonly PreparedRun[], folds: number): boolean {
  const failed = runs.filter((run) => !run.resolved).length;
  return failed >= folds && runs.length - failed >= folds;
}

/**
 * The selection procedure, the same on every fold and on all runs: for the rung asked, it tries
 * every turn cap (per model) and every scorer threshold (on out-of-fold scores) together, and
 * keeps the pair with the largest saving on unresolved runs whose one-sided binomial upper bound
 * of resolved runs lost stays at or under the target. When no stop can be certified (too few
 * resolved runs), it returns the safest policy.
 *
 * @param runs - the runs to choose on.
 * @param rung - which kind of policy.
 * @param settings - loss target, confidence, folds, penalty, seed.
 * @param scores - out-of-fold scores of `runs` (computed when absent and the rung needs them).
 * @param model - the scorer trained on all `runs` (trained when absent and needed).
 * @example
 * ```ts
 * const policy = selectStopPolicy(runs, 'cap-and-scorer', settings);
 * ```
 */
export function selectStopPolicy(
  runs: readonly PreparedRun[],
  rung: PolicyRung,
  settings: StopPolicySettings,
  scores?: readonly (readonly number[])[],
  model?: LogisticModel,
): StopPolicy {
  const longest = runs.reduce((most, run) => Math.max(most, run.costs.length), 1);
  const resolvedCount = runs.filter((run) => run.resolved).length;
  const safest: StopPolicy = {
    rung: 'safest',
    caps: { overall: 2 * longest, perModel: {} },
    certified: false,
    resolvedLost: 0,
    resolved: resolvedCount,
  };
  if (rung === 'safest') return safest;
  const useScorer = rung === 'cap-and-scorer' && canTrainScorer(runs, settings.folds);
  const runScores = useScorer
    ? (scores ?? outOfFoldScores(runs, settings.folds, settings.seed, settings.l2))
    : undefined;
  const groups = capGroups(runs, settings.minRunsPerModel);
  const tables = runs.map((run, index) => toStopTable(run, runScores?.[index], settings.minTurn));
  const thresholds = candidateThresholds(runScores);
  let best: { saved: number; lost: number; level: number; threshold: number } | undefined;
  for (let level = 0; level <= capLevels; level += 1) {
    const caps = capsAt(groups, level, longest);
    for (const threshold of thresholds) {
      let saved = 0;
      let lost = 0;
      runs.forEach((run, index) => {
        const table = tables[index] as StopTable;
        const executed = Math.min(capFor(caps, run.model), table.stopAt(threshold));
        if (executed >= table.turns) return;
        if (run.resolved) lost += 1;
        else saved += table.savedAfter(executed);
      });
      const bound = binomialUpperBound(lost, resolvedCount, settings.selectionConfidence);
      if (bound > settings.maxResolvedLoss) continue;
      if (best === undefined || saved > best.saved + 1e-12)
        best = { saved, lost, level, threshold };
    }
  }
  if (best === undefined) return safest;
  const caps = capsAt(groups, best.level, longest);
  const scorer =
    useScorer && Number.isFinite(best.threshold)
      ? {
          ...(model ?? fitFailureModel(runs, settings.l2)),
          threshold: best.threshold,
          minTurn: settings.minTurn,
        }
      : undefined;
  return {
    rung: scorer === undefined ? 'cap' : 'cap-and-scorer',
    caps,
    ...(scorer === undefined ? {} : { scorer }),
    certified: true,
    resolvedLost: best.lost,
    resolved: resolvedCount,
  };
}

/**
 * What a policy does to a run: the calls it lets happen (a cap of `c` lets `c`; the scorer stops
 * before the call after the first turn at or after `minTurn` whose score reaches the threshold),
 * and the cost of the calls after them, saved.
 * @example
 * ```ts
 * const outcome = applyStopPolicy(policy, run);
 * ```
 */
export function applyStopPolicy(policy: StopPolicy, run: PreparedRun): RunStopOutcome {
  const scorer = policy.scorer;
  const scores =
    scorer === undefined
      ? undefined
      : run.features.map((features) => predictProbability(scorer, features));
  const table = toStopTable(run, scores, scorer?.minTurn ?? 0);
  const executed = Math.min(
    capFor(policy.caps, run.model),
    table.stopAt(scorer?.threshold ?? Number.POSITIVE_INFINITY),
  );
  const stopped = executed < table.turns;
  return {
    resolved: run.resolved,
    costUsd: table.savedAfter(0),
    savedUsd: stopped ? table.savedAfter(executed) : 0,
    stopped,
  };
}

/** The cap a run of `model` gets. */
export function capFor(caps: StopPolicy['caps'], model: string): number {
  return caps.perModel[model] ?? caps.overall;
}

interface StopTable {
  readonly turns: number;
  /** Calls let happen by the scorer at this threshold (`turns` when it never fires). */
  stopAt(threshold: number): number;
  /** Cost of the calls after the first `executed`. */
  savedAfter(executed: number): number;
}

function toStopTable(
  run: PreparedRun,
  scores: readonly number[] | undefined,
  minTurn: number,
): StopTable {
  const turns = run.costs.length;
  const suffix = new Float64Array(turns + 1);
  for (let turn = turns - 1; turn >= 0; turn -= 1)
    suffix[turn] = (suffix[turn + 1] as number) + (run.costs[turn] as number);
  // runningMax[i]: the highest score of turns first..first+i, where a stop is allowed.
  const first = Math.max(1, minTurn);
  const runningMax: number[] = [];
  if (scores !== undefined) {
    let most = Number.NEGATIVE_INFINITY;
    for (let turn = first; turn < turns; turn += 1) {
      most = Math.max(most, scores[turn - 1] as number);
      runningMax.push(most);
    }
  }
  return {
    turns,
    stopAt(threshold) {
      if (runningMax.length === 0 || !((runningMax.at(-1) as number) >= threshold)) return turns;
      let low = 0;
      let high = runningMax.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((runningMax[middle] as number) >= threshold) high = middle;
        else low = middle + 1;
      }
      return first + low;
    },
    savedAfter: (executed) => suffix[Math.max(0, Math.min(turns, executed))] as number,
  };
}

interface CapGroups {
  /** Resolved runs' turn counts, sorted, overall and per model with enough runs. */
  readonly overall: readonly number[];
  readonly perModel: ReadonlyMap<string, readonly number[]>;
}

function capGroups(runs: readonly PreparedRun[], minRunsPerModel: number): CapGroups {
  const resolvedTurns = (group: readonly PreparedRun[]) =>
    group
      .filter((run) => run.resolved)
      .map((run) => run.costs.length)
      .sort((a, b) => a - b);
  const byModel = new Map<string, PreparedRun[]>();
  for (const run of runs) byModel.set(run.model, [...(byModel.get(run.model) ?? []), run]);
  const perModel = new Map<string, readonly number[]>();
  for (const [model, group] of byModel) {
    const turns = resolvedTurns(group);
    if (group.length >= minRunsPerModel && turns.length > 0) perModel.set(model, turns);
  }
  return { overall: resolvedTurns(runs), perModel };
}

function capsAt(groups: CapGroups, level: number, longest: number): StopPolicy['caps'] {
  const capOf = (turns: readonly number[]) =>
    turns.length === 0 ? 2 * longest : (turns[Math.max(0, turns.length - 1 - level)] as number);
  const perModel: Record<string, number> = {};
  for (const [model, turns] of groups.perModel) perModel[model] = capOf(turns);
  return { overall: capOf(groups.overall), perModel };
}

function candidateThresholds(scores: readonly (readonly number[])[] | undefined): number[] {
  if (scores === undefined) return [Number.POSITIVE_INFINITY];
  const all = scores.flat().sort((a, b) => a - b);
  const thresholds = new Set<number>([Number.POSITIVE_INFINITY]);
  for (let level = 0; level < thresholdCandidates; level += 1) {
    // Quantiles from the median up: a threshold below the median stops nearly every run.
    const q = 0.5 + (0.5 * level) / (thresholdCandidates - 1);
    const value = all[Math.min(all.length - 1, Math.floor((all.length - 1) * q))];
    if (value !== undefined) thresholds.add(value);
  }
  return [...thresholds];
}
