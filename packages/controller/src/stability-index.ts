import { InvalidOptionsError } from '@reins/core';
import { editDistance } from './reasoning-chain.js';
import type { StabilityWindow } from './stability-window.js';

/** ASI group weights from the paper; groups without data are dropped and the rest renormalised. */
export const asiGroupWeights = Object.freeze({
  responseConsistency: 0.3,
  toolUsage: 0.25,
  interAgentCoordination: 0.25,
  behaviouralBoundaries: 0.2,
});

/** One of the four ASI groups; see {@link asiGroupWeights}. */
export type StabilityGroup = keyof typeof asiGroupWeights;

/** The ASI dimensions Reins measures from a run's turns. */
export type StabilityDimension =
  | 'outputSimilarity'
  | 'reasoningPath'
  | 'toolChoice'
  | 'toolSequence'
  | 'parameterDistribution'
  | 'handoffEfficiency'
  | 'responseLengthVariation'
  | 'errorClustering'
  | 'humanOverride';

/** The ASI dimensions that a run's turns cannot give without a judge model or other agents. */
export type UnmeasuredStabilityDimension =
  | 'confidenceCalibration'
  | 'agreementRate'
  | 'roleConsistency';

/** What a dimension measures, and in which group. */
export interface StabilityDimensionInfo {
  readonly group: StabilityGroup;
  /** The paper's name for it. */
  readonly paperName: string;
  /** How Reins measures it, or why it cannot. */
  readonly definition: string;
}

/**
 * The measured dimensions in the paper's order, with their group and definition. Each maps a
 * raw measure of a window against the baseline window into [0, 1] (1 = stable).
 */
export const stabilityDimensions: Readonly<Record<StabilityDimension, StabilityDimensionInfo>> =
  Object.freeze({
    outputSimilarity: {
      group: 'responseConsistency',
      paperName: 'output semantic similarity',
      definition:
        "cosine of the two windows' token-hash counts of answers (a lexical stand-in for the paper's embeddings)",
    },
    reasoningPath: {
      group: 'responseConsistency',
      paperName: 'decision (reasoning) pathway stability',
      definition:
        "1 − |d_window − d_baseline|, d = mean over consecutive turn pairs of the word-level edit distance between their reasoning chains ÷ the longer chain's length (first 32 words of the reasoning, or of the answer without code blocks)",
    },
    toolChoice: {
      group: 'toolUsage',
      paperName: 'tool selection frequencies',
      definition: '1 − Jensen–Shannon divergence (base 2) of the tool frequencies',
    },
    toolSequence: {
      group: 'toolUsage',
      paperName: 'tool sequence edit distance',
      definition: '1 − Levenshtein distance of the action-kind sequences ÷ the longer length',
    },
    parameterDistribution: {
      group: 'toolUsage',
      paperName: 'tool parameter distributions',
      definition: '1 − Jensen–Shannon divergence of the log2 argument-length histograms',
    },
    handoffEfficiency: {
      group: 'interAgentCoordination',
      paperName: 'messages per hand-off',
      definition:
        'min(h_window, h_baseline) ÷ max(h_window, h_baseline), h = hand-offs ÷ turns (the ratio of the two windows’ turns per hand-off); only when either window handed off',
    },
    responseLengthVariation: {
      group: 'behaviouralBoundaries',
      paperName: 'response length coefficient of variation',
      definition: 'exp(−|CV_window − CV_baseline|) of the answer lengths',
    },
    errorClustering: {
      group: 'behaviouralBoundaries',
      paperName: 'error clustering',
      definition:
        '1 − max(0, clustered-error share − the baseline’s); clustered = an errored turn right after one',
    },
    humanOverride: {
      group: 'behaviouralBoundaries',
      paperName: 'human override rate',
      definition: "1 − (revisions, retractions and stops ÷ the window's turns)",
    },
  });

/** The dimensions of the paper a run's turns do not give, with the reason. */
export const unmeasuredStabilityDimensions: Readonly<
  Record<UnmeasuredStabilityDimension, StabilityDimensionInfo>
