import { reinsTestConfig } from '../../vitest.shared.js';

export default reinsTestConfig();
