import { digestSimilarity } from './text-digest.js';
import type { ObservedTurn } from './turn-record.js';

/**
 * Per-turn features for failure prediction (after AgentStop: the lowest token probabilities,
 * token counts, and the similarity of this step to the previous one). Every value is a number,
 * or `null` when the run's data lacks it (no log-probabilities, no usage).
 */
export interface TurnFeatures {
  readonly turn: number;
  /** Lowest token log-probability of the answer. */
  readonly lowestLogprob: number | null;
  /** Mean of the (up to 8) lowest token log-probabilities. */
  readonly meanLowestLogprob: number | null;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly outputChars: number;
  readonly actionCount: number;
  readonly actionChars: number;
  readonly observationChars: number;
  readonly errorCount: number;
  /** Similarity of this turn's actions to the previous turn's (token-set Jaccard), 0 on turn 1. */
  readonly actionSimilarity: number;
  /** Similarity of this turn's observations to the previous turn's. */
  readonly observationSimilarity: number;
  /** 1 when the action equals the previous one after normalisation. */
  readonly repeatedAction: number;
}

/**
 * The names of {@link TurnFeatures} (the AgentStop step features of `createFailurePredictor`), in
 * the order of {@link toFeatureVector}. The calibrated scorer's features are `turnFeatureNames`
 * (see `createTurnFeatureExtractor`).
 */
export const stepFeatureNames = [
  'turn',
  'lowestLogprob',
  'meanLowestLogprob',
  'inputTokens',
  'outputTokens',
  'outputChars',
  'actionCount',
  'actionChars',
  'observationChars',
  'errorCount',
  'actionSimilarity',
  'observationSimilarity',
  'repeatedAction',
] as const satisfies readonly (keyof TurnFeatures)[];

/**
 * Extracts the features of one turn. The same function runs live (inside the failure
 * predictor) and offline (to build a trainer's data set from recorded runs), so a scorer sees
 * the same features in both.
 *
 * Deviation from AgentStop: step similarity is the token-set Jaccard index of the two digests,
 * not the longest common substring ratio, so that it costs the same for any action length.
 *
 * @param turn - the turn, digested with `toObservedTurn`.
 * @param previous - the turn before it (its digests suffice), if any.
 * @returns the features.
 * @example
 * ```ts
 * let previous: ObservedTurn | undefined;
 * const rows = records.map((record) => {
 *   const turn = toObservedTurn(record);
 *   const features = extractTurnFeatures(turn, previous);
 *   previous = turn;
 *   return toFeatureVector(features);
 * });
 * ```
 */
export function extractTurnFeatures(
  turn: ObservedTurn,
  previous: Pick<ObservedTurn, 'action' | 'observation' | 'hasAction'> | undefined,
): TurnFeatures {
  const { record } = turn;
  const lowest = record.lowestLogprobs;
  let meanLowest: number | null = null;
  if (lowest !== undefined && lowest.length > 0) {
    let sum = 0;
    for (const value of lowest) sum += value;
    meanLowest = sum / lowest.length;
  }
  const hasPrevious = previous !== undefined;
  return {
    turn: record.turn,
    lowestLogprob: lowest !== undefined && lowest.length > 0 ? (lowest[0] as number) : null,
    meanLowestLogprob: meanLowest,
    inputTokens: record.usage?.inputTokens ?? null,
    outputTokens: record.usage?.outputTokens ?? null,
    outputChars: record.text.length,
    actionCount: record.actions.length,
    actionChars: turn.action.length,
    observationChars: turn.observation.length,
    errorCount: turn.errorCount,
    actionSimilarity: hasPrevious ? digestSimilarity(turn.action, previous.action) : 0,
    observationSimilarity: hasPrevious
      ? digestSimilarity(turn.observation, previous.observation)
      : 0,
    repeatedAction:
      hasPrevious && turn.hasAction && turn.action.normalised === previous.action.normalised
        ? 1
        : 0,
  };
}

/**
 * Features as a vector in the order of {@link stepFeatureNames}; `null` becomes `NaN`.
 * @example
 * ```ts
 * const vector = toFeatureVector(extractTurnFeatures(turn, undefined));
 * ```
 */
export function toFeatureVector(features: TurnFeatures): number[] {
  return stepFeatureNames.map((name) => features[name] ?? Number.NaN);
}
