import { readFile } from 'node:fs/promises';
import type { PlanOutcome } from '@reins/controller';
import { TrajectoryFormatError } from './errors/trajectory-format-error.js';
import { createJsonReader, parseJsonText } from './json-reader.js';

/** One task run under every action: what a held-out evaluation of a planner replays. */
export interface PlanningTask {
  readonly id: string;
  /** The task's kind (its repository). */
  readonly kind: string;
  /** The recorded outcome of the task under each action, by action name. */
  readonly outcomes: Readonly<Record<string, PlanOutcome>>;
}

/**
 * Reads per-task records of SWE-agent runs of several models (the `tool-times`
 * `swe-bench-pro-per-task.json` format: `[{ instance_id, repo, <model>: { resolved, steps,
 * model_stats.instance_cost, tool_time.total_seconds } }]`) as {@link PlanningTask}s whose actions
 * are the models: cost is the run's cost, time its summed tool time (the records hold no model
 * latency), turns its steps. Only tasks recorded under every model are kept.
 *
 * @param file - the JSON file.
 * @returns the tasks and the action (model) names, in the file's order.
 * @throws TrajectoryFormatError naming the file and field when the file is missing or malformed.
 * @example
 * ```ts
 * const { tasks, actions } = await readPlanningTasks('../shared/data/tool-times/swe-bench-pro-per-task.json');
 * ```
 */
export async function readPlanningTasks(
  file: string,
): Promise<{ tasks: PlanningTask[]; actions: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TrajectoryFormatError(
      {
        file,
        path: '',
        expected: 'a per-task tool-times JSON file',
        received: `nothing: ${(error as Error).message}`,
        hint: 'Put the shared data at ../shared/data (tool-times/swe-bench-pro-per-task.json) or pass its path.',
      },
      { cause: error },
    );
  }
  const read = createJsonReader(file);
  const rows = read.array(parseJsonText(text, file), '');
  const actions: string[] = [];
  const parsed = rows.map((row, index) => {
    const record = read.object(row, `[${index}]`);
    const id = read.string(record.instance_id, `[${index}].instance_id`);
    const kind = read.string(record.repo, `[${index}].repo`);
    const outcomes: Record<string, PlanOutcome> = {};
    for (const [key, value] of Object.entries(record)) {
      if (typeof value !== 'object' || value === null || !('model_stats' in value)) continue;
      const path = `[${index}].${key}`;
      const run = read.object(value, path);
      const stats = read.object(run.model_stats, `${path}.model_stats`);
      const toolTime = read.object(run.tool_time, `${path}.tool_time`);
      const resolved = run.resolved;
      if (typeof resolved !== 'boolean') read.fail(`${path}.resolved`, 'true or false', resolved);
      outcomes[key] = {
        action: key,
        costUsd: read.number(stats.instance_cost, `${path}.model_stats.instance_cost`),
        seconds: read.number(toolTime.total_seconds, `${path}.tool_time.total_seconds`),
        turns: Math.max(1, read.number(run.steps, `${path}.steps`)),
        succeeded: resolved as boolean,
        kind,
      };
      if (!actions.includes(key)) actions.push(key);
    }
    return { id, kind, outcomes };
  });
  const tasks = parsed.filter((task) => actions.every((action) => action in task.outcomes));
  return { tasks, actions };
}
