import { reinsMutationTestConfig } from '../../vitest.shared.js';

/**
 * The tests StrykerJS runs against each mutant: all of the package's. The restart test's
 * second process imports the package afresh, without the mutant under test, so only what the
 * first process does can catch one there.
 */
export default reinsMutationTestConfig([]);
