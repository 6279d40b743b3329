import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgent } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { CommandTimeoutError } from './command-timeout-error.js';
import { createCodingTools } from './create-coding-tools.js';
import { runCommand } from './run-command.js';

let root: string;

/** Whether a process runs (a zombie, killed but not yet reaped, does not count). */
function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Waits for the kill to land: SIGKILL is asynchronous. Fails after 200 checks. */
async function waitUntilGone(pid: number): Promise<void> {
  for (let check = 0; check < 200; check++) {
    if (!isRunning(pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`process ${pid} is still running`);
}

async function waitForFile(path: string): Promise<string> {
  for (;;) {
    if (existsSync(path)) {
      const text = (await readFile(path, 'utf8')).trim();
      if (text !== '') return text;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'reins-run-command-test-'));
  // A command that never ends, with a background child: the whole group must die.
  await writeFile(
    join(root, 'forever.sh'),
    'sleep 1000 &\necho $! > child.pid\necho started\nwait\n',
  );
});

describe('runCommand', () => {
  it('kills a command that runs forever at its timeout, children included', async () => {
    const running = runCommand('sh forever.sh', { cwd: root, timeoutMs: 300 });
    const error = await running.catch((caught: unknown) => caught);
    expect(CommandTimeoutError.isInstance(error)).toBe(true);
    expect((error as CommandTimeoutError).message).toMatch(
      /did not finish within 300 ms and was killed.*\nOutput before it was killed:\nstarted/s,
    );
    await waitUntilGone(Number(await readFile(join(root, 'child.pid'), 'utf8')));
  });

  it('kills it when the signal aborts, and rejects with the reason', async () => {
    const controller = new AbortController();
    const running = runCommand('sh forever.sh', {
      cwd: root,
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    const pid = Number(await waitForFile(join(root, 'child.pid')));
    expect(isRunning(pid)).toBe(true);
    controller.abort(new Error('user interrupt'));
    await expect(running).rejects.toThrow('user interrupt');
    await waitUntilGone(pid);
  });
});

describe('run_command in a run', () => {
  it('is killed when the user interrupts now, and the call is answered as cancelled', async () => {
    const backend = createScriptedBackend({
      responses: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'sh forever.sh' } }] },
        { text: 'Stopped the long command as asked.' },
      ],
    });
    const handle = createAgent({ backend, tools: createCodingTools({ root }) }).run(
      'Run the script.',
    );
    const pid = Number(await waitForFile(join(root, 'child.pid')));
    expect(isRunning(pid)).toBe(true);
    handle.interrupt({ kind: 'revision', text: 'Do not wait for it.', urgency: 'now' });
    const result = await handle.result;
    await waitUntilGone(pid);
    expect(result.status).toBe('done');
    const toolMessage = result.messages.find((message) => message.role === 'tool');
    expect(toolMessage).toMatchObject({ role: 'tool', result: { status: 'cancelled' } });
  });
});
