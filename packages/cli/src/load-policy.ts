import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Policy, readPolicy } from '@reins/trajectories';
import type { CliIo } from './cli-io.js';
import { MissingPathError } from './errors/missing-path-error.js';

/**
 * Reads and validates `--policy`.
 * @throws {MissingPathError} when the file does not exist.
 * @throws {TrajectoryFormatError} (from `@reins/trajectories`) when it is not valid JSON or not a
 * policy, naming the field that is wrong.
 * @example
 * ```ts
 * const policy = await loadPolicy(io, 'policy.json');
 * ```
 */
export async function loadPolicy(
  io: CliIo,
  given: string,
): Promise<{ policy: Policy; path: string }> {
  const path = resolve(io.cwd, given);
  const isFile = await stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!isFile) {
    throw new MissingPathError({
      option: '--policy',
      given,
      path,
      expected: 'a policy file',
      hint: 'Write one with: reins calibrate --data DIR --out policy.json',
    });
  }
  return { policy: await readPolicy(path), path };
}
