import { InvalidOptionsError } from '@reins/core';
import { defaultDriftMonitorOptions } from './drift-monitor.js';
import { type HandoffClassifier, isHandoffTool } from './handoff-tool.js';
import {
  type AgentStabilityIndex,
  computeStabilityIndex,
  type StabilityDimension,
  toDimensionSet,
} from './stability-index.js';
import { addTurnToWindow, emptyStabilityWindow, type StabilityWindow } from './stability-window.js';
import { type TurnRecord, toObservedTurn } from './turn-record.js';

/** Options of {@link measureStability}. */
export interface MeasureStabilityOptions {
  /**
   * Turns per window, as the drift monitor's `window`.
   * @defaultValue 50
   */
  readonly window?: number;
  /**
   * How an action is classed for the tool-usage dimensions.
   * @defaultValue the tool's name
   */
  readonly actionKind?: (name: string, args: string) => string;
  /**
   * Which actions hand the run to another party.
   * @defaultValue {@link isHandoffTool}
   */
  readonly isHandoff?: HandoffClassifier;
  /**
   * The dimensions the index is computed from, as the drift monitor's `dimensions`.
   * @defaultValue all nine
   */
  readonly dimensions?: readonly StabilityDimension[];
}

/** The stability of one run: every scored window, and each dimension's mean over them. */
export interface StabilityMeasurement {
  /** Turns per window. */
  readonly window: number;
  /** One index per window after the first (the baseline); trailing partial windows are not scored. */
  readonly windows: readonly AgentStabilityIndex[];
  /** Mean ASI over the scored windows; absent when none was scored. */
  readonly asi?: number;
  /** Each dimension's mean over the scored windows that computed it. */
  readonly dimensions: Readonly<Partial<Record<StabilityDimension, number>>>;
}

/**
 * Measures the Agent Stability Index of a completed run the way the drift monitor does while it
 * runs: tumbling windows of `window` turns, the first one the baseline, each later full window
 * scored against it with the same dimensions (see `createDriftMonitor`). A recorded run has no
 * interruptions, so `humanOverride` is 1 in every window.
 *
 * @param records - the run's turns, in order.
 * @param options - window size and action classing, as the drift monitor's.
 * @returns each scored window's index, and each dimension's mean over the run.
 * @example
 * ```ts
 * const { asi, dimensions } = measureStability(records, { window: 10 });
 * dimensions.reasoningPath; // e.g. 0.93
 * ```
 */
export function measureStability(
  records: Iterable<TurnRecord>,
  options: MeasureStabilityOptions = {},
): StabilityMeasurement {
  const window = options.window ?? defaultDriftMonitorOptions.window;
  if (!(Number.isInteger(window) && window > 0)) {
    throw new InvalidOptionsError(
      'window',
      `window is ${String(window)}; use a whole number of turns > 0, e.g. driftWindowFor(46).`,
    );
  }
  const settings = {
    sequenceLength: window,
    actionKind: options.actionKind ?? ((name: string) => name),
    isHandoff: options.isHandoff ?? isHandoffTool,
  };
  const included =
    options.dimensions === undefined ? undefined : toDimensionSet(options.dimensions);
  const windows: AgentStabilityIndex[] = [];
  let baseline: StabilityWindow | null = null;
  let current = emptyStabilityWindow();
  for (const record of records) {
    addTurnToWindow(current, toObservedTurn(record), settings);
    if (current.turns < window) continue;
    if (baseline === null) baseline = current;
    else windows.push(computeStabilityIndex(baseline, current, included));
    current = emptyStabilityWindow();
  }
  const sums: Partial<Record<StabilityDimension, [number, number]>> = {};
  for (const scored of windows) {
    for (const [name, value] of Object.entries(scored.dimensions)) {
      const sum = sums[name as StabilityDimension] ?? [0, 0];
      sum[0] += value;
      sum[1] += 1;
      sums[name as StabilityDimension] = sum;
    }
  }
  const dimensions = Object.fromEntries(
    Object.entries(sums).map(([name, [total, count]]) => [name, total / count]),
  );
  return {
    window,
    windows,
    ...(windows.length === 0
      ? {}
      : { asi: windows.reduce((sum, scored) => sum + scored.asi, 0) / windows.length }),
    dimensions,
  };
}
