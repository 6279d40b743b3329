import type { Interrupt } from './interrupt.js';
import type { Message, ToolResult } from './message.js';
import type { RunResult } from './run-result.js';
import type { ToolStats } from './run-view.js';
import type { Usage } from './usage.js';

/** Version of the {@link RunCheckpoint} format. */
export const checkpointVersion = 1;

/**
 * Everything needed to continue a run in another process. Saved after every completed turn,
 * after a model step that requested tools, after each completed tool call, and at the end.
 *
 * `messages` holds at least `messageCount` messages; only the first `messageCount` belong to the
 * checkpoint. `historyGeneration` changes when history is rewritten (compaction), so an
 * append-only store knows when to rewrite instead of append.
 */
export interface RunCheckpoint {
  readonly version: typeof checkpointVersion;
  readonly runId: string;
  readonly task: string;
  readonly status: 'running' | 'paused' | RunResult['status'];
  readonly turn: number;
  readonly messages: readonly Message[];
  readonly messageCount: number;
  readonly historyGeneration: number;
  readonly usage: Usage;
  readonly startedAt: number;
  readonly savedAt: number;
  readonly grantedTurns: number;
  readonly intentUpdates: readonly Interrupt[];
  readonly pendingInterrupts: readonly Interrupt[];
  readonly toolStats: Readonly<Record<string, ToolStats>>;
  /** Results of the in-progress turn's completed tool calls, by call id. */
  readonly toolResults: Readonly<Record<string, ToolResult>>;
  /** The controller session's `snapshot()`. */
  readonly controllerState?: unknown;
  /** Set once the run has ended. */
  readonly result?: Omit<RunResult, 'messages'>;
  /**
   * Set by `load` when the last line of the stored history was torn by a crash (written in
   * part): that message was dropped, and `messages` ends before it.
   */
  readonly tornLine?: { readonly file: string; readonly line: number };
}

/**
 * Stores checkpoints. `save` calls for one run arrive in order, never concurrently.
 * Implementations: `createMemoryCheckpointer`, `createFileCheckpointer`.
 */
export interface Checkpointer {
  /** Stores the checkpoint, replacing the run's previous one. */
  save(checkpoint: RunCheckpoint): Promise<void>;
  /** The run's latest checkpoint, with exactly `messageCount` messages, or `undefined`. */
  load(runId: string): Promise<RunCheckpoint | undefined>;
  /** Ids of stored runs. */
  list(): Promise<string[]>;
  /** Removes a run's checkpoint. */
  delete(runId: string): Promise<void>;
}
