import { reinsMutationTestConfig } from '../../vitest.shared.js';

/**
 * The tests StrykerJS runs against each mutant. Left out: the crash tests, which SIGKILL child
 * processes at random instants (about a minute each); their children run the sources without
 * the mutant under test, so only the parent's side of them could catch one.
 */
export default reinsMutationTestConfig(['test/random-kill.test.ts', 'test/crash-resume.test.ts']);
