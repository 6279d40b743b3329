#!/usr/bin/env node
/**
 * Builds every package and packs each into a tarball, as `npm publish` would ship it (pnpm
 * replaces the `workspace:` versions with real ones).
 *
 *   node scripts/pack-packages.mjs [folder]    the tarballs go to folder (default .packs/)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpmCommand, root } from './pnpm-command.mjs';

/** Runs the pinned pnpm; throws with its output when it fails. */
function pnpm(args, cwd) {
  const [command, ...leading] = pnpmCommand();
  const result = spawnSync(command, [...leading, ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`pnpm ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

/**
 * Builds every package (one `tsc -b`) and packs each into `folder`, emptied first.
 * @returns the tarballs' paths.
 */
export function packPackages(folder) {
  pnpm(['run', 'build'], root);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const name of readdirSync(join(root, 'packages')).sort())
    pnpm(['pack', '--pack-destination', folder], join(root, 'packages', name));
  return readdirSync(folder).map((file) => join(folder, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const folder = resolve(process.argv[2] ?? join(root, '.packs'));
  for (const tarball of packPackages(folder)) console.log(tarball);
}
