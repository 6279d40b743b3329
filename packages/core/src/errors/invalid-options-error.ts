import { hasErrorCode, ReinsError } from './reins-error.js';

/**
 * Options passed to a Reins factory are invalid. Thrown at construction, before anything runs.
 * The message names the field, the value received, and the fix.
 */
export class InvalidOptionsError extends ReinsError {
  /** Dotted path of the offending field, e.g. `'tools[1].name'`. */
  readonly field: string;

  /**
   * @param field - path of the offending field.
   * @param message - what is wrong and how to fix it.
   */
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super('invalid-options', message, options);
    this.name = 'InvalidOptionsError';
    this.field = field;
  }

  /** Whether `value` is an {@link InvalidOptionsError}. */
  static override isInstance(value: unknown): value is InvalidOptionsError {
    return hasErrorCode(value, 'invalid-options');
  }
}
