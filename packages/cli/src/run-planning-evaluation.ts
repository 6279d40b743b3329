import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  defaultPlanningScenarios,
  evaluatePlanning,
  type PlanningSummary,
  readPlanningTasks,
  summarizePlanning,
} from '@reins/trajectories';
import type { CliIo } from './cli-io.js';
import { MissingPathError } from './errors/missing-path-error.js';

/** The per-task file read when `--planning` names a folder. */
export const planningFileName = 'swe-bench-pro-per-task.json';

/**
 * Reads `--planning` (a per-task tool-times file, or the folder holding
 * `swe-bench-pro-per-task.json`) and evaluates budget-and-deadline planning on it: held-out
 * choices of two folds under the default scenarios, summarised for `reins evaluate` (field
 * `planning` of `--json`).
 *
 * @throws {MissingPathError} when the path does not exist.
 * @throws {TrajectoryFormatError} (from `@reins/trajectories`) when the file is malformed.
 * @example
 * ```ts
 * const { summary } = await runPlanningEvaluation(io, '../shared/data/tool-times');
 * ```
 */
export async function runPlanningEvaluation(
  io: CliIo,
  given: string,
): Promise<{ path: string; summary: PlanningSummary }> {
  const resolved = resolve(io.cwd, given);
  const kind = await stat(resolved).then(
    (info) => (info.isDirectory() ? 'folder' : info.isFile() ? 'file' : undefined),
    () => undefined,
  );
  const path = kind === 'folder' ? join(resolved, planningFileName) : resolved;
  const isFile =
    kind === 'file' ||
    (kind === 'folder' &&
      (await stat(path).then(
        (info) => info.isFile(),
        () => false,
      )));
  if (!isFile) {
    throw new MissingPathError({
      option: '--planning',
      given,
      path,
      expected: `a per-task tool-times file (or a folder holding ${planningFileName})`,
      hint: 'Pass ../shared/data/tool-times from the repository root.',
    });
  }
  const { tasks, actions } = await readPlanningTasks(path);
  const evaluation = evaluatePlanning(tasks, actions, {
    scenarios: defaultPlanningScenarios,
    folds: 2,
    seed: 1,
  });
  return { path, summary: summarizePlanning(evaluation) };
}
