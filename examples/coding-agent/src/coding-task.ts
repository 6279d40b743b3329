/** The task given to the coding agent. */
export const codingTask =
  'The tests of this project (invoice-kit) fail. Find the cause, fix it in the source (not in the tests), and run the tests to confirm they pass.';

/** The requirement the user adds while the agent works (an InterruptBench-style addition). */
export const addedRequirement =
  'Also: refunds are negative amounts, and formatMoney(-550) must give "-$5.50" (minus sign before the currency symbol). Fix that too and add a test for it.';

/** The instructions (system message) of the coding agent. */
export const codingInstructions = [
  'You are a careful coding agent working in a project folder through tools.',
  'Inspect before you change: list files, read them, search. Change files with edit_file (exact text replacement) or write_file.',
  'Run the tests with run_command to see failures and to confirm fixes. Paths are relative to the project root.',
  'When the user adds or changes a requirement, satisfy it as well. Finish with a short summary of what you changed.',
].join('\n');
