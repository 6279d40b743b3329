import { ReinsError } from '@reins/core';

const code = 'missing-path';

/**
 * A path given on the command line does not exist (or is not the kind of entry needed): names
 * the option, the path as given and as resolved, and what to pass instead.
 *
 * @example
 * ```ts
 * if (MissingPathError.isInstance(error)) console.error(error.option, error.path);
 * ```
 */
export class MissingPathError extends ReinsError {
  /** The option that named the path, e.g. `'--data'`. */
  readonly option: string;
  /** The path as resolved against the working directory. */
  readonly path: string;

  constructor(details: {
    option: string;
    given: string;
    path: string;
    expected: string;
    hint: string;
  }) {
    super(
      code,
      `${details.option} ${details.given} does not exist or is not ${details.expected} (looked at ${details.path}). ${details.hint}`,
    );
    this.name = 'MissingPathError';
    this.option = details.option;
    this.path = details.path;
  }

  /** Whether `value` is a {@link MissingPathError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is MissingPathError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
