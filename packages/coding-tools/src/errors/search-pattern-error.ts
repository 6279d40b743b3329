import { ReinsError } from '@reins/core';

/**
 * A search pattern is not a regular expression the linear-time engine (RE2 syntax) accepts:
 * a syntax error, or a backtracking-only feature such as a backreference (`\1`) or a
 * lookaround (`(?=…)`).
 *
 * @example
 * ```ts
 * try { await search({ pattern: '(a)\\1', regex: true }); } catch (error) {
 *   if (SearchPatternError.isInstance(error)) console.error(error.pattern);
 * }
 * ```
 */
export class SearchPatternError extends ReinsError {
  /** The pattern as given. */
  readonly pattern: string;

  /**
   * @param pattern - the offending pattern.
   * @param detail - what the engine said about it.
   * @param cause - the engine's error.
   */
  constructor(pattern: string, detail: string, cause?: unknown) {
    super(
      'search-pattern',
      `Search pattern '${pattern}' is not valid RE2 syntax (${detail}). Backreferences and lookarounds are not supported; search for plain text with regex: false, or simplify the pattern.`,
      { cause },
    );
    this.name = 'SearchPatternError';
    this.pattern = pattern;
  }

  /** Whether `value` is a {@link SearchPatternError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is SearchPatternError {
    return ReinsError.isInstance(value) && value.code === 'search-pattern';
  }
}
