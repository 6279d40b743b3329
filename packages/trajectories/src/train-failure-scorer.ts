import { createTurnFeatureExtractor, turnFeatureNames } from '@reins/controller';
import { InvalidOptionsError } from '@reins/core';
import { createRandom } from './bootstrap.js';
import {
  type LogisticModel,
  predictProbability,
  trainLogisticRegression,
} from './logistic-regression.js';
import { toReplayTurns } from './replay-turns.js';
import type { Trajectory } from './trajectory.js';

/** A run prepared for training: per-turn features and costs, and its label. */
export interface ScoredRunInput {
  readonly id: string;
  readonly resolved: boolean;
  /** One feature vector per turn (after the turn's observations). */
  readonly features: readonly (readonly number[])[];
  /** Cost of each turn (USD). */
  readonly costs: readonly number[];
}

/**
 * Prepares a run for the scorer: the feature vector after each turn, exactly as
 * `createPolicyController` computes it live from a `RunView`.
 * @param trajectory - a run with a known outcome.
 * @returns features, per-turn costs and the label; `undefined` when the outcome is unknown.
 * @example
 * ```ts
 * const inputs = trajectories.flatMap((run) => toScoredRunInput(run) ?? []);
 * ```
 */
export function toScoredRunInput(trajectory: Trajectory): ScoredRunInput | undefined {
  const resolved = trajectory.outcome.resolved;
  if (resolved === undefined) return undefined;
  const extractor = createTurnFeatureExtractor();
  const features = toReplayTurns(trajectory).map((turn) =>
    extractor.add({
      text: turn.message.content,
      toolCalls: turn.message.toolCalls,
      outputs: turn.message.toolCalls.map((call) => turn.outputs.get(call.id) ?? ''),
      usage: turn.usage,
    }),
  );
  return {
    id: trajectory.id,
    resolved,
    features,
    costs: trajectory.turns.map((turn) => turn.usage?.costUsd ?? 0),
  };
}

/** A stopping rule: stop before the next call once the score reaches `threshold` at `minTurn` or later. */
export interface StopRule {
  readonly threshold: number;
  readonly minTurn: number;
}

/** What a stopping rule does on a set of runs. */
export interface StopRuleOutcome {
  readonly runs: number;
  readonly resolved: number;
  readonly unresolvedCostUsd: number;
  readonly savedOnUnresolvedUsd: number;
  readonly savedUsd: number;
  readonly savedFractionOfUnresolvedCost: number;
  readonly runsStopped: number;
  readonly resolvedLost: number;
  readonly resolvedLostFraction: number;
}

/** The counts of a {@link StopRuleOutcome}, from which its two fractions follow. */
export type StopRuleTally = Omit<
  StopRuleOutcome,
  'savedFractionOfUnresolvedCost' | 'resolvedLostFraction'
>;

/**
 * A stopping rule's outcome from its counts: the saved fraction of the unresolved runs' cost and
 * the fraction of resolved runs lost (0 when there is nothing to divide by).
 */
export function toStopRuleOutcome(tally: StopRuleTally): StopRuleOutcome {
  return {
    ...tally,
    savedFractionOfUnresolvedCost:
      tally.unresolvedCostUsd > 0 ? tally.savedOnUnresolvedUsd / tally.unresolvedCostUsd : 0,
    resolvedLostFraction: tally.resolved > 0 ? tally.resolvedLost / tally.resolved : 0,
  };
}

/**
 * Applies a stopping rule to per-turn scores: a run stops before call `t + 1` at the first turn
 * `t ≥ minTurn` whose score reaches the threshold, when `t` is before its last turn; the calls
 * after `t` are saved, and a resolved run stopped so is lost.
 * @param runs - each run's scores (one per turn), costs and label.
 * @param rule - threshold and first eligible turn.
 * @example
 * ```ts
 * const outcome = applyStopRule(scoredRuns, { threshold: 0.8, minTurn: 5 });
 * ```
 */
export function applyStopRule(
  runs: readonly {
    readonly resolved: boolean;
    readonly scores: readonly number[];
    readonly costs: readonly number[];
  }[],
  rule: StopRule,
): StopRuleOutcome {
  let resolved = 0;
  let unresolvedCostUsd = 0;
  let savedOnUnresolvedUsd = 0;
  let savedUsd = 0;
  let runsStopped = 0;
  let resolvedLost = 0;
  for (const run of runs) {
    const turns = run.costs.length;
    let stopAfter = -1;
    for (let turn = Math.max(1, rule.minTurn); turn < turns; turn += 1) {
      if ((run.scores[turn - 1] as number) >= rule.threshold) {
        stopAfter = turn;
        break;
      }
    }
    let total = 0;
    let saved = 0;
    run.costs.forEach((cost, index) => {
      total += cost;
      if (stopAfter >= 0 && index >= stopAfter) saved += cost;
    });
    savedUsd += saved;
    if (stopAfter >= 0) runsStopped += 1;
    if (run.resolved) {
      resolved += 1;
      if (stopAfter >= 0) resolvedLost += 1;
    } else {
      unresolvedCostUsd += total;
      savedOnUnresolvedUsd += saved;
    }
  }
  return toStopRuleOutcome({
    runs: runs.length,
    resolved,
    unresolvedCostUsd,
    savedOnUnresolvedUsd,
    savedUsd,
    runsStopped,
    resolvedLost,
  });
}

