import { ReinsError } from '@reins/core';

const code = 'unknown-trajectory-format';

/**
 * A file's format could not be recognised: it is none of the formats Reins imports.
 *
 * @example
 * ```ts
 * if (UnknownTrajectoryFormatError.isInstance(error)) console.error(error.file);
 * ```
 */
export class UnknownTrajectoryFormatError extends ReinsError {
  /** The file that was not recognised. */
  readonly file: string;

  constructor(file: string, found: string) {
    super(
      code,
      `Cannot tell the format of ${file}: found ${found}. Reins imports Reins run records (.jsonl), mini-swe-agent (.traj.json), SWE-agent (.traj), tau-bench result lists and OpenAI-format message logs; pass { format } to importTrajectoryFile() to choose one.`,
    );
    this.name = 'UnknownTrajectoryFormatError';
    this.file = file;
  }

  /** Whether `value` is an {@link UnknownTrajectoryFormatError}. */
  static override isInstance(value: unknown): value is UnknownTrajectoryFormatError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
