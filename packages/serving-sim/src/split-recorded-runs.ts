import type { ToolDurationSample } from '@reins/controller';
import type { Trajectory } from '@reins/trajectories';
import { type FromTrajectoryOptions, fromTrajectory } from './from-trajectory.js';
import { toToolDurationSamples } from './to-tool-duration-samples.js';
import type { ProgramTemplate } from './workload.js';

/** What {@link splitRecordedRuns} returns. */
export interface RecordedRunsSplit {
  /** Templates of the even-numbered usable runs: the simulated workload. */
  readonly templates: readonly ProgramTemplate[];
  /** Templates of the odd-numbered usable runs: the client's past experience. */
  readonly seedTemplates: readonly ProgramTemplate[];
  /** The tool durations of `seedTemplates`, to seed every predicting policy. */
  readonly predictorSamples: readonly ToolDurationSample[];
  /** Calls per run of `seedTemplates`, for Reins' remaining-turn estimate. */
  readonly pastTurnCounts: readonly number[];
  /** Runs that gave no template (no usage or no call times). */
  readonly skipped: number;
}

/**
 * Turns recorded runs into program templates and splits them in two halves, alternating in
 * input order: the even half is the workload, the odd half seeds the tool-duration predictors
 * (and Reins' past run lengths), so that no policy predicts from the runs it is measured on.
 * With a single usable run, it is both.
 *
 * @param trajectories - recorded runs, e.g. from `importTrajectoryDirectory`.
 * @param options - latency estimate and context limits of {@link fromTrajectory}.
 * @returns the workload templates, the seed templates and their tool durations.
 * @example
 * ```ts
 * const { trajectories } = await importTrajectoryDirectory(dir);
 * const { templates, predictorSamples } = splitRecordedRuns(trajectories);
 * ```
 */
export function splitRecordedRuns(
  trajectories: readonly Trajectory[],
  options: FromTrajectoryOptions = {},
): RecordedRunsSplit {
  const all: ProgramTemplate[] = [];
  for (const trajectory of trajectories) {
    const template = fromTrajectory(trajectory, options);
    if (template !== undefined) all.push(template);
  }
  const templates = all.filter((_, index) => index % 2 === 0);
  const seedTemplates = all.length === 1 ? all : all.filter((_, index) => index % 2 === 1);
  return {
    templates,
    seedTemplates,
    predictorSamples: toToolDurationSamples(seedTemplates),
    pastTurnCounts: seedTemplates.map((template) => template.turns.length),
    skipped: trajectories.length - all.length,
  };
}