> = Object.freeze({
  confidenceCalibration: {
    group: 'responseConsistency',
    paperName: 'confidence calibration',
    definition:
      'needs each answer’s correctness (a judge model or ground truth per answer) to compare predicted with actual accuracy; a run records neither, and no recorded run carries token log-probabilities',
  },
  agreementRate: {
    group: 'interAgentCoordination',
    paperName: 'inter-agent agreement rate',
    definition:
      'needs two or more agents deciding the same question, or a judge deciding whether two decisions agree; one agent’s run has one decision per question',
  },
  roleConsistency: {
    group: 'interAgentCoordination',
    paperName: 'role consistency',
    definition:
      'whether an output stays within the role’s responsibilities is a judgement about its meaning (a judge model); the observable part, calls the agent may not make, are tool errors that errorClustering and the stuck monitor already count',
  },
});

/** The ASI of one window against the baseline, with each measured dimension in [0, 1]. */
export interface AgentStabilityIndex {
  readonly asi: number;
  /** The dimensions the two windows' data supported; the others are absent. */
  readonly dimensions: Readonly<Partial<Record<StabilityDimension, number>>>;
}

/**
 * Computes the Agent Stability Index of a window against the baseline window. Each dimension
 * maps a raw measure into [0, 1] (1 = stable); see {@link stabilityDimensions}:
 *
 * | group (weight) | dimension | mapping |
 * |---|---|---|
 * | response consistency (0.30) | `outputSimilarity` | cosine of the two windows' token-hash counts of answers |
 * | | `reasoningPath` | 1 − \|d − d_baseline\|, d = mean normalised word edit distance of consecutive turns' reasoning chains |
 * | tool usage (0.25) | `toolChoice` | 1 − Jensen–Shannon divergence (base 2) of tool frequencies |
 * | | `toolSequence` | 1 − Levenshtein distance of the action-kind sequences ÷ the longer length |
 * | | `parameterDistribution` | 1 − JS divergence of log2 argument-length histograms |
 * | inter-agent coordination (0.25) | `handoffEfficiency` | min(h, h_baseline) ÷ max(h, h_baseline), h = hand-offs ÷ turns |
 * | behavioural boundaries (0.20) | `responseLengthVariation` | exp(−\|CV − CV_baseline\|) of answer lengths |
 * | | `errorClustering` | 1 − max(0, clustered-error share − baseline share); clustered = an errored turn right after one |
 * | | `humanOverride` | 1 − (revisions, retractions and stops ÷ the window's turns) |
 *
 * A dimension is computed only when both windows have its data: answers for
 * `outputSimilarity`, two consecutive turns with reasoning for `reasoningPath`, actions for the
 * tool group, a hand-off in either window for `handoffEfficiency`, two turns for the boundaries.
 * Not computed at all ({@link unmeasuredStabilityDimensions}): confidence calibration,
 * agreement rate and role consistency. ASI is the weighted mean of the group means over the
 * groups that have at least one dimension, so the weights of the groups present are
 * renormalised to sum to 1.
 *
 * @param baseline - the baseline window.
 * @param window - the window to score.
 * @param include - the dimensions to compute (default: all nine).
 * @returns ASI and the computed dimensions.
 * @internal
 */
export function computeStabilityIndex(
  baseline: StabilityWindow,
  window: StabilityWindow,
  include?: ReadonlySet<StabilityDimension>,
): AgentStabilityIndex {
  const dimensions: Partial<Record<StabilityDimension, number>> = {};
  if (baseline.outputTurns > 0 && window.outputTurns > 0)
    dimensions.outputSimilarity = cosine(baseline.output, window.output);
  if (baseline.reasoningPairs > 0 && window.reasoningPairs > 0) {
    const meanDistance = (stats: StabilityWindow) =>
      stats.reasoningDistanceSum / stats.reasoningPairs;
    dimensions.reasoningPath = 1 - Math.abs(meanDistance(window) - meanDistance(baseline));
  }
  if (baseline.actions > 0 && window.actions > 0) {
    dimensions.toolChoice = 1 - jensenShannon(baseline.toolCounts, window.toolCounts);
    dimensions.toolSequence =
      1 -
      editDistance(baseline.sequence, window.sequence) /
        Math.max(baseline.sequence.length, window.sequence.length, 1);
    dimensions.parameterDistribution =
      1 - jensenShannon(toRecord(baseline.argumentLengths), toRecord(window.argumentLengths));
  }
  const handoffRate = (stats: StabilityWindow) => stats.handoffs / Math.max(1, stats.turns);
  const rates = [handoffRate(baseline), handoffRate(window)];
  if (Math.max(...rates) > 0)
    dimensions.handoffEfficiency = Math.min(...rates) / Math.max(...rates);
  if (baseline.turns > 1 && window.turns > 1) {
    dimensions.responseLengthVariation = Math.exp(
      -Math.abs(variation(window) - variation(baseline)),
    );
    const share = (stats: StabilityWindow) => stats.clusteredErrors / Math.max(1, stats.turns - 1);
    dimensions.errorClustering = 1 - Math.min(1, Math.max(0, share(window) - share(baseline)));
    dimensions.humanOverride = 1 - Math.min(1, window.overrides / window.turns);
  }
  if (include !== undefined) {
    for (const name of Object.keys(dimensions) as StabilityDimension[])
      if (!include.has(name)) delete dimensions[name];
  }
  return { asi: stabilityIndexOf(dimensions), dimensions };
}

