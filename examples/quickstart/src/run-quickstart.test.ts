import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runQuickstart } from './run-quickstart.js';

describe('quickstart', () => {
  it('fixes the bug for real: the project test passes afterwards', async () => {
    const { result, root } = await runQuickstart();
    try {
      expect(result.status).toBe('done');
      expect(await readFile(join(root, 'greet.js'), 'utf8')).toContain("'!'");
      const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'test.js')]);
      expect(stdout).toContain('1 test passed');
      const runs = result.messages.filter(
        (message) => message.role === 'tool' && message.toolName === 'run_node',
      );
      expect(
        runs.map(
          (message) =>
            message.role === 'tool' &&
            message.result.status === 'ok' &&
            message.result.output.split('\n')[0],
        ),
      ).toEqual(['exit code 1', 'exit code 0']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
