import type { Checkpointer, RunCheckpoint } from './checkpointer.js';

/**
 * Keeps checkpoints in memory (lost with the process). History is shared, not copied: the loop
 * only appends to it, and the stored `messageCount` fixes which messages belong to a checkpoint.
 *
 * @example
 * ```ts
 * const checkpointer = createMemoryCheckpointer();
 * const agent = createAgent({ backend, checkpointer });
 * ```
 */
export function createMemoryCheckpointer(): Checkpointer {
  const runs = new Map<string, RunCheckpoint>();
  return {
    async save(checkpoint) {
      runs.set(checkpoint.runId, checkpoint);
    },
    async load(runId) {
      const checkpoint = runs.get(runId);
      if (checkpoint === undefined) return undefined;
      return structuredClone({
        ...checkpoint,
        messages: checkpoint.messages.slice(0, checkpoint.messageCount),
      });
    },
    async list() {
      return [...runs.keys()];
    },
    async delete(runId) {
      runs.delete(runId);
    },
  };
}