/**
 * The ASI of a set of dimension values: the mean of each group's dimensions, weighted by
 * {@link asiGroupWeights} over the groups present (renormalised); 1 when none is present.
 *
 * @param dimensions - dimension values in [0, 1].
 * @returns the index in [0, 1].
 * @example
 * ```ts
 * stabilityIndexOf({ toolChoice: 0.5, errorClustering: 1 }); // (0.25·0.5 + 0.20·1) ÷ 0.45
 * ```
 */
export function stabilityIndexOf(
  dimensions: Readonly<Partial<Record<StabilityDimension, number>>>,
): number {
  let weighted = 0;
  let weights = 0;
  for (const group of Object.keys(asiGroupWeights) as StabilityGroup[]) {
    const values: number[] = [];
    for (const [name, info] of Object.entries(stabilityDimensions)) {
      const value = dimensions[name as StabilityDimension];
      if (info.group === group && value !== undefined) values.push(value);
    }
    if (values.length === 0) continue;
    const weight = asiGroupWeights[group];
    weighted += (weight * values.reduce((sum, value) => sum + value, 0)) / values.length;
    weights += weight;
  }
  return weights === 0 ? 1 : weighted / weights;
}

function toRecord(values: readonly number[]): Record<string, number> {
  return Object.fromEntries(values.map((value, index) => [String(index), value]));
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let left = 0;
  let right = 0;
  for (let index = 0; index < a.length; index++) {
    const x = a[index] as number;
    const y = b[index] as number;
    dot += x * y;
    left += x * x;
    right += y * y;
  }
  return left === 0 || right === 0 ? 0 : dot / Math.sqrt(left * right);
}

function jensenShannon(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let totalA = 0;
  let totalB = 0;
  for (const key of keys) {
    totalA += a[key] ?? 0;
    totalB += b[key] ?? 0;
  }
  if (totalA === 0 || totalB === 0) return totalA === totalB ? 0 : 1;
  let divergence = 0;
  for (const key of keys) {
    const p = (a[key] ?? 0) / totalA;
    const q = (b[key] ?? 0) / totalB;
    const m = (p + q) / 2;
    if (p > 0) divergence += 0.5 * p * Math.log2(p / m);
    if (q > 0) divergence += 0.5 * q * Math.log2(q / m);
  }
  return Math.min(1, Math.max(0, divergence));
}

function variation(stats: StabilityWindow): number {
  const mean = stats.lengthSum / stats.turns;
  if (mean === 0) return 0;
  const variance = Math.max(0, stats.lengthSquares / stats.turns - mean * mean);
  return Math.sqrt(variance) / mean;
}

/**
 * Checks a list of dimension names, for the `dimensions` option of the drift monitor and
 * `measureStability`.
 *
 * @param dimensions - names to check.
 * @returns them as a set.
 * @throws InvalidOptionsError naming an unknown or unmeasurable name and the valid ones.
 * @internal
 */
export function toDimensionSet(
  dimensions: readonly StabilityDimension[],
): ReadonlySet<StabilityDimension> {
  for (const name of dimensions) {
    if (!Object.hasOwn(stabilityDimensions, name)) {
      const why = Object.hasOwn(unmeasuredStabilityDimensions, name)
        ? ' is not measurable from a run'
        : ' is not a stability dimension';
      throw new InvalidOptionsError(
        'dimensions',
        `'${String(name)}'${why}. Use some of: ${Object.keys(stabilityDimensions).join(', ')}.`,
      );
    }
  }
  return new Set(dimensions);
}
