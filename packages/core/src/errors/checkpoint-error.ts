import { hasErrorCode, ReinsError } from './reins-error.js';

/** Where in a checkpoint's files a problem was found. */
export interface CheckpointErrorLocation {
  /** The file concerned. */
  readonly file?: string;
  /** The field (a dotted path such as `usage.inputTokens`) or line (`line 3`) concerned. */
  readonly field?: string;
}

/** A checkpoint could not be written, read or resumed. */
export class CheckpointError extends ReinsError {
  /** The run concerned. */
  readonly runId: string;
  /** The checkpoint file concerned, when the problem is in one. */
  readonly file: string | undefined;
  /** The field or line of `file` concerned, when one is. */
  readonly field: string | undefined;

  constructor(
    runId: string,
    message: string,
    options?: { cause?: unknown } & CheckpointErrorLocation,
  ) {
    super('checkpoint', message, options);
    this.name = 'CheckpointError';
    this.runId = runId;
    this.file = options?.file;
    this.field = options?.field;
  }

  /** Whether `value` is a {@link CheckpointError}. */
  static override isInstance(value: unknown): value is CheckpointError {
    return hasErrorCode(value, 'checkpoint');
  }
}
