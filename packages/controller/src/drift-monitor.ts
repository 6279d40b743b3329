import type { RunView } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import { toIntentText } from './intent-text.js';
import type { Finding, Monitor, MonitorSession } from './monitor.js';
import { digestSimilarity, digestText, signatureWords, type TextDigest } from './text-digest.js';
import type { ObservedTurn } from './turn-record.js';

/** Options of {@link createDriftMonitor}. */
export interface DriftMonitorOptions {
  /** @defaultValue `'drift'` */
  readonly name?: string;
  /**
   * Turns per window. The first window is the baseline; each later window gets an ASI. With
   * the default, drift cannot be reported before turn 200: for shorter runs, scale the window
   * to the turn limit with `driftWindowFor(limit)`.
   * @defaultValue 50 (the paper's 50-interaction windows)
   */
  readonly window?: number;
  /**
   * Drift is declared when ASI is below this…
   * @defaultValue 0.75
   */
  readonly threshold?: number;
  /**
   * …for this many consecutive windows.
   * @defaultValue 3
   */
  readonly consecutiveWindows?: number;
  /**
   * Also report drift when the mean similarity of a window's answers and actions to the current
   * intent (task as updated by interruptions) falls below this. Off by default: coding agents'
   * commands share few words with their task, so a useful value depends on the agent.
   */
  readonly minIntentSimilarity?: number;
  /**
   * Start a new baseline when the user updates the intent (an addition, revision or
   * retraction): behaviour that follows the new intent is not drift from the old one.
   * @defaultValue true
   */
  readonly rebaselineOnIntentUpdate?: boolean;
  /**
   * How an action is classed for the tool-usage dimensions.
   * @defaultValue the tool's name
   */
  readonly actionKind?: (name: string, args: string) => string;
}

/** Defaults of {@link DriftMonitorOptions}. */
export const defaultDriftMonitorOptions = Object.freeze({
  name: 'drift',
  window: 50,
  threshold: 0.75,
  consecutiveWindows: 3,
  rebaselineOnIntentUpdate: true,
});

/** ASI group weights from the paper; groups without data are dropped and the rest renormalised. */
export const asiGroupWeights = Object.freeze({
  responseConsistency: 0.3,
  toolUsage: 0.25,
  interAgentCoordination: 0.25,
  behaviouralBoundaries: 0.2,
});

const bins = 512;
const lengthBuckets = 16;

/** Aggregates of one window of turns. */
interface WindowStats {
  turns: number;
  /** Token-hash counts of the answers (the signature folded to 512 bins). */
  output: number[];
  outputTurns: number;
  toolCounts: Record<string, number>;
  /** Action kinds in order (at most `window`). */
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
}

function emptyWindow(): WindowStats {
  return {
    turns: 0,
    output: new Array<number>(bins).fill(0),
    outputTurns: 0,
    toolCounts: {},
    sequence: [],
    argumentLengths: new Array<number>(lengthBuckets).fill(0),
    actions: 0,
    lengthSum: 0,
    lengthSquares: 0,
    errorTurns: 0,
    clusteredErrors: 0,
    previousError: false,
    overrides: 0,
    intentSimilaritySum: 0,
  };
}

/** A copy of a window that can change without changing the original. */
function copyWindow(window: WindowStats): WindowStats {
  return {
    ...window,
    output: [...window.output],
    toolCounts: { ...window.toolCounts },
    sequence: [...window.sequence],
    argumentLengths: [...window.argumentLengths],
  };
}

interface DriftState {
  readonly version: 1;
  readonly baseline: WindowStats | null;
  readonly current: WindowStats;
  readonly lowWindows: number;
  readonly windows: number;
  readonly intentUpdatesSeen: number;
  /** Overrides since the last scored window (kept across a rebaseline). */
  readonly pendingOverrides: number;
}

/** The ASI of one window against the baseline, with each supported dimension in [0, 1]. */
export interface AgentStabilityIndex {
  readonly asi: number;
  readonly dimensions: Readonly<Record<string, number>>;
}

/**
 * Computes the Agent Stability Index of a window against the baseline window. Each dimension
 * maps a raw measure into [0, 1] (1 = stable):
 *
 * | group (weight) | dimension | mapping |
 * |---|---|---|
 * | response consistency (0.30) | `outputSimilarity` | cosine of the two windows' token-hash counts of answers |
 * | tool usage (0.25) | `toolChoice` | 1 − Jensen–Shannon divergence (base 2) of tool frequencies |
 * | | `toolSequence` | 1 − Levenshtein distance of the action-kind sequences ÷ the longer length |
 * | | `parameterDistribution` | 1 − JS divergence of log2 argument-length histograms |
 * | behavioural boundaries (0.20) | `responseLengthVariation` | exp(−\|CV − CV_baseline\|) of answer lengths |
 * | | `errorClustering` | 1 − max(0, clustered-error share − baseline share); clustered = an errored turn right after one |
 * | | `humanOverride` | 1 − (revisions, retractions and stops ÷ the window's turns) |
 *
 * Not computed (the data of one agent's run does not support them): reasoning-path edit
 * distance, confidence calibration, and the inter-agent coordination group. ASI is the
 * weighted mean of the group means over the groups that have at least one dimension.
 *
 * The human-override rate counts the overrides made since the previous scored window, so an
 * override that started a new baseline (`rebaselineOnIntentUpdate`) still counts against the
 * first window scored after it.
 * @internal
 */