/** One point of the saved-versus-lost curve. */
export interface ThresholdPoint extends StopRuleOutcome {
  readonly threshold: number;
}

/**
 * Chooses the threshold with the largest saving on unresolved runs whose resolved-run loss stays
 * at or under `maxResolvedLoss`, among candidate thresholds (quantiles of the scores).
 * @returns the chosen point and the whole curve (for a saved-versus-lost plot).
 * @example
 * ```ts
 * const { chosen } = chooseThreshold(scoredRuns, { maxResolvedLoss: 0.03, minTurn: 5 });
 * ```
 */
export function chooseThreshold(
  runs: readonly {
    readonly resolved: boolean;
    readonly scores: readonly number[];
    readonly costs: readonly number[];
  }[],
  options: {
    readonly maxResolvedLoss: number;
    readonly minTurn: number;
    readonly candidates?: number;
  },
): { chosen: ThresholdPoint; curve: ThresholdPoint[] } {
  const all = runs.flatMap((run) => run.scores).sort((a, b) => a - b);
  const levels = options.candidates ?? 200;
  const thresholds = new Set<number>([1.000001]);
  for (let level = 0; level < levels; level += 1) {
    const value = all[Math.floor(((all.length - 1) * level) / Math.max(1, levels - 1))];
    if (value !== undefined) thresholds.add(value);
  }
  const curve = [...thresholds]
    .sort((a, b) => b - a)
    .map((threshold) => ({
      threshold,
      ...applyStopRule(runs, { threshold, minTurn: options.minTurn }),
    }));
  let chosen = curve[0] as ThresholdPoint;
  for (const point of curve) {
    if (
      point.resolvedLostFraction <= options.maxResolvedLoss &&
      point.savedOnUnresolvedUsd > chosen.savedOnUnresolvedUsd
    )
      chosen = point;
  }
  return { chosen, curve };
}

/** Options of {@link trainFailureScorer}. */
export interface TrainFailureScorerOptions {
  /**
   * Largest fraction of resolved runs the chosen threshold may stop.
   * @defaultValue 0.03
   */
  readonly maxResolvedLoss?: number;
  /**
   * Cross-validation folds (outer, and inner for choosing thresholds).
   * @defaultValue 5
   */
  readonly folds?: number;
  /**
   * First turn after which the scorer may stop a run.
   * @defaultValue 5
   */
  readonly minTurn?: number;
  /**
   * L2 penalty of the regression.
   * @defaultValue 1
   */
  readonly l2?: number;
  /**
   * Seed of the fold assignment.
   * @defaultValue 1
   */
  readonly seed?: number;
}

/** Defaults of {@link TrainFailureScorerOptions}. */
export const defaultTrainFailureScorerOptions = Object.freeze({
  maxResolvedLoss: 0.03,
  folds: 5,
  minTurn: 5,
  l2: 1,
  seed: 1,
});

/** A trained predicted-failure scorer: the model, its features, and its stopping rule. */
export interface FailureScorer extends LogisticModel, StopRule {
  readonly features: readonly string[];
}

/** What {@link trainFailureScorer} returns: plain data. */
export interface FailureScorerTraining {
  /** Trained on every run, with the threshold chosen on out-of-fold scores. */
  readonly scorer: FailureScorer;
  /**
   * Held-out results: each fold's runs scored by a model trained on the other folds, with a
   * threshold chosen there by inner cross-validation. The honest estimate of the saving.
   */
  readonly crossValidated: StopRuleOutcome & { readonly folds: number };
  /** Per outer fold. */
  readonly perFold: readonly (StopRuleOutcome & { readonly threshold: number })[];
  /** Saved-versus-lost over thresholds, on out-of-fold scores of all runs. */
  readonly curve: readonly ThresholdPoint[];
}

/**
 * Trains the predicted-failure scorer (the AgentStop idea): a logistic regression of "this run
 * will fail" on per-turn features of recorded runs (repeated and near-duplicate actions, error
 * return codes and streaks, similarity to the previous step, token and prompt growth, edits made
 * and verified), every turn of a run labelled with the run's outcome. The stopping threshold is
 * the one with the largest saving on unresolved runs whose resolved-run loss stays under
 * `maxResolvedLoss`, chosen on out-of-fold scores. Cross-validation is nested, so the reported
 * saving and loss are measured on runs that neither trained the model nor chose the threshold.
 *
 * @param trajectories - recorded runs; those without a known outcome are left out.
 * @param options - loss target, folds, first eligible turn, penalty, seed.
 * @returns the scorer, the held-out results and the saved-versus-lost curve.
 * @throws {InvalidOptionsError} with fewer than `folds` resolved or unresolved runs.
 * @example
 * ```ts
 * const { scorer, crossValidated } = trainFailureScorer(trajectories, { maxResolvedLoss: 0.03 });
 * ```
 */
