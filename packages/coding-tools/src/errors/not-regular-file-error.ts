import { ReinsError } from '@reins/core';

/** What a path that is not a regular file turned out to be. */
export type SpecialFileKind =
  | 'fifo'
  | 'socket'
  | 'character device'
  | 'block device'
  | 'directory'
  | 'symbolic link'
  | 'unknown';

/**
 * A file tool was pointed at something that is not a regular file: a named pipe (FIFO), a
 * socket, a device or a folder. It is refused before it is opened for reading or writing, so
 * that a pipe with no writer can never hold one of libuv's threads.
 *
 * @example
 * ```ts
 * try { await tools.read({ path: 'queue.fifo' }); } catch (error) {
 *   if (NotRegularFileError.isInstance(error)) console.error(error.kind); // 'fifo'
 * }
 * ```
 */
export class NotRegularFileError extends ReinsError {
  /** The path as the model gave it. */
  readonly path: string;
  /** What the path is instead of a regular file. */
  readonly kind: SpecialFileKind;

  /**
   * @param path - the path as given.
   * @param kind - what it is.
   */
  constructor(path: string, kind: SpecialFileKind) {
    super(
      'not-regular-file',
      `'${path}' is a ${kind}, not a regular file; file tools read and write regular files only. Use list_files to find the file you mean${kind === 'directory' ? ', or list this folder' : ''}.`,
    );
    this.name = 'NotRegularFileError';
    this.path = path;
    this.kind = kind;
  }

  /** Whether `value` is a {@link NotRegularFileError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is NotRegularFileError {
    return ReinsError.isInstance(value) && value.code === 'not-regular-file';
  }
}