export function computeStabilityIndex(
  baseline: WindowStats,
  window: WindowStats,
): AgentStabilityIndex {
  const dimensions: Record<string, number> = {};
  const groups: [number, number[]][] = [];
  const consistency: number[] = [];
  if (baseline.outputTurns > 0 && window.outputTurns > 0) {
    dimensions.outputSimilarity = cosine(baseline.output, window.output);
    consistency.push(dimensions.outputSimilarity);
  }
  groups.push([asiGroupWeights.responseConsistency, consistency]);
  const tools: number[] = [];
  if (baseline.actions > 0 && window.actions > 0) {
    dimensions.toolChoice = 1 - jensenShannon(baseline.toolCounts, window.toolCounts);
    dimensions.toolSequence =
      1 -
      levenshtein(baseline.sequence, window.sequence) /
        Math.max(baseline.sequence.length, window.sequence.length, 1);
    dimensions.parameterDistribution =
      1 - jensenShannon(toRecord(baseline.argumentLengths), toRecord(window.argumentLengths));
    tools.push(dimensions.toolChoice, dimensions.toolSequence, dimensions.parameterDistribution);
  }
  groups.push([asiGroupWeights.toolUsage, tools]);
  const behaviour: number[] = [];
  if (baseline.turns > 1 && window.turns > 1) {
    dimensions.responseLengthVariation = Math.exp(
      -Math.abs(variation(window) - variation(baseline)),
    );
    const share = (stats: WindowStats) => stats.clusteredErrors / Math.max(1, stats.turns - 1);
    dimensions.errorClustering = 1 - Math.min(1, Math.max(0, share(window) - share(baseline)));
    dimensions.humanOverride = 1 - Math.min(1, window.overrides / window.turns);
    behaviour.push(
      dimensions.responseLengthVariation,
      dimensions.errorClustering,
      dimensions.humanOverride,
    );
  }
  groups.push([asiGroupWeights.behaviouralBoundaries, behaviour]);
  let weighted = 0;
  let weights = 0;
  for (const [weight, values] of groups) {
    if (values.length === 0) continue;
    weighted += (weight * values.reduce((sum, value) => sum + value, 0)) / values.length;
    weights += weight;
  }
  return { asi: weights === 0 ? 1 : weighted / weights, dimensions };
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

function levenshtein(a: readonly string[], b: readonly string[]): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min(
          (previous[j] as number) + 1,
          (current[j - 1] as number) + 1,
          (previous[j - 1] as number) + cost,
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function variation(stats: WindowStats): number {
  const mean = stats.lengthSum / stats.turns;
  if (mean === 0) return 0;
  const variance = Math.max(0, stats.lengthSquares / stats.turns - mean * mean);
  return Math.sqrt(variance) / mean;
}

function addSignature(target: number[], digest: TextDigest): void {
  const { signature } = digest;
  for (let word = 0; word < signatureWords; word++) {
    let value = signature[word] as number;
    while (value !== 0) {
      const low = value & -value;
      const bit = 31 - Math.clz32(low);
      const index = ((word << 5) | bit) % bins;
      target[index] = (target[index] as number) + 1;
      value ^= low;
    }
  }
}

/**
 * Creates the drift monitor: the Agent Stability Index over tumbling windows of turns
 * against the run's first window, and (optionally) the similarity of recent answers and actions
 * to the current intent. Drift is reported as `drift.detected` when ASI < 0.75 for 3
 * consecutive windows; see {@link computeStabilityIndex} for the dimensions and their mapping
 * into [0, 1].
 *
 * @param options - window size, threshold, consecutive windows, intent similarity.
 * @returns a monitor of category `drift`.
 * @example
 * ```ts
 * const drift = createDriftMonitor({ window: 20 });
 * const controller = createController({ monitors: [drift] });
 * ```
 */
export function createDriftMonitor(options: DriftMonitorOptions = {}): Monitor {
  const settings = { ...defaultDriftMonitorOptions, ...options };
  const actionKind = options.actionKind ?? ((name: string) => name);
  return {
    name: settings.name,
    open(context): MonitorSession {
      const saved = readState<DriftState>(settings.name, context.state, 1);
      let baseline: WindowStats | null = saved?.baseline ?? null;
      let current: WindowStats = saved?.current ?? emptyWindow();
      /** Whether `current` is also in a snapshot (or the saved state): copied before it changes. */
      let currentShared = saved !== undefined;
      let lowWindows = saved?.lowWindows ?? 0;
      let windows = saved?.windows ?? 0;
      let intentUpdatesSeen = saved?.intentUpdatesSeen ?? 0;
      let pendingOverrides = saved?.pendingOverrides ?? 0;
      let intent: TextDigest | undefined;
      let intentFor = -1;

      const intentDigest = (view: RunView): TextDigest => {
        if (intent === undefined || intentFor !== view.intentUpdates.length) {
          intent = digestText(toIntentText(view.task, view.intentUpdates));
          intentFor = view.intentUpdates.length;
        }
        return intent;
      };

      return {
        observe(turn: ObservedTurn, view: RunView) {
          const { record } = turn;
          if (
            settings.rebaselineOnIntentUpdate &&
            hasIntentUpdate(view.intentUpdates, intentUpdatesSeen)
          ) {
            baseline = null;
            current = emptyWindow();
            currentShared = false;
            lowWindows = 0;
          }
          if (currentShared) {
            current = copyWindow(current);
            currentShared = false;
          }
          const stats = current;
          stats.turns += 1;
          if (turn.output.bits > 0) {
            addSignature(stats.output, turn.output);
            stats.outputTurns += 1;
          }
          for (const action of record.actions) {
            const kind = actionKind(action.name, action.arguments);
            stats.toolCounts[kind] = (stats.toolCounts[kind] ?? 0) + 1;
            if (stats.sequence.length < settings.window) stats.sequence.push(kind);
            const bucket = Math.min(
              lengthBuckets - 1,
              Math.floor(Math.log2(action.arguments.length + 1)),
            );
            stats.argumentLengths[bucket] = (stats.argumentLengths[bucket] as number) + 1;
            stats.actions += 1;
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
          const updates = view.intentUpdates;
          for (let index = intentUpdatesSeen; index < updates.length; index++) {
            if (updates[index]?.kind !== 'addition') pendingOverrides += 1;
          }
          intentUpdatesSeen = updates.length;
          const aligned = Math.max(
            digestSimilarity(turn.output, intentDigest(view)),
            digestSimilarity(turn.action, intentDigest(view)),
          );
          stats.intentSimilaritySum += aligned;
          if (stats.turns < settings.window) return undefined;

          windows += 1;
          current = emptyWindow();
          currentShared = false;
          if (baseline === null) {
            baseline = stats;
            return undefined;
          }
          stats.overrides = pendingOverrides;
          pendingOverrides = 0;
          const { asi, dimensions } = computeStabilityIndex(baseline, stats);
          lowWindows = asi < settings.threshold ? lowWindows + 1 : 0;
          const intentSimilarity = stats.intentSimilaritySum / stats.turns;
          const evidence = {
            asi: round(asi),
            threshold: settings.threshold,
            lowWindows,
            window: windows,
            windowTurns: stats.turns,
            intentSimilarity: round(intentSimilarity),
            ...Object.fromEntries(
              Object.entries(dimensions).map(([key, value]) => [key, round(value)]),
            ),
          };
          const findings: Finding[] = [];
          if (lowWindows >= settings.consecutiveWindows) {
            findings.push({
              monitor: settings.name,
              category: 'drift',
              pattern: 'agent-stability-index',
              event: 'drift.detected',
              message: `Agent Stability Index ${asi.toFixed(2)} < ${settings.threshold} for ${lowWindows} consecutive windows.`,
              turn: record.turn,
              evidence,
            });
          }
          if (
            settings.minIntentSimilarity !== undefined &&
            intentSimilarity < settings.minIntentSimilarity
          ) {
            findings.push({
              monitor: settings.name,
              category: 'drift',
              pattern: 'intent-similarity',
              event: 'drift.detected',
              message: `The last ${stats.turns} turns have a mean similarity of ${intentSimilarity.toFixed(2)} to the current intent (< ${settings.minIntentSimilarity}).`,
              turn: record.turn,
              evidence: { ...evidence, minIntentSimilarity: settings.minIntentSimilarity },
            });
          }
          return findings.length > 0 ? findings : undefined;
        },
        snapshot: (): DriftState => {
          currentShared = true;
          return {
            version: 1,
            baseline,
            current,
            lowWindows,
            windows,
            intentUpdatesSeen,
            pendingOverrides,
          };
        },
      };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Whether updates from `from` on change the intent (a stop does not). */
function hasIntentUpdate(updates: RunView['intentUpdates'], from: number): boolean {
  for (let index = from; index < updates.length; index++) {
    const kind = updates[index]?.kind;
    if (kind === 'addition' || kind === 'revision' || kind === 'retraction') return true;
  }
  return false;
}
