import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this package). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The path of a folder or file under the shared evaluation data (`../shared/data` relative to
 * the repository root). Throws a clear error naming the path when it is missing.
 */
export function sharedData(...parts: string[]): string {
  const path = resolve(repoRoot, '../shared/data', ...parts);
  if (!existsSync(path)) {
    throw new Error(
      `The recorded data this test needs is missing: ${path}. Put the shared evaluation data at ../shared/data relative to the repository root (${repoRoot}).`,
    );
  }
  return path;
}
