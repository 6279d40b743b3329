import { InvalidOptionsError } from '@reins/core';
import { CalibrationError } from './errors/calibration-error.js';

/** Options of {@link calibrateConformal}. */
export interface CalibrateConformalOptions {
  /** The probe's probability that answering now is correct, one per calibration cue. */
  readonly probabilities: readonly number[];
  /** Whether answering at that cue was in fact correct. */
  readonly labels: readonly boolean[];
  /** The tolerated rate of premature exits, in (0, 1), e.g. `0.1`. */
  readonly delta: number;
}

/** A split-conformal calibration of a confidence probe. */
export interface ConformalCalibration {
  /** q: the ⌈(n+1)(1−δ)⌉-th smallest non-conformity score. */
  readonly threshold: number;
  /** The δ it guarantees. */
  readonly delta: number;
  /** Calibration samples used (n). */
  readonly samples: number;
  /** ⌈(n+1)(1−δ)⌉, the rank of q among the sorted scores. */
  readonly rank: number;
}

/** The conformal prediction set for one cue: which answers-now outcomes are plausible. */
export interface ConformalPredictionSet {
  /** "Answering now is correct" is in the set: 1 − p ≤ q. */
  readonly correct: boolean;
  /** "Answering now is wrong" is in the set: p ≤ q. */
  readonly incorrect: boolean;
}

/**
 * The split-conformal quantile: the ⌈(n+1)(1−δ)⌉-th smallest of `scores`, or `Infinity` when
 * that rank exceeds n (too few scores to certify δ).
 *
 * @param scores - calibration non-conformity scores.
 * @param delta - the miscoverage rate, in (0, 1).
 * @returns q.
 * @example
 * ```ts
 * conformalQuantile([0.1, 0.4, 0.2, 0.3], 0.25); // rank ⌈5·0.75⌉ = 4 → 0.4
 * ```
 */
export function conformalQuantile(scores: readonly number[], delta: number): number {
  checkDelta(delta);
  const rank = conformalRank(scores.length, delta);
  if (rank > scores.length) return Number.POSITIVE_INFINITY;
  const sorted = Float64Array.from(scores).sort();
  return sorted[rank - 1] as number;
}

/**
 * Calibrates a confidence probe by split conformal prediction. Each calibration cue gets the
 * non-conformity score s = 1 − p̂(true label) (that is 1 − p when answering then was correct,
 * p when it was wrong); q is the ⌈(n+1)(1−δ)⌉-th smallest score. On a new cue exchangeable
 * with the calibration cues, the prediction set {labels y : 1 − p̂(y) ≤ q} misses the true
 * label with probability at most δ; the exit fires only when the set is {correct}, so the
 * probability that it fires where answering is wrong is at most δ.
 *
 * @param options - probabilities, labels and δ.
 * @returns the threshold q with n, δ and the rank used.
 * @throws {CalibrationError} when n < 1/δ − 1 (no finite q), or the inputs do not fit together.
 * @example
 * ```ts
 * const calibration = calibrateConformal({ probabilities, labels, delta: 0.1 });
 * isConformalExit(0.97, calibration.threshold); // exit at this cue?
 * ```
 */
export function calibrateConformal(options: CalibrateConformalOptions): ConformalCalibration {
  const { probabilities, labels, delta } = options;
  checkDelta(delta);
  const samples = probabilities.length;
  if (labels.length !== samples)
    throw new CalibrationError(
      `calibrateConformal received ${samples} probabilities but ${labels.length} labels. Pass one label per probability.`,
      { samples, delta },
    );
  const scores = new Float64Array(samples);
  for (let index = 0; index < samples; index++) {
    const probability = probabilities[index] as number;
    if (!(probability >= 0 && probability <= 1))
      throw new CalibrationError(
        `probabilities[${index}] is ${probability}, outside [0, 1]. Pass the probe's predicted probability, not a logit.`,
        { samples, delta },
      );
    scores[index] = labels[index] ? 1 - probability : probability;
  }
  const rank = conformalRank(samples, delta);
  if (rank > samples)
    throw new CalibrationError(
      `${samples} calibration samples cannot certify δ = ${delta}: the rank ⌈(n+1)(1−δ)⌉ = ${rank} exceeds n. Collect at least ${Math.ceil(1 / delta) - 1} samples or raise δ.`,
      { samples, delta },
    );
  scores.sort();
  return Object.freeze({ threshold: scores[rank - 1] as number, delta, samples, rank });
}

/**
 * The conformal prediction set for a probe probability p and threshold q.
 * @example
 * ```ts
 * conformalPredictionSet(0.95, 0.2); // { correct: true, incorrect: false }
 * ```
 */
export function conformalPredictionSet(
  probability: number,
  threshold: number,
): ConformalPredictionSet {
  return { correct: 1 - probability <= threshold, incorrect: probability <= threshold };
}

/**
 * Whether the prediction set is exactly {correct}: 1 − p ≤ q and p > q. This is the
 * confidence exit's rule.
 * @example
 * ```ts
 * isConformalExit(0.95, 0.2); // true
 * isConformalExit(0.6, 0.2); // false: 1 − 0.6 > 0.2
 * ```
 */
export function isConformalExit(probability: number, threshold: number): boolean {
  return 1 - probability <= threshold && probability > threshold;
}

/** ⌈(n+1)(1−δ)⌉, guarded against floating-point noise (0.9·10 = 9.000000000000002). */
function conformalRank(samples: number, delta: number): number {
  const exact = (samples + 1) * (1 - delta);
  return Math.ceil(exact - 1e-9);
}

function checkDelta(delta: number): void {
  if (!(delta > 0 && delta < 1))
    throw new InvalidOptionsError(
      'delta',
      `delta must be in (0, 1); received ${delta}. Pass the tolerated rate of premature exits, e.g. 0.1.`,
    );
}
