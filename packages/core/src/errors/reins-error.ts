const marker = Symbol.for('reins.error');

/**
 * Base class of every error Reins throws or records. Tell errors apart by `code`
 * (or by a subclass's `isInstance`), never with `instanceof`, which fails when a package
 * is installed twice.
 *
 * @example
 * ```ts
 * try { createAgent({ backend }); } catch (error) {
 *   if (ReinsError.isInstance(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class ReinsError extends Error {
  /** Marker shared by every copy of this package. */
  readonly [marker] = true;
  /** A stable, machine-readable code such as `'invalid-options'`. */
  readonly code: string;

  /**
   * @param code - stable error code.
   * @param message - what happened, the offending value, and the fix.
   * @param options - the underlying `cause`, if any.
   */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReinsError';
    this.code = code;
  }

  /**
   * Whether `value` is a Reins error, whichever copy of the package created it.
   * @param value - anything caught.
   * @returns `true` for any `ReinsError` (or subclass).
   */
  static isInstance(value: unknown): value is ReinsError {
    try {
      return (
        typeof value === 'object' &&
        value !== null &&
        (value as Record<symbol, unknown>)[marker] === true
      );
    } catch {
      // A proxy whose traps throw is not a Reins error.
      return false;
    }
  }

  /** A plain, JSON-serialisable description of the error, for history and checkpoints. */
  toJSON(): { name: string; code: string; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}

/** Checks `code` as well as the marker: the `isInstance` of each subclass. */
export function hasErrorCode<TError extends ReinsError>(
  value: unknown,
  code: string,
): value is TError {
  try {
    return ReinsError.isInstance(value) && value.code === code;
  } catch {
    return false;
  }
}
