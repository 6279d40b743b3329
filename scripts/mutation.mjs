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
import { existsSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
 * The mutation score of one Stryker JSON report.
 * @param {string} path - the report file.
 * @returns {{ score: number, detected: number, valid: number }} the score and its counts.
 */
function scoreOf(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  let caught = 0;
  let counted = 0;
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      if (detected.has(mutant.status)) caught += 1;
      if (valid.has(mutant.status)) counted += 1;
    }
  }
  return { score: counted === 0 ? 1 : caught / counted, detected: caught, valid: counted };
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
  const report = join(folder, 'reports', 'mutation', 'mutation.json');
  if (!existsSync(report)) {
    console.error(`No mutation report for ${name} at ${report}: run \`pnpm mutation ${name}\`.`);
    failed = true;
    continue;
  }
  const { score, detected: caught, valid: counted } = scoreOf(report);
  console.error(`${name}: ${caught} of ${counted} mutants detected`);
  scores[name] = Math.round(score * 1000) / 1000;
}
console.log(JSON.stringify(scores));
if (failed) process.exit(1);
