import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { textOf } from './convert-from-langchain-messages.js';
import {
  createRestartAgent,
  describeEvent,
  restartBudget,
  restartThread,
} from './restart-agent.test-helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const childScript = fileURLToPath(new URL('./restart-child.test-helpers.ts', import.meta.url));
const folders: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'reins-restart-'));
  folders.push(folder);
  return join(folder, 'checkpoints.sqlite');
}

/** Runs the first process until its 4th tool call hangs, then kills it; returns its events. */
async function runChildUntilKilled(file: string): Promise<string[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@reins/source', childScript, file],
    { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  const events: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk) => {
      buffered += String(chunk);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'HANG') {
          child.kill('SIGKILL');
          resolve();
        } else if (line.startsWith('{')) events.push((JSON.parse(line) as { event: string }).event);
        else if (line === 'FINISHED') reject(new Error('The first process finished the run.'));
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`The first process exited (${code}) before it hung:\n${stderr}`));
      }
    });
  });
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.on('exit', () => resolve());
  });
  return events;
}

describe('reinsMiddleware across a restart', () => {
  it('continues the budget and the stuck monitor in a new process from a SQLite checkpoint', async () => {
    const referenceEvents: string[] = [];
    const reference = createRestartAgent({
      file: tempFile(),
      onEvent: (event) => referenceEvents.push(describeEvent(event)),
    });
    const uninterrupted = await reference.agent.invoke(
      { messages: [{ role: 'user', content: 'Echo it.' }] },
      restartThread,
    );
    // The budget's turns, then the final answer it asks for.
    expect(reference.model.callCount).toBe(restartBudget + 1);
    expect(referenceEvents).toContain('stuck.detected@4');

    const file = tempFile();
    const firstEvents = await runChildUntilKilled(file);
    expect(firstEvents.filter((event) => event.startsWith('turn.start'))).toHaveLength(4);

    const resumedEvents: string[] = [];
    const resumed = createRestartAgent({
      file,
      onEvent: (event) => resumedEvents.push(describeEvent(event)),
    });
    const final = await resumed.agent.invoke(null, restartThread);

    // The budget goes on from turn 4: four more model calls and the final answer, not eight.
    expect(resumed.model.callCount).toBe(restartBudget - 4 + 1);
    expect(resumedEvents[0]).toBe('run.start@4');
    // Every decision the controller made is the one it made without the restart.
    expect([...firstEvents, ...resumedEvents.slice(1)]).toEqual(referenceEvents);
    expect(textOf(final.messages.at(-1)?.content ?? '')).toBe(
      textOf(uninterrupted.messages.at(-1)?.content ?? ''),
    );
    expect(final.messages.map((message) => message.getType())).toEqual(
      uninterrupted.messages.map((message) => message.getType()),
    );
    expect(Object.keys(final)).toEqual(['messages']);
  }, 60_000);
});
