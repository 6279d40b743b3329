import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Checkpointer, RunCheckpoint } from './checkpointer.js';
import { checkpointVersion } from './checkpointer.js';
import { CheckpointError } from './errors/checkpoint-error.js';
import type { Message } from './message.js';

/** Settings of {@link createFileCheckpointer}. */
export interface FileCheckpointerSettings {
  /** Folder that holds the checkpoints; created when missing. */
  readonly directory: string;
  /**
   * Whether to fsync files and the folder after writing. Turn off only for throwaway runs.
   * @defaultValue true
   */
  readonly fsync?: boolean;
}

interface StoredState extends Omit<RunCheckpoint, 'messages'> {
  readonly messagesFile: string;
}

const runIdPattern = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Keeps checkpoints on disk, safe against a crash at any instant: the run's state is written to
 * a temporary file, fsynced and renamed over `<runId>.json`; history goes to an append-only
 * `<runId>.<generation>.jsonl` (one message per line, fsynced before the state that counts it),
 * so each save writes only what is new. Lines past the state's `messageCount`, left by a crash
 * between the two writes, are ignored and dropped.
 *
 * @example
 * ```ts
 * const checkpointer = createFileCheckpointer({ directory: '.reins/runs' });
 * const agent = createAgent({ backend, tools, checkpointer });
 * const handle = await agent.resume(runId); // in a new process, after a crash
 * ```
 */
export function createFileCheckpointer(settings: FileCheckpointerSettings): Checkpointer {
  const { directory } = settings;
  const fsync = settings.fsync ?? true;
  /** Messages already in each run's history file, as this process knows. */
  const written = new Map<string, { file: string; count: number }>();
  let ready: Promise<void> | undefined;

  const ensureDirectory = () => {
    ready ??= mkdir(directory, { recursive: true }).then(() => undefined);
    return ready;
  };

  async function writeFileDurably(path: string, content: string): Promise<void> {
    const temporary = `${path}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    if (fsync) await syncDirectory();
  }

  async function appendDurably(path: string, content: string): Promise<void> {
    const handle = await open(path, 'a');
    try {
      await handle.writeFile(content, 'utf8');
      if (fsync) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async function syncDirectory(): Promise<void> {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  function lines(messages: readonly Message[], from: number, to: number): string {
    let text = '';
    for (let index = from; index < to; index++) text += `${JSON.stringify(messages[index])}\n`;
    return text;
  }

  function checkRunId(runId: string): void {
    if (!runIdPattern.test(runId)) {
      throw new CheckpointError(
        runId,
        `Run id '${runId}' cannot name a checkpoint file. Use 1–128 letters, digits, '_' or '-' (createAgent's default ids do).`,
      );
    }
  }

  return {
    async save(checkpoint) {
      checkRunId(checkpoint.runId);
      await ensureDirectory();
      const file = `${checkpoint.runId}.${checkpoint.historyGeneration}.jsonl`;
      const path = join(directory, file);
      const known = written.get(checkpoint.runId);
      try {
        if (known === undefined || known.file !== file || known.count > checkpoint.messageCount) {
          await writeFileDurably(path, lines(checkpoint.messages, 0, checkpoint.messageCount));
          if (known !== undefined && known.file !== file)
            await rm(join(directory, known.file), { force: true });
        } else if (known.count < checkpoint.messageCount) {
          await appendDurably(
            path,
            lines(checkpoint.messages, known.count, checkpoint.messageCount),
          );
        }
        written.set(checkpoint.runId, { file, count: checkpoint.messageCount });
        const { messages: _history, ...state } = checkpoint;
        const stored: StoredState = { ...state, messagesFile: file };
        await writeFileDurably(join(directory, `${checkpoint.runId}.json`), JSON.stringify(stored));
      } catch (error) {
        written.delete(checkpoint.runId);
        throw new CheckpointError(
          checkpoint.runId,
          `Could not write the checkpoint of run '${checkpoint.runId}' to ${directory}: ${(error as Error).message}. Check that the folder is writable and the disk has room.`,
          { cause: error },
        );
      }
    },

    async load(runId) {
      checkRunId(runId);
      let stateText: string;
      try {
        stateText = await readFile(join(directory, `${runId}.json`), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new CheckpointError(
          runId,
          `Could not read the checkpoint of run '${runId}': ${(error as Error).message}.`,
          {
            cause: error,
          },
        );
      }
      const state = parseState(runId, stateText);
      const historyText = await readFile(join(directory, state.messagesFile), 'utf8').catch(
        (error: unknown) => {
          throw new CheckpointError(
            runId,
            `The history file '${state.messagesFile}' of run '${runId}' is missing from ${directory}: ${(error as Error).message}.`,
            { cause: error },
          );
        },
      );
      const messageLines = historyText.split('\n');
      if (messageLines.length - 1 < state.messageCount) {
        throw new CheckpointError(
          runId,
          `The history file '${state.messagesFile}' of run '${runId}' holds ${messageLines.length - 1} complete messages, but its checkpoint counts ${state.messageCount}. The file was truncated outside Reins.`,
        );
      }
      const messages = messageLines
        .slice(0, state.messageCount)
        .map((line) => JSON.parse(line) as Message);
      // Drop lines a crash left past the checkpoint, so appends continue from a clean end.
      written.set(runId, { file: state.messagesFile, count: Number.POSITIVE_INFINITY });
      const { messagesFile: _file, ...rest } = state;
      return { ...rest, messages };
    },

    async list() {
      await ensureDirectory();
      const names = await readdir(directory);
      return names
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.slice(0, -'.json'.length));
    },

    async delete(runId) {
      checkRunId(runId);
      written.delete(runId);
      const names = await readdir(directory).catch(() => [] as string[]);
      await Promise.all(
        names
          .filter(
            (name) =>
              name === `${runId}.json` || (name.startsWith(`${runId}.`) && name.endsWith('.jsonl')),
          )
          .map((name) => rm(join(directory, name), { force: true })),
      );
    },
  };
}

function parseState(runId: string, text: string): StoredState {
  let state: StoredState;
  try {
    state = JSON.parse(text) as StoredState;
  } catch (error) {
    throw new CheckpointError(
      runId,
      `The checkpoint of run '${runId}' is not valid JSON: ${(error as Error).message}.`,
      {
        cause: error,
      },
    );
  }
  if (state.version !== checkpointVersion) {
    throw new CheckpointError(
      runId,
      `The checkpoint of run '${runId}' has format version ${String(state.version)}; this Reins reads version ${checkpointVersion}.`,
    );
  }
  return state;
}
