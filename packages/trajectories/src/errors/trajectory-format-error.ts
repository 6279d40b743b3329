import { ReinsError } from '@reins/core';

const code = 'trajectory-format';

/**
 * A recorded run could not be read: the file is not valid JSON, is cut short, or a field has the
 * wrong shape. Names the file, the path inside it (`messages[3].extra.response.usage`), what was
 * expected and what was found.
 *
 * @example
 * ```ts
 * try { await importTrajectoryFile(file); } catch (error) {
 *   if (TrajectoryFormatError.isInstance(error)) console.error(error.file, error.path);
 * }
 * ```
 */
export class TrajectoryFormatError extends ReinsError {
  /** The file, or `'<input>'` for data passed in memory. */
  readonly file: string;
  /** The path inside the file, e.g. `info.model_stats.instance_cost` (`''` for the whole file). */
  readonly path: string;
  /** What the importer expected there. */
  readonly expected: string;
  /** A short description of what it found. */
  readonly received: string;

  constructor(
    details: { file: string; path: string; expected: string; received: string; hint?: string },
    options?: { cause?: unknown },
  ) {
    const where = details.path === '' ? details.file : `${details.file} at ${details.path}`;
    super(
      code,
      `Cannot read ${where}: expected ${details.expected}, found ${details.received}. ${details.hint ?? 'Check that the file is complete and was written by the format it claims.'}`,
      options,
    );
    this.name = 'TrajectoryFormatError';
    this.file = details.file;
    this.path = details.path;
    this.expected = details.expected;
    this.received = details.received;
  }

  /** Whether `value` is a {@link TrajectoryFormatError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is TrajectoryFormatError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
