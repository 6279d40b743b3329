import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@reins/source'] },
  ssr: { resolve: { conditions: ['@reins/source'] } },
  test: {
    include: ['code-blocks/*.test.ts'],
    setupFiles: ['../scripts/vitest-setup.ts'],
    testTimeout: 120_000,
  },
});
