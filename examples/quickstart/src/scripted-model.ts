import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';

/** What a capable model does on the quickstart task, step by step. */
export const quickstartSteps: readonly ScriptedResponse[] = [
  {
    text: 'Let me look at the project first.',
    toolCalls: [{ name: 'list_files', arguments: {} }],
  },
  {
    text: 'I will read the code and the test.',
    toolCalls: [
      { name: 'read_file', arguments: { path: 'greet.js' } },
      { name: 'read_file', arguments: { path: 'test.js' } },
    ],
  },
  {
    text: 'Running the test to see the failure.',
    toolCalls: [{ name: 'run_node', arguments: { path: 'test.js' } }],
  },
  {
    reasoning:
      'The test expects an exclamation mark; greet.js ends the greeting with a question mark.',
    text: 'greet() ends with "?" but the test expects "!". Fixing it.',
    toolCalls: [{ name: 'edit_file', arguments: { path: 'greet.js', old: "'?'", new: "'!'" } }],
  },
  {
    text: 'Running the test again.',
    toolCalls: [{ name: 'run_node', arguments: { path: 'test.js' } }],
  },
  { text: 'Fixed: greet() now returns "Hello, <name>!" and the test passes.' },
];

/**
 * The model's side of the quickstart when no live model is configured. The tools run for real
 * on the temporary project.
 */
export function createQuickstartScript() {
  return createScriptedBackend({ delayMs: 5, chunkSize: 12, responses: quickstartSteps });
}
