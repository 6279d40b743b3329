import type { HandoffClassifier } from './handoff-tool.js';
import { reasoningChainDistance, toReasoningChain } from './reasoning-chain.js';
import { signatureWords, type TextDigest } from './text-digest.js';
import type { ObservedTurn } from './turn-record.js';

/** Bins of the answers' token-hash counts. */
export const outputBins = 512;
/** log2 buckets of argument lengths. */
export const argumentLengthBuckets = 16;

/**
 * Aggregates of one window of turns, from which {@link computeStabilityIndex} scores a window
 * against its baseline. Plain JSON, so that a monitor can save it in its snapshot.
 * @internal
 */
export interface StabilityWindow {
  turns: number;
  /** Token-hash counts of the answers (the signature folded to 512 bins). */
  output: number[];
  outputTurns: number;
  toolCounts: Record<string, number>;
  /** Action kinds in order (at most the window's length). */
  sequence: string[];
  /** log2 buckets of argument lengths. */
  argumentLengths: number[];
  actions: number;
  lengthSum: number;
  lengthSquares: number;
  errorTurns: number;
  /** Error turns right after an error turn. */
  clusteredErrors: number;
  previousError: boolean;
  overrides: number;
  intentSimilaritySum: number;
  /** The reasoning chain of the window's previous turn (empty when it had none). */
  reasoningPrevious: number[];
  /** Sum of the normalised edit distances between consecutive turns' reasoning chains. */
  reasoningDistanceSum: number;
  /** Consecutive pairs of turns in the window that both had a reasoning chain. */
  reasoningPairs: number;
  /** Actions that handed the run to another party. */
  handoffs: number;
}

/** How a window classes actions. */
export interface StabilityWindowSettings {
  /** The most action kinds kept in order for the sequence dimension. */
  readonly sequenceLength: number;
  readonly actionKind: (name: string, args: string) => string;
  readonly isHandoff: HandoffClassifier;
}

/**
 * An empty window.
 * @internal
 */
export function emptyStabilityWindow(): StabilityWindow {
  return {
    turns: 0,
    output: new Array<number>(outputBins).fill(0),
    outputTurns: 0,
    toolCounts: {},
    sequence: [],
    argumentLengths: new Array<number>(argumentLengthBuckets).fill(0),
    actions: 0,
    lengthSum: 0,
    lengthSquares: 0,
    errorTurns: 0,
    clusteredErrors: 0,
    previousError: false,
    overrides: 0,
    intentSimilaritySum: 0,
    reasoningPrevious: [],
    reasoningDistanceSum: 0,
    reasoningPairs: 0,
    handoffs: 0,
  };
}

/**
 * A copy of a window that can change without changing the original. A window saved before the
 * reasoning and hand-off fields existed gets them empty.
 * @internal
 */
export function copyStabilityWindow(window: StabilityWindow): StabilityWindow {
  // Field by field: an empty window spread first would allocate its 512 bins only to drop them.
  return {
    turns: window.turns,
    output: [...window.output],
    outputTurns: window.outputTurns,
    toolCounts: { ...window.toolCounts },
    sequence: [...window.sequence],
    argumentLengths: [...window.argumentLengths],
    actions: window.actions,
    lengthSum: window.lengthSum,
    lengthSquares: window.lengthSquares,
    errorTurns: window.errorTurns,
    clusteredErrors: window.clusteredErrors,
    previousError: window.previousError,
    overrides: window.overrides,
    intentSimilaritySum: window.intentSimilaritySum,
    // A window saved before the reasoning and hand-off fields existed gets them empty.
    reasoningPrevious: [...(window.reasoningPrevious ?? [])],
    reasoningDistanceSum: window.reasoningDistanceSum ?? 0,
    reasoningPairs: window.reasoningPairs ?? 0,
    handoffs: window.handoffs ?? 0,
  };
}

/**
 * Adds one turn to a window (in place): answers, actions, lengths, errors, the reasoning chain's
 * distance from the previous turn's and hand-offs.
 * @internal
 */
export function addTurnToWindow(
  stats: StabilityWindow,
  turn: ObservedTurn,
  settings: StabilityWindowSettings,
): void {
  const { record } = turn;
  stats.turns += 1;
  if (turn.output.bits > 0) {
    addSignature(stats.output, turn.output);
    stats.outputTurns += 1;
  }
  for (const action of record.actions) {
    const kind = settings.actionKind(action.name, action.arguments);
    stats.toolCounts[kind] = (stats.toolCounts[kind] ?? 0) + 1;
    if (stats.sequence.length < settings.sequenceLength) stats.sequence.push(kind);
    const bucket = Math.min(
      argumentLengthBuckets - 1,
      Math.floor(Math.log2(action.arguments.length + 1)),
    );
    stats.argumentLengths[bucket] = (stats.argumentLengths[bucket] as number) + 1;
    stats.actions += 1;
    if (settings.isHandoff(action.name, action.arguments)) stats.handoffs += 1;
  }
  const length = record.text.length + (record.reasoning?.length ?? 0);
  stats.lengthSum += length;
  stats.lengthSquares += length * length;
  const errored = turn.errorCount > 0;
  if (errored) {
    stats.errorTurns += 1;
    if (stats.previousError) stats.clusteredErrors += 1;
  }
  stats.previousError = errored;
  const chain = toReasoningChain(record);
  if (chain.length > 0 && stats.reasoningPrevious.length > 0) {
    stats.reasoningDistanceSum += reasoningChainDistance(stats.reasoningPrevious, chain);
    stats.reasoningPairs += 1;
  }
  stats.reasoningPrevious = chain;
}

function addSignature(target: number[], digest: TextDigest): void {
  const { signature } = digest;
  for (let word = 0; word < signatureWords; word++) {
    let value = signature[word] as number;
    while (value !== 0) {
      const low = value & -value;
      const bit = 31 - Math.clz32(low);
      const index = ((word << 5) | bit) % outputBins;
      target[index] = (target[index] as number) + 1;
      value ^= low;
    }
  }
}
