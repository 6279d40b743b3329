import { ReinsError } from '@reins/core';

/**
 * `write_file` was asked to create a file that already exists, without `overwrite: true`.
 *
 * @example
 * ```ts
 * try { await tools.write({ path: 'src/a.js', content: '' }); } catch (error) {
 *   if (FileExistsError.isInstance(error)) console.error(error.path);
 * }
 * ```
 */
export class FileExistsError extends ReinsError {
  /** The path as the model gave it. */
  readonly path: string;

  /**
   * @param path - the existing file, as given.
   */
  constructor(path: string) {
    super(
      'file-exists',
      `'${path}' already exists. Use edit_file to change it, or write_file with overwrite: true to replace it.`,
    );
    this.name = 'FileExistsError';
    this.path = path;
  }

  /** Whether `value` is a {@link FileExistsError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is FileExistsError {
    return ReinsError.isInstance(value) && value.code === 'file-exists';
  }
}
