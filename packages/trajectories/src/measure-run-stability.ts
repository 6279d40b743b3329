import {
  fromToolOutcome,
  type HandoffClassifier,
  isHandoffTool,
  measureStability,
  percentileOfSorted,
  type StabilityDimension,
  stabilityDimensions,
  type TurnRecord,
  type UnmeasuredStabilityDimension,
  unmeasuredStabilityDimensions,
} from '@reins/controller';
import { InvalidOptionsError } from '@reins/core';
import { replayFeedbackToolName, toReplayTurns } from './replay-turns.js';
import type { Trajectory } from './trajectory.js';

/** Options of {@link measureRunStability}. */
export interface MeasureRunStabilityOptions {
  /** Turns per window, e.g. the drift monitor's `driftWindowFor(limit)`. */
  readonly window: number;
  /**
   * Which actions hand a run to another party.
   * @defaultValue {@link handoffClassifierFor} the runs
   */
  readonly isHandoff?: HandoffClassifier;
  /** The ASI below which a window counts as low. @defaultValue 0.75 */
  readonly threshold?: number;
}

/** The distribution over runs of one figure: each run contributes its mean over its windows. */
export interface StabilityDistribution {
  /** Runs that had the figure in at least one scored window. */
  readonly runs: number;
  readonly mean: number;
  readonly min: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
}

/** The Agent Stability Index over recorded runs, per dimension. */
export interface StabilityReport {
  /** Turns per window. */
  readonly window: number;
  /** Runs given. */
  readonly runs: number;
  /** Runs with at least one scored window (at least two full windows of turns). */
  readonly runsMeasured: number;
  /** Scored windows over all runs. */
  readonly windows: number;
  /** The ASI threshold for {@link StabilityReport.lowWindowShare}. */
  readonly threshold: number;
  /** Share of scored windows whose ASI is below the threshold; `null` without windows. */
  readonly lowWindowShare: number | null;
  /** The distribution of each run's mean ASI; `null` when no run was measured. */
  readonly asi: StabilityDistribution | null;
  /** Each measured dimension's distribution; `null` when no run's data supported it. */
  readonly dimensions: Readonly<Record<StabilityDimension, StabilityDistribution | null>>;
  /** The dimensions a run's turns cannot give, with the reason. */
  readonly notMeasured: Readonly<Record<UnmeasuredStabilityDimension, string>>;
}

const conversational = new Set<Trajectory['source']['format']>(['tau-bench', 'openai-messages']);

/**
 * The hand-offs of recorded runs: tools named as hand-offs ({@link isHandoffTool}), and when
 * every run is a conversation with a user (tau-bench, OpenAI message logs) each reply to the
 * user too, which the replay plays as a call to the `environment` tool whose result is the
 * user's next message. In coding runs (mini-swe-agent, SWE-agent) a turn without a command is a
 * format error, not a hand-off, so runs of mixed formats count named hand-off tools only.
 *
 * @param trajectories - the recorded runs.
 * @returns the classifier for their actions, for `measureRunStability` and the drift monitor.
 * @example
 * ```ts
 * handoffClassifierFor(tauBenchRuns)('environment', '{}'); // true
 * handoffClassifierFor(miniSweAgentRuns)('environment', '{}'); // false
 * ```
 */
export function handoffClassifierFor(trajectories: readonly Trajectory[]): HandoffClassifier {
  const allConversations =
    trajectories.length > 0 &&
    trajectories.every((trajectory) => conversational.has(trajectory.source.format));
  if (!allConversations) return isHandoffTool;
  return (name) => name === replayFeedbackToolName || isHandoffTool(name);
}

