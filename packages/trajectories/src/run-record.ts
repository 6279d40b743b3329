import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type AgentEvent,
  type Message,
  type RunHandle,
  type RunResult,
  type ToolResult,
  toolResultText,
} from '@reins/core';
import { TrajectoryFormatError } from './errors/trajectory-format-error.js';
import { describeJsonValue, parseJsonText } from './json-reader.js';
import {
  type ActionResult,
  type Trajectory,
  type TrajectoryOutcome,
  type TrajectoryTurn,
  trajectorySchema,
  trajectoryVersion,
} from './trajectory.js';

/** Options of {@link toTrajectory}. */
export interface ToTrajectoryOptions {
  /** The run's result, from `handle.result`. */
  readonly result: RunResult;
  /** The task the run was started with; @defaultValue the first task message of the history */
  readonly task?: string;
  /** The run's events (from `handle.on('*')`): they give each turn its start time. */
  readonly events?: readonly AgentEvent[];
  /** The model that made the turns. */
  readonly model?: { readonly provider?: string; readonly modelId: string };
  /** The outcome, when the caller knows whether the task was solved. */
  readonly outcome?: TrajectoryOutcome;
  /** Extra metadata to keep. */
  readonly metadata?: Trajectory['metadata'];
}

/**
 * Converts a finished Reins run (its `RunResult` and, optionally, its events) to a
 * {@link Trajectory}, so that a user's own runs feed evaluation and calibration. Assistant
 * messages are turns (usage from the message), tool messages their actions' results, later user
 * and system messages (interruptions, controller messages) their `feedback`.
 *
 * @param options - the result, the task, the events and the model.
 * @returns the trajectory (`source.format: 'reins'`, `outcome.exitStatus` the run's status).
 * @example
 * ```ts
 * const trajectory = toTrajectory({ result: await handle.result, events });
 * ```
 */
export function toTrajectory(options: ToTrajectoryOptions): Trajectory {
  const { result } = options;
  const starts = (options.events ?? [])
    .filter((event) => event.type === 'turn.start')
    .map((event) => event.at);
  let system: string | undefined;
  let task: string | undefined = options.task;
  let taskSeen = false;
  const turns: TrajectoryTurn[] = [];
  let current: { -readonly [TKey in keyof TrajectoryTurn]: TrajectoryTurn[TKey] } | undefined;
  for (const message of result.messages as readonly Message[]) {
    if (message.role === 'assistant') {
      if (current !== undefined) turns.push(current);
      const index = turns.length + 1;
      current = {
        index,
        text: message.content,
        // A trajectory keeps Reins' call ids; the server's are not part of the format.
        actions: message.toolCalls.map(({ providerCallId: _server, ...call }) => call),
      };
      if (message.reasoning !== undefined) current.reasoning = message.reasoning;
      if (message.usage !== undefined) current.usage = message.usage;
      if (message.interrupted === true) current.finishReason = 'interrupted';
      const startedAt = starts[index - 1];
      if (startedAt !== undefined) current.startedAt = startedAt;
    } else if (message.role === 'tool') {
      if (current === undefined) continue;
      current.actions = current.actions.map((action) =>
        action.id === message.toolCallId && action.result === undefined
          ? { ...action, result: toActionResult(message.result) }
          : action,
      );
    } else if (current === undefined) {
      if (message.role === 'system')
        system = system === undefined ? message.content : `${system}\n${message.content}`;
      else if (!taskSeen && (message.origin === undefined || message.origin.kind === 'task')) {
        task ??= message.content;
        taskSeen = true;
      }
    } else {
      current.feedback = [...(current.feedback ?? []), message.content];
    }
  }
  if (current !== undefined) turns.push(current);
  const trajectory: Trajectory = {
    format: 'reins.trajectory',
    version: trajectoryVersion,
    id: result.runId,
    task: task ?? '',
    turns,
    outcome: { exitStatus: result.status, ...options.outcome },
    totals: {
      costUsd: result.usage.costUsd,
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      modelCalls: result.turns,
    },
    source: { format: 'reins', formatVersion: `reins.trajectory@${trajectoryVersion}` },
  };
  if (system !== undefined) trajectory.system = system;
  if (options.model !== undefined) trajectory.model = { ...options.model };
  if (options.metadata !== undefined) trajectory.metadata = options.metadata;
  return trajectory;
}

