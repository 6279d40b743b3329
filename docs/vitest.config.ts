import { reinsTestConfig } from '../vitest.shared.js';

export default reinsTestConfig({ include: ['code-blocks/*.test.ts'], testTimeout: 120_000 });
