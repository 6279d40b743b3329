import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@reins/source'] },
  ssr: { resolve: { conditions: ['@reins/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.int.test.ts', '**/node_modules/**'],
    setupFiles: ['../../scripts/vitest-setup.ts'],
    testTimeout: 30_000,
  },
});
