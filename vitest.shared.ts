/**
 * The vitest configuration every workspace package shares: tests run on TypeScript sources
 * through the `@reins/source` export condition, tests that need a live model
 * (`*.int.test.ts`) are left out, and a test that writes to the console fails.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

/** Test files no package runs by default: those that need a live model, and dependencies. */
export const defaultTestExclude: readonly string[] = ['**/*.int.test.ts', '**/node_modules/**'];

/**
 * A package's vitest configuration.
 * @param test - options that differ from the shared ones (e.g. `typecheck`, `include`).
 * @returns the configuration to export from the package's `vitest.config.ts`.
 */
export function reinsTestConfig(test: TestOptions = {}): ViteUserConfig {
  return defineConfig({
    resolve: { conditions: ['@reins/source'] },
    ssr: { resolve: { conditions: ['@reins/source'] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: [...defaultTestExclude],
      setupFiles: [fileURLToPath(new URL('./scripts/vitest-setup.ts', import.meta.url))],
      testTimeout: 30_000,
      ...test,
    },
  });
}

/**
 * The vitest configuration StrykerJS runs against each mutant of a package (see
 * `scripts/stryker-config.mjs`): the package's tests without `leftOut`, the test files that
 * cannot take part (they read the source text, which Stryker rewrites in place) or that cost
 * minutes per mutant (replays of whole recorded data sets, end-to-end runs through heavy
 * dependencies). A mutant only those files would catch counts as surviving, so leaving them out
 * can lower the score, never raise it.
 * @param leftOut - test file globs, relative to the package.
 * @param test - further options, as for {@link reinsTestConfig}.
 * @returns the configuration to export from the package's `vitest.mutation.config.ts`.
 */
export function reinsMutationTestConfig(
  leftOut: readonly string[],
  test: TestOptions = {},
): ViteUserConfig {
  return reinsTestConfig({
    exclude: [...defaultTestExclude, ...leftOut],
    // Instrumented code on a busy machine: generous limits, so that only a mutant fails a test.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    ...test,
  });
}
