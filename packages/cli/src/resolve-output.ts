import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliIo } from './cli-io.js';
import { InvalidArgumentError } from './errors/invalid-argument-error.js';

/** The help text of the `--mkdir` option every command that writes files offers. */
export const mkdirOptionHelp = 'create the folder of the output file when it does not exist';

/**
 * The absolute path of an output file given on the command line, checked before any work is
 * done: its folder must exist (or is created with `--mkdir`), so that a typo in the path does not
 * silently create folders, nor fail after minutes of work.
 * @param option - the option's name, e.g. `'--out'`, for the error.
 * @param value - the path as given, relative to `io.cwd`.
 * @param mkdir - whether `--mkdir` was given.
 * @throws {InvalidArgumentError} when the folder does not exist and `mkdir` is false, or the
 *   path names a folder.
 * @example
 * ```ts
 * const out = resolveOutput(io, '--out', options.out, options.mkdir === true);
 * ```
 */
export function resolveOutput(io: CliIo, option: string, value: string, mkdir: boolean): string {
  const path = resolve(io.cwd, value);
  const folder = dirname(path);
  if (!existsSync(folder)) {
    if (!mkdir) {
      throw new InvalidArgumentError({
        option,
        value,
        expected: `a file in an existing folder (${folder} does not exist): create the folder, or add --mkdir`,
      });
    }
    mkdirSync(folder, { recursive: true });
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new InvalidArgumentError({
      option,
      value,
      expected: `a file name (${path} is a folder), e.g. ${option} ${value.replace(/\/?$/, '/out')}`,
    });
  }
  return path;
}
