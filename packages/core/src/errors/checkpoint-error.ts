import { hasErrorCode, ReinsError } from './reins-error.js';

/** A checkpoint could not be written, read or resumed. */
export class CheckpointError extends ReinsError {
  /** The run concerned. */
  readonly runId: string;

  constructor(runId: string, message: string, options?: { cause?: unknown }) {
    super('checkpoint', message, options);
    this.name = 'CheckpointError';
    this.runId = runId;
  }

  /** Whether `value` is a {@link CheckpointError}. */
  static override isInstance(value: unknown): value is CheckpointError {
    return hasErrorCode(value, 'checkpoint');
  }
}
