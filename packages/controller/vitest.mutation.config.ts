import { reinsMutationTestConfig } from '../../vitest.shared.js';

/**
 * The tests StrykerJS runs against each mutant. Left out: the replays of whole recorded data
 * sets (990 InterruptBench scenarios, about six minutes a run on two cores; 306 mini-swe-agent
 * runs), the cost-cap fault test against a live server (200 interrupted streams, over 30 s a
 * run), and the test that reads the packages' source text for environment reads, which
 * Stryker's in-place instrumentation adds.
 */
export default reinsMutationTestConfig([
  'test/interruptbench.test.ts',
  'test/real-runs.test.ts',
  'test/cost-cap-faults.test.ts',
  'test/no-environment-switches.test.ts',
]);
