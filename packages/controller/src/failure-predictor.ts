import { InvalidOptionsError } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import type { Monitor, MonitorSession } from './monitor.js';
import { fromDigestJson, type TextDigestJson, toDigestJson } from './text-digest.js';
import { extractTurnFeatures, type TurnFeatures } from './turn-features.js';
import type { ObservedTurn } from './turn-record.js';

/**
 * A trained scorer: P(fail) in [0, 1] from this turn's features and those of the turns before
 * it (newest last, at most `window`).
 */
export type FailureScorer = (features: TurnFeatures, previous: readonly TurnFeatures[]) => number;

/** Options of {@link createFailurePredictor}. */
export interface FailurePredictorOptions {
  /** The scorer, e.g. a logistic regression trained on recorded runs. */
  readonly score: FailureScorer;
  /** Report a predicted failure when P(fail) ≥ this (see `chooseFailureThreshold`). */
  readonly threshold: number;
  /**
   * Turns before the first prediction.
   * @defaultValue 3
   */
  readonly minTurns?: number;
  /**
   * Previous turns' features handed to the scorer.
   * @defaultValue 5
   */
  readonly window?: number;
  /** @defaultValue `'predicted-failure'` */
  readonly name?: string;
}

/** Defaults of {@link FailurePredictorOptions}. */
export const defaultFailurePredictorOptions = Object.freeze({
  minTurns: 3,
  window: 5,
  name: 'predicted-failure',
});

interface PredictorState {
  readonly version: 1;
  readonly previous: readonly TurnFeatures[];
  readonly last: { action: TextDigestJson; observation: TextDigestJson; hasAction: boolean } | null;
}

/**
 * Creates the predicted-failure monitor (after AgentStop): after each turn, a scorer maps the
 * turn's features to P(fail); at or above `threshold` it reports `failure.predicted`, which the
 * default intervention policy answers with a stop.
 *
 * @param options - the scorer, its threshold, warm-up and window.
 * @returns a monitor of category `predicted-failure`.
 * @example
 * ```ts
 * const predictor = createFailurePredictor({
 *   score: (features) => (features.repeatedAction === 1 ? 0.9 : 0.1),
 *   threshold: 0.8,
 * });
 * ```
 */
export function createFailurePredictor(options: FailurePredictorOptions): Monitor {
  if (typeof options?.score !== 'function') {
    throw new InvalidOptionsError(
      'score',
      'createFailurePredictor() needs score: (features, previous) => P(fail). Train one on recorded runs with extractTurnFeatures().',
    );
  }
  if (!(options.threshold >= 0 && options.threshold <= 1)) {
    throw new InvalidOptionsError(
      'threshold',
      `threshold is ${String(options.threshold)}; use a probability in [0, 1] (chooseFailureThreshold() picks one from past runs).`,
    );
  }
  const settings = { ...defaultFailurePredictorOptions, ...options };
  return {
    name: settings.name,
    open(context): MonitorSession {
      const saved = readState<PredictorState>(settings.name, context.state, 1);
      let previous: readonly TurnFeatures[] = saved?.previous ?? [];
      let previousTurn: Pick<ObservedTurn, 'action' | 'observation' | 'hasAction'> | undefined =
        saved?.last == null
          ? undefined
          : {
              action: fromDigestJson(saved.last.action),
              observation: fromDigestJson(saved.last.observation),
              hasAction: saved.last.hasAction,
            };
      /** The last turn as the snapshot stores it, converted once, when it is observed. */
      let savedLast: PredictorState['last'] = saved?.last ?? null;
      return {
        observe(turn) {
          const features = extractTurnFeatures(turn, previousTurn);
          previousTurn = turn;
          savedLast = {
            action: toDigestJson(turn.action),
            observation: toDigestJson(turn.observation),
            hasAction: turn.hasAction,
          };
          const probability = settings.score(features, previous);
          // A new array each turn: a snapshot handed out earlier never changes.
          const next = [...previous, features];
          previous =
            next.length > settings.window ? next.slice(next.length - settings.window) : next;
          if (features.turn < settings.minTurns || !(probability >= settings.threshold))
            return undefined;
          return [
            {
              monitor: settings.name,
              category: 'predicted-failure',
              pattern: 'scorer-threshold',
              event: 'failure.predicted',
              message: `The run is predicted to fail (P = ${probability.toFixed(3)} ≥ ${settings.threshold}).`,
              turn: features.turn,
              evidence: { probability, threshold: settings.threshold },
            },
          ];
        },
        snapshot: (): PredictorState => ({
          version: 1,
          previous,
          last: savedLast,
        }),
      };
    },
  };
}

/** One past run for threshold selection: its highest P(fail) and whether it failed. */
export interface ScoredRun {
  readonly score: number;
  readonly failed: boolean;
}

/** What {@link chooseFailureThreshold} chose, with its rates on the runs given. */
export interface FailureThresholdChoice {
  /** `Infinity` when no threshold keeps the false-positive rate under the target. */
  readonly threshold: number;
  readonly truePositiveRate: number;
  readonly falsePositiveRate: number;
}

/**
 * Chooses the threshold AgentStop's way: the one with the highest true-positive rate (failing
 * runs stopped) whose false-positive rate (successful runs stopped) stays at or under the target.
 * Among equal rates, the highest threshold.
 *
 * @param runs - each past run's highest P(fail) and outcome.
 * @param options - `maxFalsePositiveRate`, e.g. 0.05.
 * @returns the threshold and its rates.
 * @example
 * ```ts
 * const { threshold } = chooseFailureThreshold(runs, { maxFalsePositiveRate: 0.05 });
 * ```
 */
export function chooseFailureThreshold(
  runs: readonly ScoredRun[],
  options: { readonly maxFalsePositiveRate: number },
): FailureThresholdChoice {
  const failed = runs.filter((run) => run.failed).length;
  const succeeded = runs.length - failed;
  const candidates = [...new Set(runs.map((run) => run.score))].sort((a, b) => b - a);
  let best: FailureThresholdChoice = {
    threshold: Number.POSITIVE_INFINITY,
    truePositiveRate: 0,
    falsePositiveRate: 0,
  };
  for (const threshold of candidates) {
    let truePositives = 0;
    let falsePositives = 0;
    for (const run of runs) {
      if (run.score >= threshold) {
        if (run.failed) truePositives += 1;
        else falsePositives += 1;
      }
    }
    const falsePositiveRate = succeeded === 0 ? 0 : falsePositives / succeeded;
    const truePositiveRate = failed === 0 ? 0 : truePositives / failed;
    if (falsePositiveRate > options.maxFalsePositiveRate) break;
    if (truePositiveRate > best.truePositiveRate)
      best = { threshold, truePositiveRate, falsePositiveRate };
  }
  return best;
}
