import { createScriptedBackend, type ScriptedBackend } from '@reins/core/testing';

/** The model id the scripted session reports (and is priced under). */
export const scriptedModelId = 'coding-agent-script';

/** The test command the scripted session runs. */
export const scriptedTestCommand = 'node --test test/';

/**
 * The model's side of a realistic session on the bundled project, for running the example
 * without a model: it explores, runs the failing tests, re-runs the same command until the
 * stuck monitor warns it, then reads the code, fixes the discount bug, takes the user's added
 * requirement (negative amounts) into account with a fix and a new test, and confirms with the
 * tests. The tools run for real on the temporary workspace; only the model is scripted.
 *
 * @param options - `delayMs` between streamed parts (on the system clock).
 * @returns a scripted backend whose `requests` records what the model was sent.
 * @example
 * ```ts
 * const agent = createAgent({ backend: createScriptedSession(), tools, controller });
 * ```
 */
export function createScriptedSession(options: { delayMs?: number } = {}): ScriptedBackend {
  const runTests = { name: 'run_command', arguments: { command: scriptedTestCommand } };
  return createScriptedBackend({
    modelId: scriptedModelId,
    delayMs: options.delayMs ?? 0,
    chunkSize: 24,
    responses: [
      {
        text: 'Let me see what the project contains.',
        toolCalls: [{ name: 'list_files', arguments: {} }],
      },
      {
        text: 'Reading the package manifest and the tests.',
        toolCalls: [
          { name: 'read_file', arguments: { path: 'package.json' } },
          { name: 'read_file', arguments: { path: 'test/invoice.test.js' } },
        ],
      },
      { text: 'Running the tests to see the failures.', toolCalls: [runTests] },
      {
        reasoning: 'Two tests fail on the discounted amount. It could be a flaky ordering issue.',
        text: 'Running them again to check whether the failure is stable.',
        toolCalls: [runTests],
      },
      { text: 'Once more, to be sure.', toolCalls: [runTests] },
      { text: 'Running the tests again.', toolCalls: [runTests] },
      {
        reasoning:
          'The monitor is right: the same command gives the same failure. 2800 with 10% off should be 2520 but is 2790, so 10 cents were subtracted instead of 10 percent.',
        text: 'Re-running will not change anything. 2790 = 2800 − 10: the discount subtracts the percentage as cents. Reading the discount code.',
        toolCalls: [
          { name: 'search', arguments: { pattern: 'applyDiscount', path: 'src' } },
          { name: 'read_file', arguments: { path: 'src/cart.js', startLine: 12, endLine: 18 } },
        ],
      },
      {
        text: 'applyDiscount returns `cents - percent`. Fixing it to take the percentage of the amount, rounded to a cent. I will then handle the negative amounts you asked for.',
        toolCalls: [
          {
            name: 'edit_file',
            arguments: {
              path: 'src/cart.js',
              old: '  return cents - percent;',
              new: '  return Math.round(cents * (1 - percent / 100));',
            },
          },
        ],
      },
      {
        text: 'Now the formatting of negative amounts.',
        toolCalls: [{ name: 'read_file', arguments: { path: 'src/money.js' } }],
      },
      {
        text: 'formatMoney drops the sign. Putting a minus sign before the symbol for negative amounts.',
        toolCalls: [
          {
            name: 'edit_file',
            arguments: {
              path: 'src/money.js',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source the model edits
              old: '  return `${symbol}${whole}.${fraction}`;',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source the model writes
              new: "  const sign = cents < 0 ? '-' : '';\n  return `${sign}${symbol}${whole}.${fraction}`;",
            },
          },
        ],
      },
      {
        text: 'Adding a test for money formatting, negative amounts included.',
        toolCalls: [
          {
            name: 'write_file',
            arguments: {
              path: 'test/money.test.js',
              content: [
                "import assert from 'node:assert/strict';",
                "import { test } from 'node:test';",
                "import { formatMoney, toCents } from '../src/money.js';",
                '',
                "test('formats positive amounts', () => {",
                "  assert.equal(formatMoney(1250), '$12.50');",
                "  assert.equal(formatMoney(5), '$0.05');",
                '});',
                '',
                "test('puts the minus sign before the symbol for refunds', () => {",
                "  assert.equal(formatMoney(-550), '-$5.50');",
                "  assert.equal(formatMoney(toCents(-0.99)), '-$0.99');",
                '});',
                '',
              ].join('\n'),
            },
          },
        ],
      },
      { text: 'Running the whole test suite.', toolCalls: [runTests] },
      {
        text: [
          'Done. The tests pass.',
          '- src/cart.js: applyDiscount subtracted the percentage as cents (2800 − 10); it now applies it as a percentage, rounded to the cent.',
          '- src/money.js: formatMoney keeps the sign of negative amounts: formatMoney(-550) is "-$5.50".',
          '- test/money.test.js: new tests for positive and negative amounts.',
        ].join('\n'),
      },
    ],
  });
}
