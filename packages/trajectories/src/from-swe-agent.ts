import type { Usage } from '@reins/core';
import { createJsonReader, type JsonObject, type JsonReader } from './json-reader.js';
import { messageContentText } from './message-content.js';
import type { Trajectory, TrajectoryAction, TrajectoryTurn } from './trajectory.js';
import { trajectoryVersion } from './trajectory.js';

/** Options of {@link fromSweAgent}. */
export interface FromSweAgentOptions {
  /** The file the run was read from, for errors and `source.file`. */
  readonly file?: string;
  /** The run's id. @defaultValue the file name without `.traj` */
  readonly id?: string;
  /** The model's name, when the file does not say (SWE-agent 0.x keeps it in the run folder's name). */
  readonly modelId?: string;
  /** The SWE-bench harness log (`run_instance.log`); its last `resolved: True|False` is the verdict. */
  readonly harnessLog?: string;
}

/**
 * Converts a SWE-agent run (`<id>.traj`) to a {@link Trajectory}: 0.x files (`trajectory[]` of
 * `{action, observation, response, thought, state}` and `history[]`) and 1.x files (steps with
 * `query`, `execution_time`, `tool_calls`). Each step is a turn; its action becomes a `bash`
 * action (or the recorded tool calls), its observation the action's result.
 *
 * SWE-agent records usage only per run (`info.model_stats`): the run's tokens and cost are
 * apportioned to turns by prompt size (the exact `query` of 1.x steps, else the history's
 * length so far) and marked `usageEstimated`. Turn costs therefore sum to `instance_cost`.
 *
 * @param raw - the parsed JSON of the file.
 * @param options - file name, id, model and harness log.
 * @returns the trajectory.
 * @throws {TrajectoryFormatError} naming the file and path of a malformed field.
 * @example
 * ```ts
 * const trajectory = fromSweAgent(JSON.parse(text), { file, modelId: 'gpt-4o', harnessLog });
 * ```
 */
export function fromSweAgent(raw: unknown, options: FromSweAgentOptions = {}): Trajectory {
  const file = options.file ?? '<input>';
  const read = createJsonReader(file);
  const root = read.object(raw, '');
  const steps = read.array(root.trajectory, 'trajectory');
  const info = read.object(root.info, 'info');
  const history = root.history === undefined ? [] : read.array(root.history, 'history');
  const isV1 =
    typeof info.swe_agent_version === 'string' ||
    steps.some(
      (step) =>
        typeof step === 'object' &&
        step !== null &&
        ('query' in step ||
          'execution_time' in step ||
          typeof (step as JsonObject).state === 'object'),
    );

  let system: string | undefined;
  let task: string | undefined;
  history.forEach((value, index) => {
    const path = `history[${index}]`;
    const item = read.object(value, path);
    if (item.is_demo === true) return;
    const role = read.string(item.role, `${path}.role`);
    if (role === 'system' && system === undefined)
      system = messageContentText(read, item.content, `${path}.content`);
    if (role === 'user' && task === undefined)
      task = messageContentText(read, item.content, `${path}.content`);
  });

  const promptChars: number[] = [];
  const outputChars: number[] = [];
  let historyChars = (system?.length ?? 0) + (task?.length ?? 0);
  const turns: TrajectoryTurn[] = steps.map((value, position) => {
    const path = `trajectory[${position}]`;
    const step = read.object(value, path);
    const response = messageContentText(read, step.response, `${path}.response`);
    const observation = messageContentText(read, step.observation, `${path}.observation`);
    const action = read.optionalString(step.action, `${path}.action`) ?? '';
    const index = position + 1;
    const actions = readActions(read, step, path, index, action, observation);
    const turn: TrajectoryTurn = {
      index,
      text: response,
      actions,
      ...(actions.length === 0 && observation !== '' ? { feedback: [observation] } : {}),
    };
    const thought = read.optionalString(step.thought, `${path}.thought`);
    if (thought !== undefined && thought !== '' && !response.includes(thought.trim()))
      turn.reasoning = thought;
    promptChars.push(queryChars(step.query) ?? historyChars);
    outputChars.push(Math.max(1, response.length));
    historyChars += response.length + observation.length;
    return turn;
  });

  const stats =
    info.model_stats === undefined || info.model_stats === null
      ? undefined
      : read.object(info.model_stats, 'info.model_stats');
  const totals: NonNullable<Trajectory['totals']> = {};
  if (stats !== undefined) {
    const costUsd = read.optionalNumber(stats.instance_cost, 'info.model_stats.instance_cost');
    const inputTokens = read.optionalNumber(stats.tokens_sent, 'info.model_stats.tokens_sent');
    const outputTokens = read.optionalNumber(
      stats.tokens_received,
      'info.model_stats.tokens_received',
    );
    const modelCalls = read.optionalNumber(stats.api_calls, 'info.model_stats.api_calls');
    if (costUsd !== undefined) totals.costUsd = costUsd;
    if (inputTokens !== undefined) totals.inputTokens = inputTokens;
    if (outputTokens !== undefined) totals.outputTokens = outputTokens;
    if (modelCalls !== undefined) totals.modelCalls = modelCalls;
    apportionUsage(turns, promptChars, outputChars, totals);
  }

  const exitStatus = read.optionalString(info.exit_status, 'info.exit_status');
  const resolved =
    options.harnessLog === undefined ? undefined : verdictFromLog(options.harnessLog);
  const id = options.id ?? (file.split(/[\\/]/).at(-1) ?? file).replace(/\.traj$/, '');
  const modelId = options.modelId ?? modelFromReplayConfig(root.replay_config);
  const trajectory: Trajectory = {
    format: 'reins.trajectory',
    version: trajectoryVersion,
    id: id === '' ? 'run' : id,
    task: task ?? '',
    turns,
    outcome: {
      ...(resolved === undefined ? {} : { resolved }),
      ...(exitStatus === undefined ? {} : { exitStatus }),
    },
    totals,
    source: {
      format: 'swe-agent',
      formatVersion: isV1
        ? `swe-agent-${typeof info.swe_agent_version === 'string' ? info.swe_agent_version : '1.x'}`
        : 'swe-agent-0.x',
      ...(options.file === undefined ? {} : { file: options.file }),
    },
  };
  if (system !== undefined) trajectory.system = system;
  if (modelId !== undefined) trajectory.model = { modelId };
  return trajectory;
}

