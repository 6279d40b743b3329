#!/usr/bin/env node
/**
 * Entry point behind the root `npm test`, `npm run example` and `npm run bench` scripts.
 *
 * It works on a machine with only Node 20 and npm: it finds or fetches the pinned pnpm,
 * installs the workspace from the lockfile (and, for tests, the Debian packages they need),
 * then runs the task.
 *
 *   node scripts/workspace.mjs test              lint, typecheck, every package's tests, then the
 *                                                packed packages in a project of their own
 *   node scripts/workspace.mjs example <name>    run examples/<name>
 *   node scripts/workspace.mjs bench [package]   every package's benchmarks (or one package's)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pnpmCommand, root } from './pnpm-command.mjs';

const [task, ...rest] = process.argv.slice(2);

/** Debian packages the tests need: the binary that shows each is there, and the package. */
const debianPackages = [
  { binary: '/usr/bin/chromium', name: 'chromium' },
  { binary: '/usr/bin/bwrap', name: 'bubblewrap' },
  { binary: '/usr/bin/redis-server', name: 'redis-server' },
  { binary: '/usr/bin/tmux', name: 'tmux' },
];

/** Each package's vitest writes its counts here (JSON reporter); the test task sums them. */
const resultsFile = '.vitest-results.json';

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

/** Where a successful install records what it installed from. */
const installStamp = join(root, 'node_modules', '.reins-install-stamp');

/** A hash of everything an install depends on: the lockfile, workspace file and manifests. */
function installInputs() {
  const hash = createHash('sha256');
  const files = ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json', '.npmrc'];
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, group)).sort())
      files.push(join(group, name, 'package.json'));
  }
  files.push(join('docs', 'package.json'));
  for (const file of files) {
    hash.update(`${file}\0`);
    if (existsSync(join(root, file))) hash.update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

/** Installs the workspace unless node_modules was installed from the same lockfile and manifests. */
function install() {
  const inputs = installInputs();
  if (existsSync(installStamp) && readFileSync(installStamp, 'utf8') === inputs) return;
  const frozen =
    existsSync(join(root, 'pnpm-lock.yaml')) && process.env.CI ? ['--frozen-lockfile'] : [];
  run(pnpmCommand(), ['install', '--prefer-offline', ...frozen]);
  // The install may have updated the lockfile: record what node_modules now matches.
  writeFileSync(installStamp, installInputs());
}

/** Runs an example's `start` script directly, as `npm run` would, without a package manager. */
function runExample(name, args) {
  const folder = join(root, 'examples', name);
  const { scripts = {} } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  if (scripts.start === undefined) {
    console.error(`Example '${name}' has no start script in examples/${name}/package.json.`);
    process.exit(2);
  }
  const bins = [join(folder, 'node_modules', '.bin'), join(root, 'node_modules', '.bin')];
  const quoted = args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`);
  const result = spawnSync([scripts.start, ...quoted].join(' '), {
    cwd: folder,
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, PATH: [...bins, process.env.PATH].join(delimiter) },
  });
  process.exit(result.status ?? 1);
}

install();

switch (task) {
  case 'test': {
    const pnpm = pnpmCommand();
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
    // Built and packed, the packages install and run in a project of their own.
    const consumer = runStatus(['node'], [join('scripts', 'check-consumer.mjs')]);
    if (typecheck !== 0 || tests !== 0 || consumer !== 0)
      process.exit(typecheck || tests || consumer);
    break;
  }
  case 'example': {
    const name = rest[0] ?? 'quickstart';
    if (!existsSync(join(root, 'examples', name))) {
      console.error(`Example '${name}' does not exist. Choose one of the folders in examples/.`);
      process.exit(2);
    }
    runExample(name, rest.slice(1));
    break;
  }
  case 'bench':
    run(pnpmCommand(), [
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
