import { createJsonReader, type JsonObject } from './json-reader.js';
import { messageContentText, parseReturnCode } from './message-content.js';
import { usageFromOpenAI } from './openai-usage.js';
import type {
  Trajectory,
  TrajectoryAction,
  TrajectoryOutcome,
  TrajectorySourceFormat,
  TrajectoryTurn,
} from './trajectory.js';
import { trajectoryVersion } from './trajectory.js';

/** Options of {@link fromOpenAIMessages}. */
export interface FromOpenAIMessagesOptions {
  /** The file the log was read from, for errors and `source.file`. */
  readonly file?: string;
  /** The path of the message list inside the file, for errors. @defaultValue `''` */
  readonly path?: string;
  /** The run's id. @defaultValue the file name */
  readonly id?: string;
  /** How the run ended, when known. */
  readonly outcome?: TrajectoryOutcome;
  /** The model that made the turns. */
  readonly modelId?: string;
  /** The record's position in a file of several runs. */
  readonly index?: number;
  /** Recorded under this source format. @defaultValue `'openai-messages'` */
  readonly sourceFormat?: TrajectorySourceFormat;
  /** Extra metadata to keep. */
  readonly metadata?: Trajectory['metadata'];
}

/**
 * Converts an OpenAI-format message list (`system`, `user`, `assistant` with `tool_calls`,
 * `tool` results) to a {@link Trajectory}. Each assistant message is a turn; `tool` messages are
 * the results of its calls (matched by `tool_call_id`); user messages between turns (a user's
 * replies in a conversation) are the turn's `feedback`. A non-standard `usage` on an assistant
 * message (OpenAI's response usage, with `cost` when a gateway adds it) is kept.
 *
 * @param raw - the message list, parsed.
 * @param options - file, id, outcome and model.
 * @returns the trajectory.
 * @throws {TrajectoryFormatError} naming the file and path of a malformed message.
 * @example
 * ```ts
 * const trajectory = fromOpenAIMessages(messages, { id: 'chat-1', outcome: { resolved: true } });
 * ```
 */
export function fromOpenAIMessages(
  raw: unknown,
  options: FromOpenAIMessagesOptions = {},
): Trajectory {
  const file = options.file ?? '<input>';
  const read = createJsonReader(file);
  const base = options.path ?? '';
  const at = (suffix: string) => (base === '' ? suffix : `${base}${suffix}`);
  const messages = read.array(raw, base);
  let system: string | undefined;
  let task: string | undefined;
  const turns: TrajectoryTurn[] = [];
  let current: { -readonly [TKey in keyof TrajectoryTurn]: TrajectoryTurn[TKey] } | undefined;

  const readToolCalls = (message: JsonObject, path: string): TrajectoryAction[] => {
    if (message.tool_calls === undefined || message.tool_calls === null) return [];
    const calls = read.array(message.tool_calls, `${path}.tool_calls`);
    return calls.map((value, position) => {
      const callPath = `${path}.tool_calls[${position}]`;
      const call = read.object(value, callPath);
      const fn = read.object(call.function, `${callPath}.function`);
      const args = fn.arguments;
      return {
        id:
          read.optionalString(call.id, `${callPath}.id`) ??
          `call_${turns.length + 1}_${position + 1}`,
        name: read.string(fn.name, `${callPath}.function.name`),
        arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
      };
    });
  };

  for (const [index, value] of messages.entries()) {
    const path = at(`[${index}]`);
    const message = read.object(value, path);
    const role = read.string(message.role, `${path}.role`);
    const content = messageContentText(read, message.content, `${path}.content`);
    switch (role) {
      case 'system':
      case 'developer':
        if (current === undefined)
          system = system === undefined ? content : `${system}\n${content}`;
        else current.feedback = [...(current.feedback ?? []), content];
        continue;
      case 'user':
        if (current === undefined && task === undefined) task = content;
        else if (current === undefined) task = `${task}\n${content}`;
        else current.feedback = [...(current.feedback ?? []), content];
        continue;
      case 'assistant': {
        if (current !== undefined) turns.push(current);
        current = { index: turns.length + 1, text: content, actions: readToolCalls(message, path) };
        const reasoning = message.reasoning_content ?? message.reasoning;
        if (typeof reasoning === 'string' && reasoning !== '') current.reasoning = reasoning;
        if (message.usage !== undefined && message.usage !== null)
          current.usage = usageFromOpenAI(read, message.usage, `${path}.usage`);
        continue;
      }
      case 'tool':
      case 'function': {
        if (current === undefined) {
          read.fail(`${path}.role`, 'a tool result after an assistant turn', role);
          continue;
        }
        const callId = read.optionalString(message.tool_call_id, `${path}.tool_call_id`);
        const turn = current;
        let position = turn.actions.findIndex(
          (action) => action.id === callId && action.result === undefined,
        );
        if (position < 0)
          position = turn.actions.findIndex((action) => action.result === undefined);
        if (position < 0)
          read.fail(
            `${path}.tool_call_id`,
            `the id of an unanswered tool call of turn ${turn.index}`,
            callId,
          );
        const action = turn.actions[position] as TrajectoryAction;
        const exitCode = parseReturnCode(content);
        turn.actions = turn.actions.map((item, itemIndex) =>
          itemIndex === position
            ? {
                ...action,
                result: {
                  status: /^error\b/i.test(content) ? 'error' : 'ok',
                  output: content,
                  ...(exitCode === undefined ? {} : { exitCode }),
                },
              }
            : item,
        );
        continue;
      }
      default:
        read.fail(
          `${path}.role`,
          "one of 'system', 'developer', 'user', 'assistant', 'tool'",
          role,
        );
    }
  }
  if (current !== undefined) turns.push(current);
  if (task === undefined) read.fail(base, 'a user message holding the task', messages);

  const id = options.id ?? (file.split(/[\\/]/).at(-1) ?? file).replace(/\.jsonl?$/, '');
  const trajectory: Trajectory = {
    format: 'reins.trajectory',
    version: trajectoryVersion,
    id: id === '' ? 'run' : id,
    task: task ?? '',
    turns,
    outcome: options.outcome ?? {},
    source: {
      format: options.sourceFormat ?? 'openai-messages',
      ...(options.file === undefined ? {} : { file: options.file }),
      ...(options.index === undefined ? {} : { index: options.index }),
    },
  };
  if (system !== undefined) trajectory.system = system;
  if (options.modelId !== undefined) trajectory.model = { modelId: options.modelId };
  if (options.metadata !== undefined) trajectory.metadata = options.metadata;
  return trajectory;
}
