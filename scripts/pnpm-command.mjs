/**
 * The pinned pnpm (the root `packageManager` field): the one on PATH when it is that version,
 * else `npx --yes pnpm@<version>`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** The pnpm version the repository pins. */
export const pinnedPnpm = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
).packageManager.split('@')[1];

/** The command (program and leading arguments) that runs the pinned pnpm. */
export function pnpmCommand() {
  try {
    const version = execFileSync('pnpm', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (version === pinnedPnpm) return ['pnpm'];
  } catch {}
  return ['npx', '--yes', `pnpm@${pinnedPnpm}`];
}
