import { createJsonReader, type JsonObject, type JsonReader } from './json-reader.js';
import { findBashBlocks, messageContentText, parseReturnCode } from './message-content.js';
import { usageFromOpenAI } from './openai-usage.js';
import type { Trajectory, TrajectoryAction, TrajectoryTurn } from './trajectory.js';
import { trajectoryVersion } from './trajectory.js';

/** Options of {@link fromMiniSweAgent}. */
export interface FromMiniSweAgentOptions {
  /** The file the run was read from, for errors and `source.file`. */
  readonly file?: string;
  /** The SWE-bench harness verdict (`<id>.report.json`), parsed; sets `outcome.resolved`. */
  readonly report?: unknown;
  /** The report's file name, for errors. */
  readonly reportFile?: string;
}

/**
 * Converts a mini-swe-agent run (`<id>.traj.json`: `info`, `messages`, `trajectory_format`) to a
 * {@link Trajectory}. Each assistant message is a turn; its one ```` ```bash ```` block is a `bash`
 * action whose result is the next observation (`<returncode>` parsed as the exit code). A turn
 * without exactly one block (a format error) has no action, and what the agent was told is its
 * `feedback`. Usage and cost come from `extra.response.usage` (or `extra.cost`); tool-calling
 * runs (`tool_calls` and `tool` messages) are read as well.
 *
 * @param raw - the parsed JSON of the file.
 * @param options - the file name and, when known, the harness report.
 * @returns the trajectory.
 * @throws {TrajectoryFormatError} naming the file and path of a malformed field.
 * @example
 * ```ts
 * const trajectory = fromMiniSweAgent(JSON.parse(text), { file, report: JSON.parse(reportText) });
 * ```
 */
export function fromMiniSweAgent(raw: unknown, options: FromMiniSweAgentOptions = {}): Trajectory {
  const file = options.file ?? '<input>';
  const read = createJsonReader(file);
  const root = read.object(raw, '');
  const info = read.object(root.info, 'info');
  const messages = read.array(root.messages, 'messages');
  const instanceId =
    read.optionalString(root.instance_id, 'instance_id') ?? instanceIdFromFile(file);

  let system: string | undefined;
  let task: string | undefined;
  const turns: TrajectoryTurn[] = [];
  let current: { turn: MutableTurn; pending: TrajectoryAction[] } | undefined;
  let modelId: string | undefined;
  let provider: string | undefined;

  messages.forEach((value, index) => {
    const path = `messages[${index}]`;
    const message = read.object(value, path);
    const role = read.string(message.role, `${path}.role`);
    const content = messageContentText(read, message.content, `${path}.content`);
    if (role === 'system' && current === undefined) {
      system = system === undefined ? content : `${system}\n${content}`;
      return;
    }
    if (role === 'user' && current === undefined && task === undefined) {
      task = content;
      return;
    }
    if (role === 'assistant') {
      if (current !== undefined) turns.push(finishTurn(current));
      const turn = readAssistant(read, message, path, turns.length + 1, content);
      modelId ??= turn.modelId;
      provider ??= turn.provider;
      current = { turn: turn.turn, pending: turn.turn.actions.slice() };
      return;
    }
    if (current === undefined) {
      read.fail(`${path}.role`, "'assistant' (the first model turn) after the task", role);
      return;
    }
    if (role === 'tool') {
      const callId = read.optionalString(message.tool_call_id, `${path}.tool_call_id`);
      const position = current.pending.findIndex((action) => action.id === callId);
      const action =
        position >= 0 ? current.pending.splice(position, 1)[0] : current.pending.shift();
      if (action === undefined) {
        read.fail(`${path}.tool_call_id`, 'the id of a tool call of the previous turn', callId);
        return;
      }
      setResult(current.turn, action.id, content);
      return;
    }
    // A user (or system) message after a turn: the observation of its one shell action, or
    // feedback when there is no action left to answer.
    const action = current.pending.shift();
    if (action !== undefined) setResult(current.turn, action.id, content);
    else current.turn.feedback = [...(current.turn.feedback ?? []), content];
  });
  if (current !== undefined) turns.push(finishTurn(current));
  if (task === undefined) read.fail('messages', 'a user message holding the task', messages);

  const stats =
    info.model_stats === undefined ? undefined : read.object(info.model_stats, 'info.model_stats');
  const resolved =
    options.report === undefined
      ? undefined
      : readSweBenchVerdict(options.report, instanceId, options.reportFile ?? `${file} report`);
  const exitStatus = read.optionalString(info.exit_status, 'info.exit_status');
  const configModel = modelNameFromConfig(info);
  const trajectory: Trajectory = {
    format: 'reins.trajectory',
    version: trajectoryVersion,
    id: instanceId,
    task: task ?? '',
    turns,
    outcome: {
      ...(resolved === undefined ? {} : { resolved }),
      ...(exitStatus === undefined ? {} : { exitStatus }),
    },
    source: {
      format: 'mini-swe-agent',
      formatVersion:
        read.optionalString(root.trajectory_format, 'trajectory_format') ?? 'mini-swe-agent-1',
      ...(options.file === undefined ? {} : { file: options.file }),
    },
  };
  if (system !== undefined) trajectory.system = system;
  const model = modelId ?? configModel;
  if (model !== undefined)
    trajectory.model = { modelId: model, ...(provider === undefined ? {} : { provider }) };
  if (stats !== undefined) {
    const costUsd = read.optionalNumber(stats.instance_cost, 'info.model_stats.instance_cost');
    const modelCalls = read.optionalNumber(stats.api_calls, 'info.model_stats.api_calls');
    trajectory.totals = {
      ...(costUsd === undefined ? {} : { costUsd }),
      ...(modelCalls === undefined ? {} : { modelCalls }),
    };
  }
  return trajectory;
}

