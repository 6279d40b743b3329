import { InvalidOptionsError, type TokenLogprob } from '@reins/core';
import { createConfidenceFeatureTracker } from './confidence-features.js';
import { isConformalExit } from './conformal-calibration.js';
import { createCueDetector, defaultReasoningCues } from './cue-detector.js';
import type { ExitDecision, ExitRule } from './exit-rule.js';
import type { LogisticProbe } from './logistic-probe.js';

/** Options of {@link createConfidenceMonitor}. */
export interface ConfidenceMonitorOptions {
  /** The probe: features at a cue → probability that answering now is correct. */
  readonly probe: Pick<LogisticProbe, 'predict'>;
  /**
   * The conformal threshold q (from `calibrateConformal(…).threshold`): exit at the first cue
   * where the prediction set is {correct}, i.e. 1 − p ≤ q and p > q.
   */
  readonly threshold: number;
  /** Cue phrases at which the probe is asked. @defaultValue {@link defaultReasoningCues} */
  readonly cues?: readonly string[];
  /** Window of the features, in tokens. @defaultValue 64 */
  readonly window?: number;
  /** No exit before this many tokens. @defaultValue 0 */
  readonly minTokens?: number;
}

/** A streaming confidence monitor. */
export interface ConfidenceMonitor {
  /** Sees one token; returns a decision at the first cue where the set is {correct}. */
  push(token: TokenLogprob): ExitDecision | undefined;
  /** Cues seen. */
  readonly cues: number;
  /** The probe's probability at the last cue (`NaN` before one). */
  readonly lastProbability: number;
  /** Forgets everything seen. */
  reset(): void;
}

/**
 * Creates the confidence monitor (LYNX through an API): at each reasoning cue, features of the
 * recent log-probabilities go through the probe, and the split-conformal rule decides.
 * Constant memory; O(1) per token, O(window) per cue.
 *
 * @param options - probe, threshold, cues, window.
 * @returns the monitor.
 * @example
 * ```ts
 * const { threshold } = calibrateConformal({ probabilities, labels, delta: 0.1 });
 * const monitor = createConfidenceMonitor({ probe, threshold });
 * ```
 */
export function createConfidenceMonitor(options: ConfidenceMonitorOptions): ConfidenceMonitor {
  const { probe, threshold } = options;
  if (!(threshold >= 0))
    throw new InvalidOptionsError(
      'threshold',
      `threshold must be a conformal quantile q ≥ 0; received ${threshold}. Pass calibrateConformal({ probabilities, labels, delta }).threshold.`,
    );
  const minTokens = options.minTokens ?? 0;
  const cues = createCueDetector({ cues: options.cues ?? defaultReasoningCues });
  const tracker = createConfidenceFeatureTracker(
    options.window === undefined ? {} : { window: options.window },
  );
  const features: number[] = [];
  let lastProbability = Number.NaN;

  return {
    push(token) {
      tracker.push(token);
      const cue = cues.push(token.token);
      if (cue === undefined) return undefined;
      tracker.countCue();
      const probability = probe.predict(tracker.features(features));
      lastProbability = probability;
      if (tracker.tokens < minTokens || !isConformalExit(probability, threshold)) return undefined;
      return {
        rule: 'confidence',
        message: `At cue '${cue}' the probe gives p = ${probability.toFixed(3)}; with q = ${threshold.toFixed(3)} the prediction set is {correct}.`,
        evidence: {
          cue,
          probability,
          threshold,
          tokens: tracker.tokens,
          cues: cues.count,
        },
      };
    },
    get cues() {
      return cues.count;
    },
    get lastProbability() {
      return lastProbability;
    },
    reset() {
      cues.reset();
      tracker.reset();
      lastProbability = Number.NaN;
    },
  };
}

/**
 * The confidence rule as an exit rule for `runReasoning` and `createReasoningTool`.
 * @param options - see {@link createConfidenceMonitor}.
 * @example
 * ```ts
 * const exit = createConfidenceExit({ probe, threshold: calibration.threshold });
 * ```
 */
export function createConfidenceExit(options: ConfidenceMonitorOptions): ExitRule {
  createConfidenceMonitor(options);
  return {
    name: 'confidence',
    start() {
      const monitor = createConfidenceMonitor(options);
      return { push: (token) => monitor.push(token) };
    },
  };
}
