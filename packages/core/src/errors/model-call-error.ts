import { hasErrorCode, ReinsError } from './reins-error.js';

/** The model backend failed: its stream threw, or it ended without a finish. The run fails. */
export class ModelCallError extends ReinsError {
  /** The backend's provider name, e.g. `'openai'`. */
  readonly provider: string;
  /** Whether a retry could succeed (rate limits, resets), as far as the backend knows. */
  readonly retryable: boolean;

  constructor(
    provider: string,
    message: string,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super('model-call', message, options);
    this.name = 'ModelCallError';
    this.provider = provider;
    this.retryable = options?.retryable ?? false;
  }

  /** Whether `value` is a {@link ModelCallError}. */
  static override isInstance(value: unknown): value is ModelCallError {
    return hasErrorCode(value, 'model-call');
  }
}
