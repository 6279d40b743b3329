import { reinsTestConfig } from '../../vitest.shared.js';

export default reinsTestConfig({ typecheck: { enabled: true, include: ['src/**/*.test-d.ts'] } });
