import { reinsMutationTestConfig } from '../../vitest.shared.js';

/**
 * The tests StrykerJS runs against each mutant. Left out: the First Finish Search and reasoning
 * tool end-to-end test, whose LangChain import alone costs 10–25 s per mutant on two cores.
 */
export default reinsMutationTestConfig(['src/first-finish-and-tool.e2e.test.ts']);
