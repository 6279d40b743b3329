import type { RunView } from '@reins/core';
import { readState } from './errors/controller-state-error.js';
import { type HandoffClassifier, isHandoffTool } from './handoff-tool.js';
import { toIntentText } from './intent-text.js';
import type { Finding, Monitor, MonitorSession } from './monitor.js';
import {
  computeStabilityIndex,
  type StabilityDimension,
  toDimensionSet,
} from './stability-index.js';
import {
  addTurnToWindow,
  copyStabilityWindow,
  emptyStabilityWindow,
  type StabilityWindow,
} from './stability-window.js';
import { digestSimilarity, digestText, type TextDigest } from './text-digest.js';
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
  /**
   * Which actions hand the run to another party (an agent, a human, the user), for the
   * `handoffEfficiency` dimension.
   * @defaultValue {@link isHandoffTool}: names starting with `transfer_to_`, `handoff_to_` or
   * `hand_off_to_`
   */
  readonly isHandoff?: HandoffClassifier;
  /**
   * The dimensions the index is computed from; the others are left out and the weights
   * renormalised over the groups that remain. The seven measured before `reasoningPath` and
   * `handoffEfficiency` were added give the index as it was computed then.
   * @defaultValue all nine of `stabilityDimensions`
   */
  readonly dimensions?: readonly StabilityDimension[];
}

/** Defaults of {@link DriftMonitorOptions}. */
export const defaultDriftMonitorOptions = Object.freeze({
  name: 'drift',
  window: 50,
  threshold: 0.75,
  consecutiveWindows: 3,
  rebaselineOnIntentUpdate: true,
});

interface DriftState {
  readonly version: 1;
  readonly baseline: StabilityWindow | null;
  readonly current: StabilityWindow;
  readonly lowWindows: number;
  readonly windows: number;
  readonly intentUpdatesSeen: number;
  /** Overrides since the last scored window (kept across a rebaseline). */
  readonly pendingOverrides: number;
}

/**
 * Creates the drift monitor: the Agent Stability Index over tumbling windows of turns
 * against the run's first window, and (optionally) the similarity of recent answers and actions
 * to the current intent. Drift is reported as `drift.detected` when ASI < 0.75 for 3
 * consecutive windows. The index is computed from nine of the paper's twelve dimensions, each
 * mapped into [0, 1] (`stabilityDimensions` defines them; `unmeasuredStabilityDimensions` says
 * why the other three need a judge model or other agents), over the groups the two windows'
 * data supports, with the group weights renormalised; each scored window's evidence carries the
 * index and every dimension it used.
 *
 * @param options - window size, threshold, consecutive windows, intent similarity, hand-offs,
 * dimensions.
 * @returns a monitor of category `drift`.
 * @example
 * ```ts
 * const drift = createDriftMonitor({ window: 20 });
 * const controller = createController({ monitors: [drift] });
 * ```
 */
export function createDriftMonitor(options: DriftMonitorOptions = {}): Monitor {
  const settings = { ...defaultDriftMonitorOptions, ...options };
  const windowSettings = {
    sequenceLength: settings.window,
    actionKind: options.actionKind ?? ((name: string) => name),
    isHandoff: options.isHandoff ?? isHandoffTool,
  };
  const included =
    options.dimensions === undefined ? undefined : toDimensionSet(options.dimensions);
  return {
    name: settings.name,
    open(context): MonitorSession {
      const saved = readState<DriftState>(settings.name, context.state, 1);
      // Windows saved before the reasoning and hand-off dimensions get those fields empty.
      let baseline: StabilityWindow | null =
        saved?.baseline == null ? null : copyStabilityWindow(saved.baseline);
      let current: StabilityWindow =
        saved === undefined ? emptyStabilityWindow() : copyStabilityWindow(saved.current);
      /** Whether `current` is also in a snapshot: copied before it changes. */
      let currentShared = false;
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
            current = emptyStabilityWindow();
            currentShared = false;
            lowWindows = 0;
          }
          if (currentShared) {
            current = copyStabilityWindow(current);
            currentShared = false;
          }
          const stats = current;
          addTurnToWindow(stats, turn, windowSettings);
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
          current = emptyStabilityWindow();
          currentShared = false;
          if (baseline === null) {
            baseline = stats;
            return undefined;
          }
          stats.overrides = pendingOverrides;
          pendingOverrides = 0;
          const { asi, dimensions } = computeStabilityIndex(baseline, stats, included);
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
