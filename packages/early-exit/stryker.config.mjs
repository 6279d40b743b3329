import { reinsStrykerConfig } from '../../scripts/stryker-config.mjs';

/** StrykerJS mutation testing of this package: run `pnpm mutation` at the repository root. */
export default reinsStrykerConfig();
