import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ImportResult, importTrajectoryDirectory, type Trajectory } from '@reins/trajectories';
import type { CliIo } from './cli-io.js';
import { createProgress } from './create-progress.js';
import { MissingPathError } from './errors/missing-path-error.js';
import { NoRunsError } from './errors/no-runs-error.js';
import { toTerminalText } from './terminal-text.js';

/** Options of {@link loadRuns}. */
export interface LoadRunsOptions {
  /** `--data` as given. */
  readonly data: string;
  /** Draw a progress bar (when stderr is a terminal). @defaultValue true */
  readonly progress?: boolean;
  /** Require runs with a known outcome (calibration). @defaultValue false */
  readonly needOutcomes?: boolean;
}

/** What {@link loadRuns} returns. */
export interface LoadedRuns extends ImportResult {
  /** `--data` resolved against the working directory. */
  readonly path: string;
}

/**
 * Imports the runs under `--data`: checks the path, imports with a progress bar, warns on
 * stderr about files that could not be read, and fails when nothing usable was imported.
 * @throws {MissingPathError} when the path does not exist.
 * @throws {NoRunsError} when no run was imported (or none with an outcome, if needed).
 * @example
 * ```ts
 * const { trajectories } = await loadRuns(io, { data: '../shared/data/swe-trajectories' });
 * ```
 */
export async function loadRuns(io: CliIo, options: LoadRunsOptions): Promise<LoadedRuns> {
  const path = resolve(io.cwd, options.data);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    throw new MissingPathError({
      option: '--data',
      given: options.data,
      path,
      expected: 'a folder or file of recorded runs',
      hint: 'Pass a folder of recorded runs (mini-swe-agent .traj.json, SWE-agent .traj, tau-bench, OpenAI message logs or Reins .jsonl), e.g. --data ../shared/data/swe-trajectories/mini-swe-agent-gemini-3-pro.',
    });
  }
  const progress = createProgress(io, { label: 'import', enabled: options.progress !== false });
  let result: ImportResult;
  try {
    result = await importTrajectoryDirectory(path, { onProgress: progress.update });
  } finally {
    progress.stop();
  }
  if (result.problems.length > 0) {
    const listed = result.problems
      .slice(0, 10)
      .map((problem) => `  ${problem.file}: ${problem.message}`);
    if (result.problems.length > 10)
      listed.push(
        `  … and ${result.problems.length - 10} more (reins import --json lists them all)`,
      );
    io.stderr.write(
      `reins: ${result.problems.length} of ${result.files} files could not be imported:\n${toTerminalText(listed.join('\n'))}\n`,
    );
  }
  if (result.trajectories.length === 0) {
    throw new NoRunsError({
      path,
      found: `${result.files} candidate files, ${result.problems.length} of them unreadable`,
      hint: 'Point --data at a folder holding recorded runs; reins import --data DIR lists what it finds.',
    });
  }
  if (options.needOutcomes === true && !result.trajectories.some(hasOutcome)) {
    throw new NoRunsError({
      path,
      found: `${result.trajectories.length} runs, none with a known outcome`,
      hint: 'Calibration needs verdicts: put SWE-bench reports/<id>.report.json beside mini-swe-agent runs, logs/<id>/run_instance.log beside SWE-agent runs, or use data with rewards.',
    });
  }
  return { ...result, path };
}

function hasOutcome(trajectory: Trajectory): boolean {
  return trajectory.outcome.resolved !== undefined;
}