type MutableTurn = {
  -readonly [TKey in keyof TrajectoryTurn]: TrajectoryTurn[TKey];
};

function readAssistant(
  read: JsonReader,
  message: JsonObject,
  path: string,
  index: number,
  content: string,
): { turn: MutableTurn; modelId?: string; provider?: string } {
  const turn: MutableTurn = { index, text: content, actions: [] };
  if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    message.tool_calls.forEach((value, position) => {
      const callPath = `${path}.tool_calls[${position}]`;
      const call = read.object(value, callPath);
      const fn = read.object(call.function, `${callPath}.function`);
      const args = fn.arguments;
      turn.actions.push({
        id: read.optionalString(call.id, `${callPath}.id`) ?? `call_${index}_${position + 1}`,
        name: read.string(fn.name, `${callPath}.function.name`),
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      });
    });
  } else {
    const commands = findBashBlocks(content);
    if (commands.length === 1) {
      turn.actions.push({
        id: `call_${index}`,
        name: 'bash',
        arguments: JSON.stringify({ command: commands[0] }),
      });
    }
  }
  const result: { turn: MutableTurn; modelId?: string; provider?: string } = { turn };
  if (message.extra === undefined || message.extra === null) return result;
  const extra = read.object(message.extra, `${path}.extra`);
  if (extra.response === undefined || extra.response === null) return result;
  const responsePath = `${path}.extra.response`;
  const response = read.object(extra.response, responsePath);
  const extraCost = read.optionalNumber(extra.cost, `${path}.extra.cost`);
  if (response.usage !== undefined && response.usage !== null) {
    turn.usage = usageFromOpenAI(read, response.usage, `${responsePath}.usage`, extraCost);
  } else if (extraCost !== undefined) {
    turn.usage = {
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      costUsd: extraCost,
    };
  }
  const created = read.optionalNumber(response.created, `${responsePath}.created`);
  if (created !== undefined) turn.startedAt = created * 1000;
  const choices = Array.isArray(response.choices) ? response.choices : [];
  const choice = choices[0];
  if (typeof choice === 'object' && choice !== null) {
    const choiceObject = choice as JsonObject;
    if (typeof choiceObject.finish_reason === 'string')
      turn.finishReason = choiceObject.finish_reason.toLowerCase();
    const reply = choiceObject.message;
    if (typeof reply === 'object' && reply !== null) {
      const reasoning =
        (reply as JsonObject).reasoning ?? (reply as JsonObject).reasoning_content ?? undefined;
      if (typeof reasoning === 'string' && reasoning !== '') turn.reasoning = reasoning;
    }
  }
  const model = read.optionalString(response.model, `${responsePath}.model`);
  const provider = read.optionalString(response.provider, `${responsePath}.provider`);
  if (model !== undefined) result.modelId = model;
  if (provider !== undefined) result.provider = provider;
  return result;
}

function setResult(turn: MutableTurn, actionId: string, output: string): void {
  turn.actions = turn.actions.map((action) => {
    if (action.id !== actionId) return action;
    const exitCode = parseReturnCode(output);
    const timedOut = exitCode === undefined && /timed out/i.test(output.slice(0, 400));
    return {
      ...action,
      result: {
        status: timedOut || (exitCode !== undefined && exitCode !== 0) ? 'error' : 'ok',
        output,
        ...(exitCode === undefined ? {} : { exitCode }),
      },
    };
  });
}

function finishTurn(current: { turn: MutableTurn }): TrajectoryTurn {
  return current.turn;
}

function modelNameFromConfig(info: JsonObject): string | undefined {
  const config = info.config;
  if (typeof config !== 'object' || config === null) return undefined;
  const model = (config as JsonObject).model;
  if (typeof model !== 'object' || model === null) return undefined;
  const name = (model as JsonObject).model_name;
  return typeof name === 'string' ? name : undefined;
}

function instanceIdFromFile(file: string): string {
  const base = file.split(/[\\/]/).at(-1) ?? file;
  return base.replace(/\.traj(\.json)?$/, '') || 'run';
}

/**
 * Reads a SWE-bench harness verdict: a `report.json` (`{ <instance>: { resolved } }` or
 * `{ resolved }`).
 * @param report - the parsed report.
 * @param instanceId - the instance the report should be about.
 * @param file - the report's file name, for errors.
 * @returns whether the instance was resolved.
 * @throws {TrajectoryFormatError} when the report has no `resolved` boolean.
 * @example
 * ```ts
 * readSweBenchVerdict({ 'django__django-1': { resolved: true } }, 'django__django-1', 'r.json'); // true
 * ```
 */
export function readSweBenchVerdict(report: unknown, instanceId: string, file: string): boolean {
  const read = createJsonReader(file);
  const root = read.object(report, '');
  const entry = root[instanceId] === undefined ? root : read.object(root[instanceId], instanceId);
  const resolved = entry.resolved;
  if (typeof resolved !== 'boolean') {
    const path = entry === root ? 'resolved' : `${instanceId}.resolved`;
    return read.fail(path, 'a boolean verdict', resolved);
  }
  return resolved;
}
