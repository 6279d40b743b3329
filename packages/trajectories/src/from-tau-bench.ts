import { fromOpenAIMessages } from './from-openai-messages.js';
import { createJsonReader } from './json-reader.js';
import type { Trajectory } from './trajectory.js';

/** Options of {@link fromTauBench}. */
export interface FromTauBenchOptions {
  /** The file the results were read from, for errors and `source.file`. */
  readonly file?: string;
  /** The agent's model, which tau-bench result files do not record. */
  readonly modelId?: string;
  /**
   * The reward at or above which a conversation counts as resolved.
   * @defaultValue 1
   */
  readonly resolvedReward?: number;
}

/**
 * Converts a tau-bench results file (a list of `{task_id, trial, reward, info, traj}`) to one
 * {@link Trajectory} per conversation. `traj` is an OpenAI-format message list (see
 * {@link fromOpenAIMessages}): the simulated user's messages become turn feedback. `reward` is
 * kept and sets `resolved`. tau-bench records no per-call usage of the agent, so turns carry
 * none; the simulated user's cost is kept as `metadata.userCostUsd`.
 *
 * @param raw - the parsed JSON of the file.
 * @param options - file name, model, reward threshold.
 * @returns the conversations, in file order, with ids `<task_id>-<trial>`.
 * @throws {TrajectoryFormatError} naming the file and record path of a malformed field.
 * @example
 * ```ts
 * const runs = fromTauBench(JSON.parse(text), { file, modelId: 'gpt-4o' });
 * ```
 */
export function fromTauBench(raw: unknown, options: FromTauBenchOptions = {}): Trajectory[] {
  const file = options.file ?? '<input>';
  const read = createJsonReader(file);
  const records = read.array(raw, '');
  const threshold = options.resolvedReward ?? 1;
  return records.map((value, index) => {
    const path = `[${index}]`;
    const record = read.object(value, path);
    const taskId = record.task_id;
    if (typeof taskId !== 'number' && typeof taskId !== 'string')
      read.fail(`${path}.task_id`, 'a task id (number or string)', taskId);
    const trial = read.optionalNumber(record.trial, `${path}.trial`) ?? 0;
    const reward = read.number(record.reward, `${path}.reward`);
    const info =
      record.info === undefined || record.info === null
        ? {}
        : read.object(record.info, `${path}.info`);
    const userCost = read.optionalNumber(info.user_cost, `${path}.info.user_cost`);
    return fromOpenAIMessages(record.traj, {
      file,
      path: `${path}.traj`,
      id: `${String(taskId)}-${trial}`,
      index,
      sourceFormat: 'tau-bench',
      outcome: { reward, resolved: reward >= threshold },
      ...(options.modelId === undefined ? {} : { modelId: options.modelId }),
      metadata: {
        taskId: taskId as string | number,
        trial,
        ...(userCost === undefined ? {} : { userCostUsd: userCost }),
      },
    });
  });
}
