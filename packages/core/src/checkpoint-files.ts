import { z } from 'zod';
import type { RunCheckpoint } from './checkpointer.js';
import { checkpointVersion } from './checkpointer.js';
import { CheckpointError } from './errors/checkpoint-error.js';
import { interruptSchema } from './interrupt.js';
import { type Message, messageSchema, toolResultSchema } from './message.js';
import { usageSchema } from './usage.js';

/**
 * The names of a run's files in a checkpoint folder: `<runId>.json` (its state) and
 * `<runId>.<generation>.jsonl` (its history). The file checkpointer reads, writes and deletes
 * these names only, so that nothing outside them can be touched through a checkpoint.
 */
export const checkpointFileNames = {
  state: (runId: string) => `${runId}.json`,
  history: (runId: string, generation: number) => `${runId}.${generation}.jsonl`,
  /** Whether `name` is one of the run's files, or a temporary file of one of them. */
  isOwn: (runId: string, name: string) =>
    new RegExp(`^${runId}\\.(json|\\d+\\.jsonl)(\\.\\d+(-\\d+)?\\.tmp)?$`).test(name),
} as const;

const count = z.number().int().nonnegative();

/** The state file of a checkpoint: a {@link RunCheckpoint} without its messages. */
const storedStateSchema = z.looseObject({
  version: z.literal(checkpointVersion),
  runId: z.string(),
  task: z.string(),
  status: z.enum(['running', 'paused', 'done', 'stopped', 'failed', 'cancelled']),
  turn: count,
  messageCount: count,
  historyGeneration: count,
  usage: usageSchema.loose(),
  startedAt: z.number(),
  savedAt: z.number(),
  grantedTurns: count,
  intentUpdates: z.array(interruptSchema),
  pendingInterrupts: z.array(interruptSchema),
  toolStats: z.record(
    z.string(),
    z.object({ calls: count, errors: count, cancelled: count, totalMs: z.number().nonnegative() }),
  ),
  toolResults: z.record(z.string(), toolResultSchema),
  controllerState: z.unknown().optional(),
  result: z
    .looseObject({
      runId: z.string(),
      status: z.enum(['done', 'stopped', 'failed', 'cancelled']),
      usage: usageSchema.loose(),
      turns: count,
    })
    .optional(),
  messagesFile: z.string(),
});

/** A checkpoint's state file as stored. */
export type StoredState = Omit<RunCheckpoint, 'messages'> & { readonly messagesFile: string };

function issueText(issue: z.core.$ZodIssue): { field: string; text: string } {
  const field = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  return { field, text: issue.message };
}

/**
 * Parses and checks a state file whole: its JSON, every field's type and range, that it is the
 * state of `runId`, and that its history file is the one its generation names, in the same
 * folder (a `messagesFile` such as `../x` or an absolute path is refused).
 *
 * @throws {CheckpointError} naming the file and the field at fault.
 */
export function parseStateFile(runId: string, file: string, text: string): StoredState {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(
      runId,
      `The checkpoint file '${file}' of run '${runId}' is not valid JSON: ${(error as Error).message}. It was damaged outside Reins: restore it or delete the run's files.`,
      { cause: error, file },
    );
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof data === 'object' && data !== null && version !== checkpointVersion) {
    throw new CheckpointError(
      runId,
      `The checkpoint file '${file}' of run '${runId}' has format version ${JSON.stringify(version)}; this Reins reads version ${checkpointVersion}.`,
      { file, field: 'version' },
    );
  }
  const checked = storedStateSchema.safeParse(data);
  if (!checked.success) {
    const { field, text: problem } = issueText(checked.error.issues[0] as z.core.$ZodIssue);
    throw new CheckpointError(
      runId,
      `The checkpoint file '${file}' of run '${runId}' is invalid at '${field}': ${problem}. It was damaged outside Reins: restore it or delete the run's files.`,
      { file, field },
    );
  }
  const state = data as StoredState;
  if (state.runId !== runId) {
    throw new CheckpointError(
      runId,
      `The checkpoint file '${file}' holds run '${state.runId}', not '${runId}'. Files were renamed outside Reins.`,
      { file, field: 'runId' },
    );
  }
  const expected = checkpointFileNames.history(runId, state.historyGeneration);
  if (state.messagesFile !== expected) {
    throw new CheckpointError(
      runId,
      `The checkpoint file '${file}' of run '${runId}' names its history ${JSON.stringify(state.messagesFile)}; a checkpoint of generation ${state.historyGeneration} keeps it in '${expected}', in the same folder. The file was edited outside Reins.`,
      { file, field: 'messagesFile' },
    );
  }
  return state;
}

/** A history file's first `messageCount` messages, and the torn last line dropped, if any. */
export interface ParsedHistory {
  readonly messages: Message[];
  /** The 1-based number of a last line a crash left incomplete, dropped from `messages`. */
  readonly tornLine?: number;
}

/**
 * Reads the first `messageCount` lines of a history file, each checked against
 * {@link messageSchema}. Lines past `messageCount` (a crash between appending history and
 * saving the state that counts it) are ignored. A last counted line that is incomplete (not
 * JSON, or cut before its newline) is dropped and reported as `tornLine`.
 *
 * @throws {CheckpointError} naming the file and line, for any other damage.
 */
export function parseHistoryFile(
  runId: string,
  file: string,
  text: string,
  messageCount: number,
): ParsedHistory {
  const lines = text.split('\n');
  const complete = lines.length - 1;
  if (complete < messageCount - 1 || (complete < messageCount && lines[complete] === '')) {
    throw new CheckpointError(
      runId,
      `The history file '${file}' of run '${runId}' holds ${complete} complete messages, but its checkpoint counts ${messageCount}. The file was truncated outside Reins.`,
      { file, field: `line ${complete + 1}` },
    );
  }
  const messages: Message[] = [];
  for (let index = 0; index < messageCount; index++) {
    const line = lines[index] as string;
    const isLast = index === messageCount - 1;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (error) {
      if (isLast) return { messages, tornLine: index + 1 };
      throw new CheckpointError(
        runId,
        `Line ${index + 1} of the history file '${file}' of run '${runId}' is not valid JSON: ${(error as Error).message}. The file was damaged outside Reins.`,
        { cause: error, file, field: `line ${index + 1}` },
      );
    }
    const checked = messageSchema.safeParse(data);
    if (!checked.success) {
      const { field, text: problem } = issueText(checked.error.issues[0] as z.core.$ZodIssue);
      throw new CheckpointError(
        runId,
        `Line ${index + 1} of the history file '${file}' of run '${runId}' is not a message: '${field}': ${problem}. The file was damaged outside Reins.`,
        { file, field: `line ${index + 1}: ${field}` },
      );
    }
    messages.push(data as Message);
  }
  return { messages };
}
