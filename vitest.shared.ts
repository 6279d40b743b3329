/**
 * The vitest configuration every workspace package shares: tests run on TypeScript sources
 * through the `@reins/source` export condition, tests that need a live model
 * (`*.int.test.ts`) are left out, and a test that writes to the console fails.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

type TestOptions = NonNullable<ViteUserConfig['test']>;

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
      exclude: ['**/*.int.test.ts', '**/node_modules/**'],
      setupFiles: [fileURLToPath(new URL('./scripts/vitest-setup.ts', import.meta.url))],
      testTimeout: 30_000,
      ...test,
    },
  });
}
