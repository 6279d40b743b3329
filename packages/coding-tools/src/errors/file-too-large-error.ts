import { ReinsError } from '@reins/core';

/**
 * A file is larger than the file tools read or edit in one call.
 *
 * @example
 * ```ts
 * try { await tools.read({ path: 'dump.log' }); } catch (error) {
 *   if (FileTooLargeError.isInstance(error)) console.error(error.bytes, error.limitBytes);
 * }
 * ```
 */
export class FileTooLargeError extends ReinsError {
  /** The path as the model gave it. */
  readonly path: string;
  /** The file's size in bytes. */
  readonly bytes: number;
  /** The largest size the tools read. */
  readonly limitBytes: number;

  /**
   * @param path - the path as given.
   * @param bytes - its size.
   * @param limitBytes - the limit.
   */
  constructor(path: string, bytes: number, limitBytes: number) {
    super(
      'file-too-large',
      `'${path}' has ${bytes} bytes, more than the ${limitBytes} bytes file tools read at once. Look at a part of it with run_command (head, tail, grep), or raise maxFileBytes.`,
    );
    this.name = 'FileTooLargeError';
    this.path = path;
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }

  /** Whether `value` is a {@link FileTooLargeError}, whichever copy of the package made it. */
  static override isInstance(value: unknown): value is FileTooLargeError {
    return ReinsError.isInstance(value) && value.code === 'file-too-large';
  }
}
