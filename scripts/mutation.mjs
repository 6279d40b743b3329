#!/usr/bin/env node
/**
 * Entry point behind the root `pnpm mutation` script: StrykerJS mutation testing of the
 * packages below, one after another, then one JSON object printed last with each package's
 * mutation score (killed and timed-out mutants over all valid mutants, as Stryker defines it).
 *
 *   pnpm mutation                                  every package, incremental
 *   pnpm mutation @reins/early-exit                 one package
 *   pnpm mutation --concurrency 2                   two test runners (default one)
 *   pnpm mutation --force                           re-test every mutant, not only changed ones
 *   pnpm mutation --report-only                     print the scores of the last reports
 *   pnpm mutation @reins/core --mutate src/a.ts,src/b.ts   only these files' mutants
 *   pnpm mutation --type-check                      drop mutants that do not type-check first
 *
 * Slow (10–20 mutants a minute on two busy shared cores: hours for a whole package), so not
 * part of `npm test` or CI; it runs at a low scheduling priority (nice 10) to leave the
 * machine responsive. Stryker mutates `src` in place and restores it when it ends: run it in a
 * separate clone, or do not edit `src` meanwhile.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { journalFile } from './stryker-journal-reporter.mjs';

try {
  // Lower this process's priority; Stryker and its test runners inherit it.
  setPriority(10);
} catch {
  // Not permitted here: run at the normal priority.
}

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const strykerBin = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

/** The mutation-tested packages and their folders. */
const packages = {
  '@reins/core': 'packages/core',
  '@reins/controller': 'packages/controller',
  '@reins/early-exit': 'packages/early-exit',
  '@reins/langchain': 'packages/langchain',
};

/** Mutant states that count as caught, and those that count as valid mutants at all. */
const detected = new Set(['Killed', 'Timeout']);
const valid = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const chosen = args.filter((arg) => arg.startsWith('@'));
const unknown = chosen.filter((name) => !(name in packages));
if (unknown.length > 0) {
  console.error(
    `Unknown package ${unknown.join(', ')}: choose from ${Object.keys(packages).join(', ')}.`,
  );
  process.exit(2);
}
const reportOnly = args.includes('--report-only');
const concurrencyAt = args.indexOf('--concurrency');
const mutateAt = args.indexOf('--mutate');
const strykerArgs = [
  ...(concurrencyAt >= 0 ? ['--concurrency', args[concurrencyAt + 1] ?? '1'] : []),
  ...(args.includes('--force') ? ['--force'] : []),
  ...(mutateAt >= 0 ? ['--mutate', args[mutateAt + 1] ?? ''] : []),
  ...(args.includes('--type-check') ? ['--checkers', 'typescript'] : []),
];

/**
 * The mutation score of the given mutant statuses.
 * @param {Iterable<{ file: string, status: string }>} mutants - each tested mutant.
 * @returns {{ score: number, detected: number, valid: number, files: string[] }} the score,
 *   its counts, and the files whose mutants were tested.
 */
function scoreOfMutants(mutants) {
  let caught = 0;
  let counted = 0;
  const files = new Set();
  for (const mutant of mutants) {
    files.add(mutant.file);
    if (detected.has(mutant.status)) caught += 1;
    if (valid.has(mutant.status)) counted += 1;
  }
  return {
    score: counted === 0 ? 1 : caught / counted,
    detected: caught,
    valid: counted,
    files: [...files].sort(),
  };
}

/**
 * The mutants of a package's last run: Stryker's full report, or, when a run was stopped
 * before its end (no report, or one older than the journal), the mutants its journal lists.
 * @param {string} folder - the package folder.
 * @returns {{ mutants: { file: string, status: string }[], partial: boolean } | undefined}
 */
function lastRun(folder) {
  const report = join(folder, 'reports', 'mutation', 'mutation.json');
  const journal = join(folder, journalFile);
  const reportTime = existsSync(report) ? statSync(report).mtimeMs : -1;
  const journalTime = existsSync(journal) ? statSync(journal).mtimeMs : -1;
  if (reportTime < 0 && journalTime < 0) return undefined;
  if (reportTime >= journalTime) {
    const files = JSON.parse(readFileSync(report, 'utf8')).files;
    const mutants = Object.entries(files).flatMap(([file, { mutants }]) =>
      mutants.map((mutant) => ({ file, status: mutant.status })),
    );
    return { mutants, partial: false };
  }
  const lines = readFileSync(journal, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  return { mutants: lines.map((line) => JSON.parse(line)), partial: true };
}

const scores = {};
let failed = false;
for (const name of chosen.length > 0 ? chosen : Object.keys(packages)) {
  const folder = join(root, packages[name]);
  if (!reportOnly) {
    console.error(`Mutation testing ${name} …`);
    const result = spawnSync(process.execPath, [strykerBin, 'run', ...strykerArgs], {
      cwd: folder,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) {
      console.error(`Stryker failed for ${name} (exit ${result.status}).`);
      failed = true;
      continue;
    }
  }
  const run = lastRun(folder);
  if (run === undefined) {
    console.error(`No mutation report for ${name} in ${folder}: run \`pnpm mutation ${name}\`.`);
    failed = true;
    continue;
  }
  const { score, detected: caught, valid: counted, files } = scoreOfMutants(run.mutants);
  console.error(
    run.partial
      ? `${name}: PARTIAL (run stopped before its end): ${caught} of ${counted} tested mutants detected, in ${files.join(', ')}`
      : `${name}: ${caught} of ${counted} mutants detected, in ${files.length} files`,
  );
  scores[name] = Math.round(score * 1000) / 1000;
}
console.log(JSON.stringify(scores));
if (failed) process.exit(1);
