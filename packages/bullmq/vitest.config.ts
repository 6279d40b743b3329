import { reinsTestConfig } from '../../vitest.shared.js';

export default reinsTestConfig({
  globalSetup: ['./test/redis-global-setup.ts'],
  testTimeout: 120_000,
  hookTimeout: 60_000,
});
