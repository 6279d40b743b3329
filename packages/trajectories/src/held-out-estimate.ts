import { createRandom, quantile } from './bootstrap.js';
import { drawBeta, drawBinomial } from './random-draws.js';
import type { RunStopOutcome } from './stop-policy.js';

/** An estimate with the interval the figure on unseen runs is expected to fall in. */
export interface EstimateInterval {
  /** Mean over the repeats of the pooled held-out figure. */
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/** What a calibrated policy is expected to do on runs it has not seen. */
export interface HeldOutEstimate {
  readonly savedFractionOfUnresolvedCost: EstimateInterval;
  readonly resolvedLostFraction: EstimateInterval;
  /**
   * The upper confidence bound of the expected fraction of resolved runs lost (the rate, not the
   * figure on a finite set of unseen runs), one-sided at `confidence`: what calibration holds to
   * the loss target.
   */
  readonly resolvedLostUpperBound: number;
  /** Coverage of the intervals, e.g. 0.95. */
  readonly confidence: number;
  /** The number of unseen runs the intervals are for. */
  readonly predictionRuns: number;
  /** Cross-validation repeats and folds the held-out outcomes come from. */
  readonly repeats: number;
  readonly folds: number;
}

/** The saved fraction of unresolved cost and the lost fraction of resolved runs of some runs. */
export function stopFractions(outcomes: readonly RunStopOutcome[]): {
  saved: number;
  lost: number;
} {
  let unresolvedCost = 0;
  let savedOnUnresolved = 0;
  let resolved = 0;
  let lost = 0;
  for (const outcome of outcomes) {
    if (outcome.resolved) {
      resolved += 1;
      if (outcome.stopped) lost += 1;
    } else {
      unresolvedCost += outcome.costUsd;
      savedOnUnresolved += outcome.savedUsd;
    }
  }
  return {
    saved: unresolvedCost > 0 ? savedOnUnresolved / unresolvedCost : 0,
    lost: resolved > 0 ? lost / resolved : 0,
  };
}

/**
 * The held-out outcomes of one cross-validation repeat, fold by fold: each fold's runs under the
 * policy chosen without them.
 */
export type HeldOutRepeat = readonly (readonly RunStopOutcome[])[];

/**
 * The interval the figures of a calibrated policy are expected to fall in on `predictionRuns`
 * unseen runs, from the held-out outcomes of repeated cross-validation of the whole selection
 * procedure.
 *
 * - Saved fraction of unresolved cost: each draw picks one fold of one repeat, so one trained
 *   policy, as a user gets one (pooling a repeat's folds would average five policies and hide how
 *   far one policy can land from another). The fold's held-out runs are resampled (the
 *   uncertainty of the estimate), then `predictionRuns` unseen runs are drawn from that resample
 *   (the variation of a finite set of unseen runs).
 * - Resolved runs lost: a rare event, where a percentile bootstrap of one or two losses is too
 *   narrow. The loss rate is drawn from its posterior given the repeat's `k` losses among `n`
 *   resolved runs (Beta(k + ½, n − k + ½), Jeffreys), the unseen resolved runs from the resolved
 *   share, and their losses from the binomial. The upper confidence bound of the expected loss
 *   is the `confidence` quantile of the drawn rates.
 *
 * @param repeats - per repeat, per fold, every run's held-out outcome.
 * @param options - unseen-set size, coverage, draws, seed, folds (for the record).
 * @returns estimates and intervals of the saved and lost fractions.
 * @example
 * ```ts
 * const estimate = estimateHeldOut(outcomesPerRepeat, {
 *   predictionRuns: 100,
 *   confidence: 0.95,
 *   folds: 5,
 * });
 * ```
 */
export function estimateHeldOut(
  repeats: readonly HeldOutRepeat[],
  options: {
    readonly predictionRuns: number;
    readonly confidence: number;
    readonly samples?: number;
    readonly seed?: number;
    readonly folds: number;
  },
): HeldOutEstimate {
  const samples = options.samples ?? 2000;
  const random = createRandom(options.seed ?? 1);
  const savedDraws: number[] = [];
  const lostDraws: number[] = [];
  const rateDraws: number[] = [];
  const size = Math.max(1, Math.round(options.predictionRuns));
  const usable = repeats.map((folds) => folds.flat()).filter((outcomes) => outcomes.length > 0);
  const policies = repeats.flatMap((folds) => folds.filter((outcomes) => outcomes.length > 0));
  const counts = usable.map((outcomes) => {
    const resolved = outcomes.filter((outcome) => outcome.resolved);
    return {
      resolved: resolved.length,
      lost: resolved.filter((outcome) => outcome.stopped).length,
      share: resolved.length / outcomes.length,
    };
  });
  const unseen: RunStopOutcome[] = new Array(size);
  for (let draw = 0; draw < samples && usable.length > 0; draw += 1) {
    const repeat = Math.floor(random() * usable.length);
    const outcomes = policies[Math.floor(random() * policies.length)] as readonly RunStopOutcome[];
    const resample = outcomes.map(
      () => outcomes[Math.floor(random() * outcomes.length)] as RunStopOutcome,
    );
    for (let index = 0; index < size; index += 1)
      unseen[index] = resample[Math.floor(random() * resample.length)] as RunStopOutcome;
    savedDraws.push(stopFractions(unseen).saved);
    const { resolved, lost, share } = counts[repeat] as (typeof counts)[number];
    const rate = drawBeta(random, lost + 0.5, resolved - lost + 0.5);
    rateDraws.push(rate);
    const unseenResolved = drawBinomial(random, size, share);
    lostDraws.push(
      unseenResolved === 0 ? 0 : drawBinomial(random, unseenResolved, rate) / unseenResolved,
    );
  }
  const tail = (1 - options.confidence) / 2;
  const pooled = usable.map(stopFractions);
  const mean = (values: readonly number[]) =>
    values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
  const sorted = (draws: number[]) => draws.sort((a, b) => a - b);
  const interval = (estimate: number, draws: number[]): EstimateInterval =>
    draws.length === 0
      ? { estimate, low: estimate, high: estimate }
      : {
          estimate,
          low: Math.min(estimate, quantile(sorted(draws), tail)),
          high: Math.max(estimate, quantile(sorted(draws), 1 - tail)),
        };
  const lostEstimate = mean(pooled.map((figures) => figures.lost));
  return {
    savedFractionOfUnresolvedCost: interval(
      mean(pooled.map((figures) => figures.saved)),
      savedDraws,
    ),
    resolvedLostFraction: interval(lostEstimate, lostDraws),
    resolvedLostUpperBound:
      rateDraws.length === 0 ? lostEstimate : quantile(sorted(rateDraws), options.confidence),
    confidence: options.confidence,
    predictionRuns: size,
    repeats: usable.length,
    folds: options.folds,
  };
}
