import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The task the quickstart agent is given. */
export const quickstartTask =
  'The test in test.js fails. Find the bug in greet.js, fix it, and run the test to confirm it passes.';

/** Creates a small project with a failing test in a new temporary folder; returns its path. */
export async function createBuggyProject(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'reins-quickstart-'));
  await writeFile(
    join(root, 'greet.js'),
    "export function greet(name) {\n  return 'Hello, ' + name + '?';\n}\n",
  );
  await writeFile(
    join(root, 'test.js'),
    [
      "import assert from 'node:assert/strict';",
      "import { greet } from './greet.js';",
      "assert.equal(greet('Ada'), 'Hello, Ada!');",
      "console.log('1 test passed');",
      '',
    ].join('\n'),
  );
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  return root;
}
