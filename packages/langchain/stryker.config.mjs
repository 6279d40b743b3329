import { reinsStrykerConfig } from '../../scripts/stryker-config.mjs';

/** StrykerJS mutation testing of this package: run `pnpm mutation` at the repository root. */
export default reinsStrykerConfig({
  exclude: ['src/**/*.test-helpers.ts', 'src/reins-hook-context.ts'],
});