function readActions(
  read: JsonReader,
  step: JsonObject,
  path: string,
  index: number,
  action: string,
  observation: string,
): TrajectoryAction[] {
  const result = { status: 'ok' as const, output: observation };
  if (Array.isArray(step.tool_calls) && step.tool_calls.length > 0) {
    const ids = Array.isArray(step.tool_call_ids) ? step.tool_call_ids : [];
    return step.tool_calls.map((value, position) => {
      const callPath = `${path}.tool_calls[${position}]`;
      const call = read.object(value, callPath);
      const fn = read.object(call.function, `${callPath}.function`);
      const args = fn.arguments;
      const id = call.id ?? ids[position];
      return {
        id: typeof id === 'string' && id !== '' ? id : `call_${index}_${position + 1}`,
        name: read.string(fn.name, `${callPath}.function.name`),
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
        ...(position === 0 ? { result } : {}),
      };
    });
  }
  const command = action.trim();
  if (command === '') return [];
  return [{ id: `call_${index}`, name: 'bash', arguments: JSON.stringify({ command }), result }];
}

function queryChars(query: unknown): number | undefined {
  if (!Array.isArray(query) || query.length === 0) return undefined;
  let chars = 0;
  for (const message of query) {
    if (typeof message !== 'object' || message === null) continue;
    const content = (message as JsonObject).content;
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content))
      for (const part of content)
        if (
          typeof part === 'object' &&
          part !== null &&
          typeof (part as JsonObject).text === 'string'
        )
          chars += ((part as JsonObject).text as string).length;
  }
  return chars;
}

/** Splits run totals over turns: input by prompt size, output by response size, cost by both. */
function apportionUsage(
  turns: TrajectoryTurn[],
  promptChars: readonly number[],
  outputChars: readonly number[],
  totals: NonNullable<Trajectory['totals']>,
): void {
  if (turns.length === 0) return;
  const inputShares = shares(promptChars);
  const outputShares = shares(outputChars);
  const inputTokens = splitInteger(totals.inputTokens ?? 0, inputShares);
  const outputTokens = splitInteger(totals.outputTokens ?? 0, outputShares);
  const weights = turns.map((_, index) => (inputTokens[index] ?? 0) + (outputTokens[index] ?? 0));
  const costShares = weights.some((weight) => weight > 0) ? shares(weights) : inputShares;
  const cost = totals.costUsd ?? 0;
  let assigned = 0;
  turns.forEach((turn, index) => {
    const last = index === turns.length - 1;
    const costUsd = last ? Math.max(0, cost - assigned) : cost * (costShares[index] ?? 0);
    assigned += costUsd;
    const usage: Usage = {
      inputTokens: inputTokens[index] ?? 0,
      cachedInputTokens: 0,
      outputTokens: outputTokens[index] ?? 0,
      reasoningTokens: 0,
      costUsd,
    };
    (turn as { usage?: Usage }).usage = usage;
    (turn as { usageEstimated?: boolean }).usageEstimated = true;
  });
}

function shares(values: readonly number[]): number[] {
  const total = values.reduce((sum, value) => sum + value, 0);
  if (total <= 0) return values.map(() => 1 / values.length);
  return values.map((value) => value / total);
}

function splitInteger(total: number, weights: readonly number[]): number[] {
  const parts = weights.map((weight) => Math.floor(total * weight));
  let rest = total - parts.reduce((sum, value) => sum + value, 0);
  for (let index = parts.length - 1; rest > 0 && index >= 0; index -= 1, rest -= 1)
    parts[index] = (parts[index] ?? 0) + 1;
  return parts;
}

/**
 * The verdict in a SWE-bench harness log: the last `resolved: True` or `resolved: False`.
 * @returns `undefined` when the log holds no verdict.
 * @example
 * ```ts
 * verdictFromLog('Result for x: resolved: True\n'); // true
 * ```
 */
export function verdictFromLog(log: string): boolean | undefined {
  const matches = [...log.matchAll(/resolved: (True|False)\b/g)];
  const last = matches.at(-1);
  return last === undefined ? undefined : last[1] === 'True';
}

function modelFromReplayConfig(value: unknown): string | undefined {
  let config: unknown = value;
  if (typeof value === 'string') {
    try {
      config = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof config !== 'object' || config === null) return undefined;
  const agent = (config as JsonObject).agent;
  if (typeof agent !== 'object' || agent === null) return undefined;
  const model = (agent as JsonObject).model;
  if (typeof model !== 'object' || model === null) return undefined;
  const name = (model as JsonObject).name;
  return typeof name === 'string' ? name : undefined;
}
