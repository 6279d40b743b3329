/**
 * The StrykerJS configuration every mutation-tested package shares (see `scripts/mutation.mjs`).
 *
 * Stryker mutates the package's `src` files in place (a sandbox copy cannot reach the shared
 * `vitest.shared.ts` two folders up) and restores them when it ends; do not edit `src` while
 * it runs. Results go to `reports/mutation/mutation.json` in the package, and the incremental
 * file lets a later run re-test only the mutants whose code or tests changed.
 */

import { fileURLToPath } from 'node:url';

/**
 * Stryker looks for its plugins in the package folder's `node_modules`; they are installed at
 * the repository root, so they are named by path.
 */
const plugins = [
  ...['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'].map((name) =>
    fileURLToPath(import.meta.resolve(name)),
  ),
  fileURLToPath(new URL('./stryker-journal-reporter.mjs', import.meta.url)),
];

/** Files that hold no behaviour to mutate: tests, type-only declarations and re-exports. */
const notMutated = ['!src/**/*.test.ts', '!src/**/*.test-d.ts', '!src/index.ts'];

/**
 * A package's Stryker configuration.
 * @param {object} options
 * @param {string[]} [options.exclude] - further `src` globs to leave unmutated (type-only files).
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions} the configuration.
 */
export function reinsStrykerConfig({ exclude = [] } = {}) {
  return {
    packageManager: 'pnpm',
    plugins,
    testRunner: 'vitest',
    // The package's tests minus those listed in its `vitest.mutation.config.ts` (see there).
    vitest: { configFile: 'vitest.mutation.config.ts' },
    // No type checker by default: on two shared cores it cost as much as a second test runner.
    // Without it, a mutant that only breaks the types runs against the tests like any other,
    // so the score can only come out lower, never higher (`pnpm mutation --type-check` adds it).
    checkers: [],
    tsconfigFile: 'tsconfig.json',
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    coverageAnalysis: 'perTest',
    inPlace: true,
    incremental: true,
    mutate: ['src/**/*.ts', ...notMutated, ...exclude.map((glob) => `!${glob}`)],
    // The machine's cores are shared: one test runner by default (`--concurrency 2` for two).
    concurrency: 1,
    timeoutMS: 20_000,
    reporters: ['json', 'html', 'clear-text', 'progress-append-only', 'journal'],
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    htmlReporter: { fileName: 'reports/mutation/mutation.html' },
    clearTextReporter: { reportMutants: false, reportTests: false, allowColor: false },
    thresholds: { high: 85, low: 75, break: null },
    cleanTempDir: 'always',
    // Static mutants (module-level constants such as frozen defaults) run once at import, so
    // each would need the whole suite in a fresh process; they are left out of the score.
    ignoreStatic: true,
  };
}
