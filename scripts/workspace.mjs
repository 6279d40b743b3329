#!/usr/bin/env node
/**
 * Entry point behind the root `npm test`, `npm run example` and `npm run bench` scripts.
 *
 * It works on a machine with only Node 20 and npm: it finds or fetches the pinned pnpm,
 * installs the workspace from the lockfile, then runs the task.
 *
 *   node scripts/workspace.mjs test              lint, typecheck and every package's tests
 *   node scripts/workspace.mjs example <name>    run examples/<name>
 *   node scripts/workspace.mjs bench [filter]    every package's benchmarks (or one package's)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
const [task, ...rest] = process.argv.slice(2);

function pnpmCommand() {
  try {
    const version = execFileSync('pnpm', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (version === pinned) return ['pnpm'];
  } catch {}
  return ['npx', '--yes', `pnpm@${pinned}`];
}

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command[0], [...command.slice(1), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', ...extraEnv },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const pnpm = pnpmCommand();
const frozen =
  existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
run(pnpm, ['install', '--prefer-offline', ...frozen]);

switch (task) {
  case 'test':
    run(pnpm, ['exec', 'biome', 'ci', '.']);
    run(pnpm, ['exec', 'turbo', 'run', 'typecheck', 'test', '--concurrency=1', ...rest]);
    break;
  case 'example': {
    const name = rest[0] ?? 'quickstart';
    if (!existsSync(join(root, 'examples', name))) {
      console.error(`Example '${name}' does not exist. Choose one of the folders in examples/.`);
      process.exit(2);
    }
    run(pnpm, ['--filter', `./examples/${name}`, 'run', 'start', ...rest.slice(1)]);
    break;
  }
  case 'bench':
    run(pnpm, [
      'exec',
      'turbo',
      'run',
      'bench',
      '--concurrency=1',
      ...(rest[0] ? [`--filter=${rest[0]}`] : []),
    ]);
    break;
  default:
    console.error(`Unknown task '${task}'. Use one of: test, example <name>, bench [package].`);
    process.exit(2);
}
