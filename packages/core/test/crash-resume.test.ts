import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = join(here, 'fixtures', 'crash-agent.ts');
const temporary = mkdtempSync(join(tmpdir(), 'reins-crash-'));
afterAll(() => rmSync(temporary, { recursive: true, force: true }));

function start(
  mode: 'run' | 'resume',
  name: string,
): { child: ChildProcess; output: Promise<string> } {
  const checkpoints = join(temporary, name, 'checkpoints');
  const workspace = join(temporary, name, 'workspace');
  if (mode === 'run') rmSync(join(temporary, name), { recursive: true, force: true });
  spawnSyncMkdir(workspace);
  const child = spawn(
    process.execPath,
    ['--conditions=@reins/source', '--import', 'tsx', fixture, mode, checkpoints, workspace],
    {
      cwd: dirname(here),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const output = new Promise<string>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`crash-agent ${mode} exited with ${code ?? signal}: ${stderr}`));
    });
  });
  return { child, output };
}

function spawnSyncMkdir(path: string): void {
  mkdirSync(path, { recursive: true });
}

function toolLog(name: string): string[] {
  const path = join(temporary, name, 'workspace', 'tools.log');
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 2_000; attempt++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('crash and resume', () => {
  it('resumes a SIGKILLed run from its on-disk checkpoint with the same history and no tool run twice', async () => {
    const reference = JSON.parse(await start('run', 'reference').output) as RunResult;
    expect(reference.status).toBe('done');

    const crashed = start('run', 'crashed');
    crashed.output.catch(() => {});
    // Kill while the third turn's slow build is running (its write_file has completed).
    const thirdBuild = (line: string) => line.startsWith('start call_3_2_');
    await waitFor(() => toolLog('crashed').some(thirdBuild), 'the third build to start');
    // The build sleeps 400 ms; by 150 ms the completed write_file's result is on disk. (A call
    // killed between finishing and being recorded would run again: give tools the callId as an
    // idempotency key when that matters.)
    await new Promise((resolve) => setTimeout(resolve, 150));
    crashed.child.kill('SIGKILL');
    await new Promise((resolve) => crashed.child.once('exit', resolve));
    expect(toolLog('crashed').some((line) => line.startsWith('end call_3_2_'))).toBe(false);

    const resumed = JSON.parse(await start('resume', 'crashed').output) as RunResult;
    expect(resumed.status).toBe('done');
    expect(resumed.messages).toEqual(reference.messages);
    expect(resumed.output).toBe('Built p1+p2+p3+p4.');
    expect(readFileSync(join(temporary, 'crashed', 'workspace', 'out.txt'), 'utf8')).toBe(
      'p1+p2+p3+p4',
    );

    const ends = toolLog('crashed').filter((line) => line.startsWith('end '));
    expect(ends).toHaveLength(8);
    expect(new Set(ends).size).toBe(8);
    // Only the call cut off by the kill started twice.
    const starts = toolLog('crashed').filter((line) => line.startsWith('start '));
    const [thirdBuildStart] = starts.filter(thirdBuild);
    expect(starts.filter((line) => line === thirdBuildStart)).toHaveLength(2);
    expect(starts).toHaveLength(9);
    // Three processes, each loading the TypeScript sources: slow on a busy machine.
  }, 90_000);
});
