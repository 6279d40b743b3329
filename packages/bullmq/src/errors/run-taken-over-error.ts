import { ReinsError } from '@reins/core';

/**
 * A worker lost a run it held to another worker (its lock expired while it stalled): it stops
 * working on the run and leaves it, and its job, to the new holder.
 */
export class RunTakenOverError extends ReinsError {
  /** The run concerned. */
  readonly runId: string;

  constructor(runId: string, message: string, options?: { cause?: unknown }) {
    super('run-taken-over', message, options);
    this.name = 'RunTakenOverError';
    this.runId = runId;
  }

  /** Whether `value` is a {@link RunTakenOverError}. */
  static override isInstance(value: unknown): value is RunTakenOverError {
    return ReinsError.isInstance(value) && value.code === 'run-taken-over';
  }
}
