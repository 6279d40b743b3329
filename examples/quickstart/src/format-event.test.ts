import { describe, expect, it } from 'vitest';
import { summariseToolOutput } from './format-event.js';

const failedTest = [
  'exit code 1',
  'node:internal/modules/run_main:123',
  '    triggerUncaughtException(',
  '    ^',
  '',
  'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
  '+ actual - expected',
  '',
  "+ 'Hello, Ada?'",
  "- 'Hello, Ada!'",
  '',
  '    at file:///tmp/reins-quickstart-x/test.js:3:8',
  '    at ModuleJob.run (node:internal/modules/esm/module_job:234:25)',
  'Node.js v20.20.2',
].join('\n');

describe('summariseToolOutput', () => {
  it("shows a failed test's own message, not the Node internals around it", () => {
    expect(summariseToolOutput({ status: 'ok', output: failedTest })).toEqual([
      'exit code 1',
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
      '+ actual - expected',
      "+ 'Hello, Ada?'",
      "- 'Hello, Ada!'",
    ]);
  });

  it('says how many lines it left out', () => {
    const output = Array.from({ length: 8 }, (_, index) => `line ${index}`).join('\n');
    expect(summariseToolOutput({ status: 'ok', output }, 3)).toEqual([
      'line 0',
      'line 1',
      'line 2',
      '… 5 more lines',
    ]);
  });
});
