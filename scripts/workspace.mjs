#!/usr/bin/env node
/**
 * Entry point behind the root `npm test`, `npm run example` and `npm run bench` scripts.
 *
 * It works on a machine with only Node 20 and npm: it finds or fetches the pinned pnpm,
 * installs the workspace from the lockfile (and, for tests, the Debian packages they need),
 * then runs the task.
 *
 *   node scripts/workspace.mjs test              lint, typecheck and every package's tests
 *   node scripts/workspace.mjs example <name>    run examples/<name>
 *   node scripts/workspace.mjs bench [package]   every package's benchmarks (or one package's)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];
const [task, ...rest] = process.argv.slice(2);

/** Debian packages the tests need: the binary that shows each is there, and the package. */
const debianPackages = [{ binary: '/usr/bin/chromium', name: 'chromium' }];

/** Each package's vitest writes its counts here (JSON reporter); the test task sums them. */
const resultsFile = '.vitest-results.json';

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

function runStatus(command, args) {
  const result = spawnSync(command[0], [...command.slice(1), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  return result.status ?? 1;
}

function run(command, args) {
  const status = runStatus(command, args);
  if (status !== 0) process.exit(status);
}

function installDebianPackages() {
  const missing = debianPackages
    .filter((entry) => !existsSync(entry.binary))
    .map((entry) => entry.name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(
      `Tests need Debian packages that are missing: ${missing.join(', ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`,
    );
    return;
  }
  console.error(`Installing Debian packages the tests need: ${missing.join(', ')}`);
  run(['apt-get'], ['update', '-qq']);
  run(['apt-get'], ['install', '-y', '-qq', ...missing]);
}

function printTestSummary() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const missing = [];
  const folders = ['packages', 'examples'].flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => join(group, name))
      : [],
  );
  for (const name of [...folders, 'docs']) {
    const packageFolder = join(root, name);
    if (!existsSync(join(packageFolder, 'package.json'))) continue;
    const { scripts = {} } = JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8'));
    if (scripts.test === undefined) continue;
    const path = join(packageFolder, resultsFile);
    if (!existsSync(path)) {
      missing.push(name);
      continue;
    }
    const results = JSON.parse(readFileSync(path, 'utf8'));
    passed += results.numPassedTests ?? 0;
    // A file that failed to load has no failed tests of its own: count it once.
    const failedTests = results.numFailedTests ?? 0;
    failed += failedTests > 0 ? failedTests : (results.numFailedTestSuites ?? 0);
    skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
    rmSync(path, { force: true });
  }
  failed += missing.length;
  if (missing.length > 0)
    console.error(`No test results from ${missing.join(', ')}: their tests did not run.`);
  console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

const pnpm = pnpmCommand();
const frozen =
  existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
run(pnpm, ['install', '--prefer-offline', ...frozen]);

switch (task) {
  case 'test': {
    installDebianPackages();
    run(pnpm, ['exec', 'biome', 'ci', '--error-on-warnings', '.']);
    const typecheck = runStatus(pnpm, [
      'exec',
      'turbo',
      'run',
      'typecheck',
      '--concurrency=1',
      '--continue',
      ...rest,
    ]);
    // Arguments after `--` reach each package's `vitest run`: a JSON report to sum up.
    const tests = runStatus(pnpm, [
      'exec',
      'turbo',
      'run',
      'test',
      '--concurrency=1',
      '--continue',
      ...rest,
      '--',
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${resultsFile}`,
    ]);
    printTestSummary();
    if (typecheck !== 0 || tests !== 0) process.exit(typecheck || tests);
    break;
  }
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
