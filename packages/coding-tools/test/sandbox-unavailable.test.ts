import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCodingTools, createSandbox, SandboxUnavailableError } from '../src/index.js';
import { createEscapeFixture } from './escape-fixture.js';

/** A bubblewrap that fails as it does where the kernel refuses user namespaces. */
async function restrictedBubblewrap(folder: string): Promise<string> {
  const path = join(folder, 'bwrap');
  await writeFile(
    path,
    '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n',
  );
  await chmod(path, 0o755);
  return path;
}

describe('where bubblewrap cannot run', () => {
  it('refuses to start when the binary is missing, naming the fix', async () => {
    const { workspace } = await createEscapeFixture();
    const error = await createSandbox({ workspace, bubblewrap: '/nonexistent/bwrap' }).catch(
      (caught: unknown) => caught,
    );
    expect(SandboxUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/apt-get install bubblewrap.*unsandboxed: true/s);
  });

  it('refuses to start when namespaces are refused, quoting bubblewrap', async () => {
    const { base, workspace } = await createEscapeFixture();
    const bubblewrap = await restrictedBubblewrap(base);
    const error = await createCodingTools({ root: workspace, sandbox: { bubblewrap } }).catch(
      (caught: unknown) => caught,
    );
    expect(SandboxUnavailableError.isInstance(error)).toBe(true);
    expect((error as SandboxUnavailableError).probeOutput).toContain(
      'setting up uid map: Permission denied',
    );
  });

  it('runs commands unsandboxed only when the caller opts in, still with a clean environment', async () => {
    const { base, workspace } = await createEscapeFixture();
    const bubblewrap = await restrictedBubblewrap(base);
    const { sandbox, tools } = await createCodingTools({
      root: workspace,
      sandbox: { bubblewrap, unsandboxed: true },
    });
    expect(sandbox.isolation).toBe('none');
    const shell = tools.find((tool) => tool.name === 'run_command');
    const output = await shell?.execute(
      { command: 'ls && env' },
      { signal: new AbortController().signal, runId: 'run', callId: 'call' },
    );
    expect(output).toMatch(/^exit code: 0\nREADME\.md\n/);
    expect(output).not.toMatch(/VITEST|OPENAI_API_KEY/);
  });
});
