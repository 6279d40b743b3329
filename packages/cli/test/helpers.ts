/**
 * Shared helpers of the CLI tests: paths to the recorded data (failing clearly when absent) and
 * running `reins` as a child process.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(packageRoot, '../..');
export const dataRoot = resolve(repoRoot, '../shared/data');
export const miniSweAgent = join(dataRoot, 'swe-trajectories/mini-swe-agent-gemini-3-pro');
export const sweAgentJava = join(dataRoot, 'swe-trajectories/swe-agent-java');
export const tauBench = join(dataRoot, 'tau-bench/gpt-4o-airline.dev.json');

/** Throws naming the missing path: tests on recorded data never skip. */
export function requireData(path: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `The recorded data is missing: ${path}. Put the shared data folder at ${dataRoot} (next to the repository).`,
    );
  }
  return path;
}

export interface ReinsResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `reins` executable (from source, through tsx) in `cwd` with `args`. */
export function runReins(args: readonly string[], cwd = repoRoot): Promise<ReinsResult> {
  const tsx = join(packageRoot, 'node_modules/.bin/tsx');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      tsx,
      ['--conditions=@reins/source', join(packageRoot, 'src/bin.ts'), ...args],
      {
        cwd,
        env: { ...process.env, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** Parses stdout that must be exactly one JSON object on one line. */
export function parseJsonOutput(result: ReinsResult): Record<string, unknown> {
  const lines = result.stdout.split('\n').filter((line) => line !== '');
  if (result.code !== 0 || lines.length !== 1) {
    throw new Error(
      `Expected exit 0 and one JSON line, got exit ${result.code} and ${lines.length} lines.\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`,
    );
  }
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}
