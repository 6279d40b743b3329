import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../src/index.js';
import {
  createEscapeFixture,
  hostProcessesMatching,
  waitUntilNoProcessMatches,
} from './escape-fixture.js';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');
const script = fileURLToPath(new URL('./fixtures/run-forever.ts', import.meta.url));
const printEnviron = fileURLToPath(new URL('./fixtures/print-environ.ts', import.meta.url));

/** Starts the agent process and resolves once it has asked the sandbox to run the command. */
async function startAgent(workspace: string, marker: string) {
  const agent = spawn(
    process.execPath,
    ['--conditions=@reins/source', '--import', tsxLoader, script, workspace, marker],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    agent.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve();
    });
    agent.on('exit', (code) => reject(new Error(`the agent process exited early (${code})`)));
  });
  return agent;
}

describe("the agent process's environment", () => {
  it("is not in any /proc/*/environ the sandbox can read, as the parent's secret was", async () => {
    const { workspace } = await createEscapeFixture();
    const secret = `sk-parent-${Math.random().toString(36).slice(2)}`;
    const agent = spawn(
      process.execPath,
      ['--conditions=@reins/source', '--import', tsxLoader, printEnviron, workspace],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, OPENAI_API_KEY: secret } },
    );
    // The secret is really in the agent's environment, where /proc shows it to its peers.
    await new Promise((resolve) => agent.once('spawn', resolve));
    const own = readFileSync(`/proc/${agent.pid}/environ`, 'utf8');
    let output = '';
    agent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise((resolve) => agent.once('exit', resolve));
    expect(own).toContain(secret);
    expect(code).toBe(0);
    expect(output).toContain('HOME=');
    expect(output).not.toContain(secret);
    expect(output).not.toContain('OPENAI_API_KEY');
  });
});

describe('when the agent process itself dies', () => {
  it('SIGKILL of the process running the sandbox, at any instant, kills every process of the command', async () => {
    const { workspace } = await createEscapeFixture();
    // Instants from "just spawned" (the launch chain still starting) to "running for a while".
    for (const delayMs of [0, 2, 5, 20, 300]) {
      const marker = `47.4715${delayMs}`;
      const agent = await startAgent(workspace, marker);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      // No handler runs: only the kernel (parent-death signal, PID namespace) acts.
      const exited = new Promise((resolve) => agent.once('exit', resolve));
      agent.kill('SIGKILL');
      await exited;
      // The command's processes die at once (the parent-death signal), or, if the kill lands
      // in the milliseconds before bubblewrap arms it, at the command's 2 s timeout: never
      // after the 47 s the command asks for. A bubblewrap still setting up (comm 'bwrap', no
      // command run yet) is left for the reclaim below.
      await waitUntilNoProcessMatches(`sleep ${marker}`, 1_000, 'bwrap');
    }
    // The next sandbox made on this machine reclaims what a killed setup left behind.
    const next = await createSandbox({ workspace });
    if (next.processLimit === 'cgroup') expect(hostProcessesMatching('sleep 47.4715')).toEqual([]);
  }, 120_000);
});
