import { InvalidOptionsError, type TokenLogprob } from '@reins/core';
import type { ExitDecision, ExitRule } from './exit-rule.js';
import { tokenEntropy } from './token-entropy.js';

/** Options of {@link createPathDeviationMonitor}. */
export interface PathDeviationOptions {
  /**
   * Words that mark a transition in reasoning, matched against whole tokens (trimmed, lower
   * case, punctuation stripped).
   * @defaultValue {@link defaultTransitionWords}
   */
  readonly transitionWords?: readonly string[];
  /** A transition counts when its entropy (nats) is at least this. @defaultValue 0.5 */
  readonly minEntropy?: number;
  /** Window of recent tokens the rate is computed over. @defaultValue 200 */
  readonly window?: number;
  /** Exit when high-entropy transitions per token in the window reach this. @defaultValue 0.03 */
  readonly maxRate?: number;
  /** Exit only with at least this many high-entropy transitions in the window. @defaultValue 4 */
  readonly minTransitions?: number;
  /** No exit before this many tokens. @defaultValue 200 */
  readonly warmupTokens?: number;
  /**
   * Also exit when the mean transition entropy in the window is at least this multiple of the
   * mean over the whole trace (and `minTransitions` are in the window). `Infinity` disables it.
   * @defaultValue Infinity
   */
  readonly maxEntropyRatio?: number;
}

/** Defaults of {@link PathDeviationOptions}. */
export const defaultPathDeviationOptions = Object.freeze({
  transitionWords: Object.freeze([
    'wait',
    'but',
    'alternatively',
    'hmm',
    'however',
    'actually',
    'maybe',
  ]) as readonly string[],
  minEntropy: 0.5,
  window: 200,
  maxRate: 0.03,
  minTransitions: 4,
  warmupTokens: 200,
  maxEntropyRatio: Number.POSITIVE_INFINITY,
}) satisfies Required<PathDeviationOptions>;

/** The transition words of the path-deviation monitor. */
export const defaultTransitionWords = defaultPathDeviationOptions.transitionWords;

/** A streaming path-deviation monitor. */
export interface PathDeviationMonitor {
  /** Sees one token; returns a decision when the rule fires. */
  push(token: TokenLogprob): ExitDecision | undefined;
  /** High-entropy transitions in the current window. */
  readonly windowTransitions: number;
  /** Tokens seen. */
  readonly tokens: number;
  /** Forgets everything seen. */
  reset(): void;
}

/**
 * Creates a path-deviation monitor: transition tokens ("wait", "but", "alternatively") whose
 * next-token entropy, estimated from top log-probabilities, is high mark reasoning going off
 * track; when their rate over the last `window` tokens reaches `maxRate` (or, optionally, their
 * recent mean entropy reaches `maxEntropyRatio` times the overall mean) the monitor fires.
 * Constant memory (a ring of `window` slots); O(1) per token.
 *
 * @param options - transition words, thresholds and window.
 * @returns the monitor.
 * @example
 * ```ts
 * const monitor = createPathDeviationMonitor({ window: 100, maxRate: 0.05 });
 * for (const token of tokens) if (monitor.push(token)) break;
 * ```
 */
export function createPathDeviationMonitor(
  options: PathDeviationOptions = {},
): PathDeviationMonitor {
  const settings = { ...defaultPathDeviationOptions, ...options };
  const window = settings.window;
  if (!(Number.isInteger(window) && window > 0))
    throw new InvalidOptionsError(
      'window',
      `window must be a positive integer number of tokens; received ${window}. Try 200.`,
    );
  const words = new Set(settings.transitionWords.map((word) => word.toLowerCase()));
  const maxWordLength = Math.max(0, ...[...words].map((word) => word.length)) + 4;
  // Ring of the token positions and entropies of high-entropy transitions in the window.
  const positions = new Float64Array(window);
  const entropies = new Float64Array(window);
  let head = 0;
  let size = 0;
  let windowEntropy = 0;
  let totalTransitions = 0;
  let totalEntropy = 0;
  let tokens = 0;

  const push = (token: TokenLogprob): ExitDecision | undefined => {
    const index = tokens++;
    while (size > 0 && (positions[head] as number) <= index - window) {
      windowEntropy -= entropies[head] as number;
      head = (head + 1) % window;
      size--;
    }
    const text = token.token;
    if (text.length > maxWordLength || !words.has(normaliseWord(text))) return undefined;
    const entropy = tokenEntropy(token);
    if (!(entropy >= settings.minEntropy)) return undefined;
    const slot = (head + size) % window;
    positions[slot] = index;
    entropies[slot] = entropy;
    size++;
    windowEntropy += entropy;
    totalTransitions++;
    totalEntropy += entropy;
    if (tokens < settings.warmupTokens || size < settings.minTransitions) return undefined;
    const span = Math.min(tokens, window);
    const rate = size / span;
    const ratio = windowEntropy / size / (totalEntropy / totalTransitions);
    if (rate >= settings.maxRate || ratio >= settings.maxEntropyRatio) {
      return {
        rule: 'path-deviation',
        message: `${size} high-entropy transitions in the last ${span} tokens (rate ${rate.toFixed(3)} ≥ ${settings.maxRate}): the reasoning is deviating.`,
        evidence: {
          transitions: size,
          window: span,
          rate,
          maxRate: settings.maxRate,
          entropyRatio: ratio,
          lastEntropy: entropy,
          token: text,
        },
      };
    }
    return undefined;
  };

  return {
    push,
    get windowTransitions() {
      return size;
    },
    get tokens() {
      return tokens;
    },
    reset() {
      head = 0;
      size = 0;
      windowEntropy = 0;
      totalTransitions = 0;
      totalEntropy = 0;
      tokens = 0;
    },
  };
}

/**
 * The path-deviation rule as an exit rule for `runReasoning` and `createReasoningTool`.
 * @param options - see {@link createPathDeviationMonitor}.
 * @example
 * ```ts
 * const tool = createReasoningTool({ backend, exit: createPathDeviationExit({ maxRate: 0.04 }) });
 * ```
 */
export function createPathDeviationExit(options: PathDeviationOptions = {}): ExitRule {
  createPathDeviationMonitor(options); // validates the options now, not at the first call
  return {
    name: 'path-deviation',
    start() {
      const monitor = createPathDeviationMonitor(options);
      return { push: (token) => monitor.push(token) };
    },
  };
}

/** What a word is trimmed of on either side: anything but a letter or a combining mark. */
const notWordEnd = /^[^\p{L}\p{M}]+|[^\p{L}\p{M}]+$/gu;

/** " Wait," → "wait"; " Wait…" and "“wait" too. */
function normaliseWord(text: string): string {
  return text.replace(notWordEnd, '').toLowerCase();
}