/**
 * The turns of a recorded run as the controller's monitors see them when it is replayed
 * (`reins evaluate`): the replay's tool calls (a turn without action that is not the last
 * becomes a call to the `environment` tool answered by what the agent was told next), each
 * answered `ok` with its recorded output, and the reasoning when recorded. `toTurnRecords`
 * instead keeps the recording's own statuses and unanswered actions, for contract checks.
 *
 * @param trajectory - the recorded run.
 * @returns one turn record per recorded turn.
 * @example
 * ```ts
 * const records = toReplayedTurnRecords(trajectory);
 * measureStability(records, { window: 11 });
 * ```
 */
export function toReplayedTurnRecords(trajectory: Trajectory): TurnRecord[] {
  return toReplayTurns(trajectory).map((turn) => {
    const actions = [];
    const observations = [];
    for (const call of turn.message.toolCalls) {
      const outcome = fromToolOutcome(call, {
        status: 'ok',
        output: turn.outputs.get(call.id) ?? '',
      });
      actions.push(outcome.action);
      observations.push(outcome.observation);
    }
    return {
      turn: turn.index,
      text: turn.message.content,
      ...(turn.message.reasoning === undefined ? {} : { reasoning: turn.message.reasoning }),
      actions,
      observations,
    };
  });
}

/**
 * Measures the Agent Stability Index of each recorded run as the drift monitor scores it
 * (`measureStability`: tumbling windows, the first the baseline), and gives each dimension's
 * distribution over the runs: each run contributes its mean over its scored windows. Runs
 * shorter than two windows are not measured.
 *
 * @param trajectories - the recorded runs.
 * @param options - the window, and how hand-offs are recognised.
 * @returns the per-dimension distributions, and the dimensions not measured with the reason.
 * @example
 * ```ts
 * const stability = measureRunStability(runs, { window: driftWindowFor(46) });
 * stability.dimensions.reasoningPath?.p50;
 * ```
 */
export function measureRunStability(
  trajectories: readonly Trajectory[],
  options: MeasureRunStabilityOptions,
): StabilityReport {
  const threshold = options.threshold ?? 0.75;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new InvalidOptionsError(
      'threshold',
      `threshold is ${String(threshold)}; use an ASI in (0, 1], e.g. 0.75 (the paper's).`,
    );
  }
  const isHandoff = options.isHandoff ?? handoffClassifierFor(trajectories);
  const perDimension = new Map<StabilityDimension, number[]>();
  const perRunAsi: number[] = [];
  let windows = 0;
  let lowWindows = 0;
  for (const trajectory of trajectories) {
    const measured = measureStability(toReplayedTurnRecords(trajectory), {
      window: options.window,
      isHandoff,
    });
    if (measured.asi === undefined) continue;
    perRunAsi.push(measured.asi);
    windows += measured.windows.length;
    lowWindows += measured.windows.filter((scored) => scored.asi < threshold).length;
    for (const [name, value] of Object.entries(measured.dimensions)) {
      const values = perDimension.get(name as StabilityDimension) ?? [];
      values.push(value);
      perDimension.set(name as StabilityDimension, values);
    }
  }
  const dimensions = Object.fromEntries(
    (Object.keys(stabilityDimensions) as StabilityDimension[]).map((name) => [
      name,
      distributionOf(perDimension.get(name) ?? []),
    ]),
  ) as Record<StabilityDimension, StabilityDistribution | null>;
  const notMeasured = Object.fromEntries(
    Object.entries(unmeasuredStabilityDimensions).map(([name, info]) => [name, info.definition]),
  ) as Record<UnmeasuredStabilityDimension, string>;
  return {
    window: options.window,
    runs: trajectories.length,
    runsMeasured: perRunAsi.length,
    windows,
    threshold,
    lowWindowShare: windows === 0 ? null : lowWindows / windows,
    asi: distributionOf(perRunAsi),
    dimensions,
    notMeasured,
  };
}

function distributionOf(values: readonly number[]): StabilityDistribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    min: sorted[0] as number,
    p10: percentileOfSorted(sorted, 0.1),
    p50: percentileOfSorted(sorted, 0.5),
    p90: percentileOfSorted(sorted, 0.9),
    max: sorted.at(-1) as number,
  };
}
