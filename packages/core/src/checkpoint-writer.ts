import type { Checkpointer, RunCheckpoint } from './checkpointer.js';

/**
 * Writes a run's checkpoints one after another, in the order they were queued, without making
 * the loop wait, except at `flush()` (end of a turn, end of the run).
 */
export interface CheckpointWriter {
  /** Whether a checkpointer is set; without one, nothing is built or written. */
  readonly enabled: boolean;
  /** Queues a checkpoint; it is written after the ones before it. */
  queue(checkpoint: RunCheckpoint): void;
  /** Resolves when everything queued is written; rejects with the first write error. */
  flush(): Promise<void>;
}

/** A writer over `checkpointer`, or one that does nothing when there is none. */
export function createCheckpointWriter(checkpointer: Checkpointer | undefined): CheckpointWriter {
  if (checkpointer === undefined)
    return { enabled: false, queue: () => {}, flush: () => Promise.resolve() };
  let tail: Promise<void> = Promise.resolve();
  let failure: unknown;
  return {
    enabled: true,
    queue(checkpoint) {
      tail = tail.then(() =>
        failure === undefined
          ? checkpointer.save(checkpoint).catch((error: unknown) => {
              failure = error;
            })
          : undefined,
      );
    },
    async flush() {
      await tail;
      if (failure !== undefined) throw failure;
    },
  };
}
