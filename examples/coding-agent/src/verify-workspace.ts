import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSandbox } from '@reins/coding-tools';

/** What {@link verifyWorkspace} found. */
export interface WorkspaceVerification {
  /** The project's tests pass (`node --test test/` exits with 0). */
  readonly testsPass: boolean;
  /** `formatMoney(-550)` gives `-$5.50`, checked in a separate Node process. */
  readonly negativeAmountsFormatted: boolean;
  /** A test file under `test/` exercises `formatMoney`. */
  readonly negativeAmountsTested: boolean;
  /** Output of the test run. */
  readonly testOutput: string;
}

/**
 * Checks the agent's work independently of what it said: runs the workspace's tests, checks
 * the added requirement in a fresh Node process, and looks for a test of it.
 *
 * @param workspace - the workspace folder.
 * @param options - `signal` to cancel the checks.
 * @returns one flag per check and the test output.
 * @example
 * ```ts
 * const { testsPass } = await verifyWorkspace(workspace);
 * ```
 */
export async function verifyWorkspace(
  workspace: string,
  options: { signal?: AbortSignal } = {},
): Promise<WorkspaceVerification> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  // The agent's code runs in the same sandbox as its commands did.
  const sandbox = await createSandbox({ workspace });
  const tests = await sandbox.run('node --test test/', {
    timeoutMs: 60_000,
    outputLimit: 8_000,
    ...signal,
  });
  const format = await sandbox.run(
    `node --input-type=module -e "import { formatMoney } from './src/money.js'; process.stdout.write(formatMoney(-550));"`,
    { timeoutMs: 20_000, outputLimit: 1_000, ...signal },
  );
  const testFiles = (await readdir(join(workspace, 'test'))).filter((name) => name.endsWith('.js'));
  let tested = false;
  for (const name of testFiles) {
    const text = await readFile(join(workspace, 'test', name), 'utf8');
    if (/formatMoney\(\s*-/.test(text)) tested = true;
  }
  return {
    testsPass: tests.exitCode === 0,
    negativeAmountsFormatted: format.exitCode === 0 && format.output === '-$5.50',
    negativeAmountsTested: tested,
    testOutput: tests.output,
  };
}
