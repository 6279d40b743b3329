import type { StopReason } from './directive.js';
import type { Message } from './message.js';
import type { Usage } from './usage.js';

/** How a run ended. */
export type RunStatus = 'done' | 'stopped' | 'failed' | 'cancelled';

/**
 * What a finished run returns. `result` resolves with it for every ending (failures included):
 * check `status`.
 */
export interface RunResult {
  readonly runId: string;
  readonly status: RunStatus;
  /** The final answer: the last assistant text (`done`), or a forced answer (`stopped`). */
  readonly output?: string;
  /** Why the run was stopped or cancelled. */
  readonly reason?: StopReason;
  /** A sentence explaining the ending. */
  readonly message?: string;
  /**
   * The failure: why the run failed (`failed`), or why the forced final answer a stop asked for
   * could not be made (`stopped`, or `done` when the stop ends the run as done).
   */
  readonly error?: { readonly code: string; readonly message: string };
  /** The whole stored history. */
  readonly messages: readonly Message[];
  readonly usage: Usage;
  /** Model calls made. */
  readonly turns: number;
}
