import { ReinsError } from '@reins/core';

const code = 'invalid-argument';

/**
 * A command-line option has a value the command cannot use: names the option, the value, the
 * valid range and an example.
 *
 * @example
 * ```ts
 * throw new InvalidArgumentError({ option: '--max-resolved-loss', value: '3', expected: 'a fraction between 0 and 1, e.g. 0.03' });
 * ```
 */
export class InvalidArgumentError extends ReinsError {
  readonly option: string;
  readonly value: string;

  constructor(details: { option: string; value: string; expected: string }) {
    super(code, `${details.option} ${details.value} is not valid: expected ${details.expected}.`);
    this.name = 'InvalidArgumentError';
    this.option = details.option;
    this.value = details.value;
  }

  /** Whether `value` is an {@link InvalidArgumentError}. */
  static override isInstance(value: unknown): value is InvalidArgumentError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
