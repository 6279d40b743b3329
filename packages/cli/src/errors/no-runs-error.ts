import { ReinsError } from '@reins/core';

const code = 'no-runs';

/**
 * A data folder held no run that the command can use: none imported, or none with a known
 * outcome where calibration needs one. Names the folder, what was found and the fix.
 *
 * @example
 * ```ts
 * if (NoRunsError.isInstance(error)) console.error(error.path);
 * ```
 */
export class NoRunsError extends ReinsError {
  /** The data folder or file. */
  readonly path: string;

  constructor(details: { path: string; found: string; hint: string }) {
    super(code, `No usable runs in ${details.path}: ${details.found}. ${details.hint}`);
    this.name = 'NoRunsError';
    this.path = details.path;
  }

  /** Whether `value` is a {@link NoRunsError}. */
  static override isInstance(value: unknown): value is NoRunsError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