function toActionResult(result: ToolResult): ActionResult {
  if (result.status === 'ok') return { status: 'ok', output: result.output };
  return { status: result.status, output: toolResultText(result) };
}

/** Options of {@link recordRun}. */
export type RecordRunOptions = Omit<ToTrajectoryOptions, 'result' | 'events'> & {
  /** When set, the trajectory is appended to this JSONL file (see {@link appendRunRecord}). */
  readonly file?: string;
};

/**
 * Records a run as it happens: listens to the handle's events, and when the run ends returns
 * its {@link Trajectory} (appended to `file` when given).
 *
 * @param handle - the run, right after `agent.run()`.
 * @param options - task, model, outcome, and the JSONL file to append to.
 * @returns the trajectory, once the run has ended.
 * @example
 * ```ts
 * const trajectory = await recordRun(agent.run(task), { task, file: 'runs/history.jsonl' });
 * ```
 */
export async function recordRun(
  handle: RunHandle,
  options: RecordRunOptions = {},
): Promise<Trajectory> {
  const events: AgentEvent[] = [];
  const listener = (event: AgentEvent) => {
    if (event.type === 'turn.start') events.push(event);
  };
  handle.on('*', listener);
  const result = await handle.result;
  handle.off('*', listener);
  const { file, ...rest } = options;
  const trajectory = toTrajectory({ ...rest, result, events });
  if (file !== undefined) await appendRunRecord(file, trajectory);
  return trajectory;
}

/**
 * Appends one run to a JSONL file of run records (one trajectory per line), creating the file
 * and its folder when needed. A user's history accumulates in it as they use Reins.
 * @param file - the JSONL file.
 * @param trajectory - the run.
 * @example
 * ```ts
 * await appendRunRecord('runs/history.jsonl', trajectory);
 * ```
 */
export async function appendRunRecord(file: string, trajectory: Trajectory): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(trajectorySchema.parse(trajectory))}\n`, 'utf8');
}

/**
 * Reads a JSONL file of run records written by {@link appendRunRecord} (or a single trajectory
 * JSON file).
 * @param file - the file.
 * @returns its trajectories, in order.
 * @throws {TrajectoryFormatError} naming the file, the line and the field that is malformed.
 * @example
 * ```ts
 * const history = await readRunRecords('runs/history.jsonl');
 * ```
 */
export async function readRunRecords(file: string): Promise<Trajectory[]> {
  return parseRunRecords(await readFile(file, 'utf8'), file);
}

/**
 * Parses the text of a JSONL file of run records; see {@link readRunRecords}.
 * @example
 * ```ts
 * const runs = parseRunRecords(text, 'history.jsonl');
 * ```
 */
export function parseRunRecords(text: string, file: string): Trajectory[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    return [validateRecord(parseJsonText(text, file), file, '')];
  }
  const trajectories: Trajectory[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    trajectories.push(validateRecord(parseJsonText(line, where), where, ''));
  });
  return trajectories;
}

function validateRecord(value: unknown, file: string, base: string): Trajectory {
  const parsed = trajectorySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? [])
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
  let found: unknown = value;
  for (const key of issue?.path ?? []) {
    found =
      typeof found === 'object' && found !== null
        ? (found as Record<PropertyKey, unknown>)[key as PropertyKey]
        : undefined;
  }
  throw new TrajectoryFormatError({
    file,
    path: base + path,
    expected: issue?.message ?? 'a Reins trajectory',
    received: describeJsonValue(found),
    hint: `Each line must be a Reins trajectory (format 'reins.trajectory', version ${trajectoryVersion}); write them with appendRunRecord().`,
  });
}