export function trainFailureScorer(
  trajectories: readonly Trajectory[],
  options: TrainFailureScorerOptions = {},
): FailureScorerTraining {
  const settings = { ...defaultTrainFailureScorerOptions, ...options };
  const inputs = trajectories.flatMap((trajectory) => toScoredRunInput(trajectory) ?? []);
  const positives = inputs.filter((run) => !run.resolved).length;
  const negatives = inputs.length - positives;
  if (positives < settings.folds || negatives < settings.folds) {
    throw new InvalidOptionsError(
      'trajectories',
      `Training a failure scorer needs at least ${settings.folds} resolved and ${settings.folds} unresolved runs with known outcomes; got ${negatives} resolved and ${positives} unresolved. Import runs with verdicts (SWE-bench reports, rewards) or lower { folds }.`,
    );
  }
  const folds = assignFolds(inputs, settings.folds, settings.seed);
  const outOfFold: { resolved: boolean; scores: number[]; costs: readonly number[] }[] = [];
  const perFold: (StopRuleOutcome & { threshold: number })[] = [];
  for (let fold = 0; fold < settings.folds; fold += 1) {
    const train = inputs.filter((_, index) => folds[index] !== fold);
    const test = inputs.filter((_, index) => folds[index] === fold);
    const model = fitScorer(train, settings.l2);
    const innerScores = outOfFoldScores(
      train,
      settings.folds,
      settings.seed + fold + 1,
      settings.l2,
    );
    const { chosen } = chooseThreshold(innerScores, settings);
    const scored = test.map((run) => ({
      resolved: run.resolved,
      scores: run.features.map((features) => predictProbability(model, features)),
      costs: run.costs,
    }));
    outOfFold.push(...scored);
    perFold.push({
      threshold: chosen.threshold,
      ...applyStopRule(scored, { threshold: chosen.threshold, minTurn: settings.minTurn }),
    });
  }
  const crossValidated = sumOutcomes(perFold);
  const model = fitScorer(inputs, settings.l2);
  const { chosen, curve } = chooseThreshold(outOfFold, settings);
  return {
    scorer: {
      ...model,
      features: [...turnFeatureNames],
      threshold: chosen.threshold,
      minTurn: settings.minTurn,
    },
    crossValidated: { ...crossValidated, folds: settings.folds },
    perFold,
    curve,
  };
}

function fitScorer(runs: readonly ScoredRunInput[], l2: number): LogisticModel {
  const rows: (readonly number[])[] = [];
  const labels: number[] = [];
  for (const run of runs) {
    for (const features of run.features) {
      rows.push(features);
      labels.push(run.resolved ? 0 : 1);
    }
  }
  return trainLogisticRegression(rows, labels, { l2 });
}

function outOfFoldScores(
  runs: readonly ScoredRunInput[],
  folds: number,
  seed: number,
  l2: number,
): { resolved: boolean; scores: number[]; costs: readonly number[] }[] {
  const assignment = assignFolds(runs, folds, seed);
  const scored: { resolved: boolean; scores: number[]; costs: readonly number[] }[] = [];
  for (let fold = 0; fold < folds; fold += 1) {
    const model = fitScorer(
      runs.filter((_, index) => assignment[index] !== fold),
      l2,
    );
    runs.forEach((run, index) => {
      if (assignment[index] !== fold) return;
      scored.push({
        resolved: run.resolved,
        scores: run.features.map((features) => predictProbability(model, features)),
        costs: run.costs,
      });
    });
  }
  return scored;
}

/**
 * Assigns runs to folds, stratified by outcome, in a seeded random order.
 * @returns the fold of each run.
 */
export function assignFolds(
  runs: readonly { readonly resolved: boolean }[],
  folds: number,
  seed: number,
): number[] {
  const random = createRandom(seed);
  const assignment = new Array<number>(runs.length).fill(0);
  for (const label of [true, false]) {
    const indices = runs.flatMap((run, index) => (run.resolved === label ? [index] : []));
    for (let index = indices.length - 1; index > 0; index -= 1) {
      const other = Math.floor(random() * (index + 1));
      [indices[index], indices[other]] = [indices[other] as number, indices[index] as number];
    }
    indices.forEach((runIndex, position) => {
      assignment[runIndex] = position % folds;
    });
  }
  return assignment;
}

function sumOutcomes(outcomes: readonly StopRuleOutcome[]): StopRuleOutcome {
  const sum = (key: keyof StopRuleOutcome) =>
    outcomes.reduce((total, outcome) => total + outcome[key], 0);
  return toStopRuleOutcome({
    runs: sum('runs'),
    resolved: sum('resolved'),
    unresolvedCostUsd: sum('unresolvedCostUsd'),
    savedOnUnresolvedUsd: sum('savedOnUnresolvedUsd'),
    savedUsd: sum('savedUsd'),
    runsStopped: sum('runsStopped'),
    resolvedLost: sum('resolvedLost'),
  });
}
