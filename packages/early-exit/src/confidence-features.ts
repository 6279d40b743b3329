import { InvalidOptionsError, type TokenLogprob } from '@reins/core';
import { tokenEntropy } from './token-entropy.js';

/**
 * The features the confidence probe reads at a cue, in order. They are the black-box stand-in
 * for a hidden-state probe: how sure the model has been about its recent tokens.
 */
export const confidenceFeatureNames = Object.freeze([
  /** Mean token log-probability over the window. */
  'meanLogprob',
  /** Lowest token log-probability in the window. */
  'minLogprob',
  /** Mean next-token entropy (nats) over the window, from top log-probabilities. */
  'meanEntropy',
  /** Share of window tokens with probability below 0.5. */
  'uncertainShare',
  /** Mean token log-probability over the whole trace so far. */
  'traceMeanLogprob',
  /** ln(1 + tokens so far). */
  'logTokens',
  /** ln(1 + cues so far). */
  'logCues',
] as const);

/** Options of {@link createConfidenceFeatureTracker}. */
export interface ConfidenceFeatureOptions {
  /** Recent tokens the window features cover. @defaultValue 64 */
  readonly window?: number;
}

/** Tracks the confidence features of a reasoning stream in constant memory. */
export interface ConfidenceFeatureTracker {
  /** Sees one token (a `NaN` log-probability counts as unknown and is skipped). */
  push(token: TokenLogprob): void;
  /** Counts a cue (for `logCues`). */
  countCue(): void;
  /**
   * The features now, in the order of {@link confidenceFeatureNames}. Writes into `into` when
   * given (no allocation) and returns it.
   */
  features(into?: number[]): number[];
  /** Tokens seen. */
  readonly tokens: number;
  /** Forgets everything seen. */
  reset(): void;
}

const lnHalf = Math.log(0.5);

/**
 * Creates a tracker of the confidence features: a ring of the last `window` log-probabilities
 * and entropies with running sums. O(1) per token; `features()` is O(window) and is called at
 * cues only.
 *
 * @param options - the window size.
 * @returns the tracker.
 * @example
 * ```ts
 * const tracker = createConfidenceFeatureTracker();
 * tracker.push({ token: ' 7', logprob: -0.01 });
 * tracker.features(); // [meanLogprob, minLogprob, …]
 * ```
 */
export function createConfidenceFeatureTracker(
  options: ConfidenceFeatureOptions = {},
): ConfidenceFeatureTracker {
  const window = options.window ?? 64;
  if (!(Number.isInteger(window) && window > 0))
    throw new InvalidOptionsError(
      'window',
      `window must be a positive integer number of tokens; received ${window}. Try 64.`,
    );
  const logprobs = new Float64Array(window);
  const entropies = new Float64Array(window);
  let head = 0;
  let size = 0;
  let sumLogprob = 0;
  let sumEntropy = 0;
  let entropyCount = 0;
  let uncertain = 0;
  let traceSum = 0;
  let traceCount = 0;
  let tokens = 0;
  let cues = 0;

  return {
    push(token) {
      tokens++;
      const logprob = token.logprob;
      if (Number.isNaN(logprob)) return;
      const entropy = tokenEntropy(token);
      if (size === window) {
        const oldLogprob = logprobs[head] as number;
        const oldEntropy = entropies[head] as number;
        sumLogprob -= oldLogprob;
        if (oldLogprob < lnHalf) uncertain--;
        if (!Number.isNaN(oldEntropy)) {
          sumEntropy -= oldEntropy;
          entropyCount--;
        }
        head = (head + 1) % window;
        size--;
      }
      const slot = (head + size) % window;
      logprobs[slot] = logprob;
      entropies[slot] = entropy;
      size++;
      sumLogprob += logprob;
      if (logprob < lnHalf) uncertain++;
      if (!Number.isNaN(entropy)) {
        sumEntropy += entropy;
        entropyCount++;
      }
      traceSum += logprob;
      traceCount++;
    },
    countCue() {
      cues++;
    },
    features(into = new Array<number>(confidenceFeatureNames.length)) {
      let min = 0;
      for (let offset = 0; offset < size; offset++) {
        const value = logprobs[(head + offset) % window] as number;
        if (value < min) min = value;
      }
      into[0] = size > 0 ? sumLogprob / size : 0;
      into[1] = min;
      into[2] = entropyCount > 0 ? sumEntropy / entropyCount : 0;
      into[3] = size > 0 ? uncertain / size : 0;
      into[4] = traceCount > 0 ? traceSum / traceCount : 0;
      into[5] = Math.log1p(tokens);
      into[6] = Math.log1p(cues);
      return into;
    },
    get tokens() {
      return tokens;
    },
    reset() {
      head = 0;
      size = 0;
      sumLogprob = 0;
      sumEntropy = 0;
      entropyCount = 0;
      uncertain = 0;
      traceSum = 0;
      traceCount = 0;
      tokens = 0;
      cues = 0;
    },
  };
}
