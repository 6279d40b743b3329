import { ReinsError } from '@reins/core';

/**
 * An exact-match edit found its old text zero times or more than once in the file.
 *
 * @example
 * ```ts
 * try { await tools.edit({ path: 'src/a.js', old: 'x', new: 'y' }); } catch (error) {
 *   if (EditMatchError.isInstance(error)) console.error(error.matches, error.message);
 * }
 * ```
 */
export class EditMatchError extends ReinsError {
  /** The file that was to be edited, relative to the workspace. */
  readonly path: string;
  /** How many times the old text occurs (0, or 2 and more). */
  readonly matches: number;

  /**
   * @param path - the file, relative to the workspace.
   * @param matches - occurrences of the old text found.
   * @param lines - 1-based line numbers where the occurrences start.
   */
  constructor(path: string, matches: number, lines: readonly number[]) {
    super(
      'edit-match',
      matches === 0
        ? `The old text was not found in '${path}'. Read the file again (read_file) and copy the text to replace exactly, whitespace included.`
        : `The old text occurs ${matches} times in '${path}' (lines ${lines.join(', ')}). Include more surrounding lines in 'old' so that it matches exactly once.`,
    );
    this.name = 'EditMatchError';
    this.path = path;
    this.matches = matches;
  }

  /** Whether `value` is an {@link EditMatchError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is EditMatchError {
    return ReinsError.isInstance(value) && value.code === 'edit-match';
  }
}
