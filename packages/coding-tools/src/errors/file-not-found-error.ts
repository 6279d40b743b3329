import { ReinsError } from '@reins/core';

/**
 * A file tool was asked to read or edit a file that does not exist in the workspace.
 *
 * @example
 * ```ts
 * try { await tools.read({ path: 'src/missing.js' }); } catch (error) {
 *   if (FileNotFoundError.isInstance(error)) console.error(error.path);
 * }
 * ```
 */
export class FileNotFoundError extends ReinsError {
  /** The path as the model gave it. */
  readonly path: string;

  /**
   * @param path - the missing file, as given.
   */
  constructor(path: string) {
    super(
      'file-not-found',
      `'${path}' does not exist. Use list_files to see the files of the workspace, or write_file to create it.`,
    );
    this.name = 'FileNotFoundError';
    this.path = path;
  }

  /** Whether `value` is a {@link FileNotFoundError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is FileNotFoundError {
    return ReinsError.isInstance(value) && value.code === 'file-not-found';
  }
}
