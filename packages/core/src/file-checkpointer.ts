import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointFileNames, parseHistoryFile, parseStateFile } from './checkpoint-files.js';
import type { Checkpointer } from './checkpointer.js';
import { describeUnknown } from './describe-unknown.js';
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

const runIdPattern = /^[A-Za-z0-9_-]{1,128}$/;

/** Numbers the temporary files of this process, so that two writes never share one. */
let temporaryFiles = 0;

/**
 * Keeps checkpoints on disk, safe against a crash at any instant: the run's state is written to
 * a temporary file, fsynced, renamed over `<runId>.json` and the folder fsynced; history goes to
 * an append-only `<runId>.<generation>.jsonl` (one message per line, fsynced before the state
 * that counts it), so each save writes only what is new. A history rewritten under a new
 * generation replaces the old file only once the state naming the new one is durable.
 *
 * Loading checks both files whole (zod schemas): a damaged field or line is a
 * {@link CheckpointError} naming the file and the field; lines past the state's `messageCount`,
 * left by a crash between the two writes, are ignored; a torn last counted line is dropped and
 * reported as `tornLine`. Only the run's own file names are ever read, written or deleted.
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
    temporaryFiles += 1;
    const temporary = `${path}.${process.pid}-${temporaryFiles}.tmp`;
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
    if (typeof runId !== 'string' || !runIdPattern.test(runId)) {
      throw new CheckpointError(
        describeUnknown(runId),
        `Run id '${describeUnknown(runId)}' cannot name a checkpoint file. Use 1–128 letters, digits, '_' or '-' (createAgent's default ids do).`,
      );
    }
  }

  return {
    async save(checkpoint) {
      checkRunId(checkpoint.runId);
      await ensureDirectory();
      const file = checkpointFileNames.history(checkpoint.runId, checkpoint.historyGeneration);
      const path = join(directory, file);
      const known = written.get(checkpoint.runId);
      try {
        if (known === undefined || known.file !== file || known.count > checkpoint.messageCount) {
          await writeFileDurably(path, lines(checkpoint.messages, 0, checkpoint.messageCount));
        } else if (known.count < checkpoint.messageCount) {
          await appendDurably(
            path,
            lines(checkpoint.messages, known.count, checkpoint.messageCount),
          );
        }
        written.set(checkpoint.runId, { file, count: checkpoint.messageCount });
        const { messages: _history, tornLine: _torn, ...state } = checkpoint;
        await writeFileDurably(
          join(directory, checkpointFileNames.state(checkpoint.runId)),
          JSON.stringify({ ...state, messagesFile: file }),
        );
        // The old history goes only now that no durable state names it.
        if (known !== undefined && known.file !== file)
          await rm(join(directory, known.file), { force: true });
      } catch (error) {
        written.delete(checkpoint.runId);
        throw new CheckpointError(
          checkpoint.runId,
          `Could not write the checkpoint of run '${checkpoint.runId}' to ${directory}: ${describeUnknown(error)}. Check that the folder is writable and the disk has room.`,
          { cause: error },
        );
      }
    },

    async load(runId) {
      checkRunId(runId);
      const stateFile = join(directory, checkpointFileNames.state(runId));
      let stateText: string;
      try {
        stateText = await readFile(stateFile, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
        throw new CheckpointError(
          runId,
          `Could not read the checkpoint of run '${runId}': ${describeUnknown(error)}.`,
          { cause: error, file: stateFile },
        );
      }
      const state = parseStateFile(runId, stateFile, stateText);
      const historyFile = join(directory, state.messagesFile);
      const historyText = await readFile(historyFile, 'utf8').catch((error: unknown) => {
        throw new CheckpointError(
          runId,
          `The history file '${historyFile}' of run '${runId}' cannot be read: ${describeUnknown(error)}.`,
          { cause: error, file: historyFile },
        );
      });
      const history = parseHistoryFile(runId, historyFile, historyText, state.messageCount);
      // Appends continue from a clean end: the next save rewrites the history.
      written.set(runId, { file: state.messagesFile, count: Number.POSITIVE_INFINITY });
      const { messagesFile: _file, ...rest } = state;
      return {
        ...rest,
        messages: history.messages,
        messageCount: history.messages.length,
        ...(history.tornLine === undefined
          ? {}
          : { tornLine: { file: historyFile, line: history.tornLine } }),
      };
    },

    async list() {
      await ensureDirectory();
      const names = await readdir(directory);
      return names
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.slice(0, -'.json'.length))
        .filter((runId) => runIdPattern.test(runId));
    },

    async delete(runId) {
      checkRunId(runId);
      written.delete(runId);
      const names = await readdir(directory).catch(() => [] as string[]);
      await Promise.all(
        names
          .filter((name) => checkpointFileNames.isOwn(runId, name))
          .map((name) => rm(join(directory, name), { force: true })),
      );
    },
  };
}
