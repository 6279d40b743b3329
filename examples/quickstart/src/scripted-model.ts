import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';

/** Runs the project's test: the action the scripted model repeats while it is stuck. */
const runTest = { name: 'run_node', arguments: { path: 'test.js' } } as const;

/**
 * What a model does on the quickstart task, step by step: it lists the files, then re-runs the
 * failing test without changing anything until the controller warns it that it is stuck; then it
 * reads the code, fixes it and confirms. The tools run for real on the temporary project.
 */
export const quickstartSteps: readonly ScriptedResponse[] = [
  {
    text: 'Let me look at the project first.',
    toolCalls: [{ name: 'list_files', arguments: {} }],
  },
  { text: 'Running the test to see the failure.', toolCalls: [runTest] },
  { text: 'Maybe it was flaky; running it again.', toolCalls: [runTest] },
  { text: 'Running it once more.', toolCalls: [runTest] },
  { text: 'And again.', toolCalls: [runTest] },
  {
    reasoning: 'I was told I am repeating myself: re-running cannot change the result.',
    text: 'Re-running will not fix it. Reading the code under test.',
    toolCalls: [{ name: 'read_file', arguments: { path: 'greet.js' } }],
  },
  {
    reasoning:
      'The test expects an exclamation mark; greet.js ends the greeting with a question mark.',
    text: 'greet() ends with "?" but the test expects "!". Fixing it.',
    toolCalls: [{ name: 'edit_file', arguments: { path: 'greet.js', old: "'?'", new: "'!'" } }],
  },
  { text: 'Running the test again, as asked, to confirm.', toolCalls: [runTest] },
  {
    text: 'Fixed: greet() now returns "Hello, <name>!" and the test passes; test.js is unchanged.',
  },
];

/**
 * The model's side of the quickstart when no live model is configured. The tools run for real
 * on the temporary project.
 */
export function createQuickstartScript() {
  return createScriptedBackend({ delayMs: 5, chunkSize: 12, responses: quickstartSteps });
}
