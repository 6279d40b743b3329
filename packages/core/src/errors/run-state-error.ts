import { hasErrorCode, ReinsError } from './reins-error.js';

/** A run was asked to do something its state does not allow, e.g. resume a finished run. */
export class RunStateError extends ReinsError {
  /** The run concerned. */
  readonly runId: string;

  constructor(runId: string, message: string) {
    super('run-state', message);
    this.name = 'RunStateError';
    this.runId = runId;
  }

  /** Whether `value` is a {@link RunStateError}. */
  static override isInstance(value: unknown): value is RunStateError {
    return hasErrorCode(value, 'run-state');
  }
}
