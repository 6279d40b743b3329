/**
 * What the sandbox costs per command: wall time from spawn to exit of `/bin/sh -c true` under
 * the full sandbox (pids cgroup, prlimit, bubblewrap with every namespace), under the
 * unsandboxed fallback (prlimit and a process group), and as a plain `child_process.spawn`,
 * interleaved in one process. Prints p50/p90 per variant; the last line is one JSON object.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSandbox } from '../src/index.js';

const rounds = 40;
const workspace = await mkdtemp(join(tmpdir(), 'reins-coding-tools-bench-'));
const sandbox = await createSandbox({ workspace });
// The fallback path, forced by a bubblewrap that cannot start.
const fallback = await createSandbox({ workspace, bubblewrap: '/nonexistent', unsandboxed: true });

function plainSpawn(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', 'true'], { cwd: workspace, stdio: 'pipe' });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

const variants: Record<string, () => Promise<unknown>> = {
  plainSpawn: plainSpawn,
  sandbox: () => sandbox.run('true', { timeoutMs: 30_000, outputLimit: 1_000 }),
  unsandboxed: () => fallback.run('true', { timeoutMs: 30_000, outputLimit: 1_000 }),
};
const times: Record<string, number[]> = { plainSpawn: [], sandbox: [], unsandboxed: [] };
for (const run of Object.values(variants)) await run(); // warm-up
for (let round = 0; round < rounds; round += 1) {
  for (const [name, run] of Object.entries(variants)) {
    const start = performance.now();
    await run();
    times[name]?.push(performance.now() - start);
  }
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
const round3 = (value: number) => Math.round(value * 1000) / 1000;
const summary = (name: string) => ({
  p50: round3(quantile(times[name] ?? [], 0.5)),
  p90: round3(quantile(times[name] ?? [], 0.9)),
});
const sandboxSpawnMs = summary('sandbox');
const plainSpawnMs = summary('plainSpawn');
const unsandboxedSpawnMs = summary('unsandboxed');
for (const [label, value] of [
  ['plain spawn of /bin/sh -c true', plainSpawnMs],
  ['unsandboxed fallback (prlimit, process group)', unsandboxedSpawnMs],
  [`sandbox (bubblewrap, ${sandbox.processLimit} process limit)`, sandboxSpawnMs],
] as const) {
  process.stdout.write(
    `${label.padEnd(52)} p50 ${value.p50.toFixed(2).padStart(7)} ms  p90 ${value.p90.toFixed(2).padStart(7)} ms\n`,
  );
}
const ratio = Math.round((sandboxSpawnMs.p50 / plainSpawnMs.p50) * 10) / 10;
process.stdout.write(`sandbox / plain spawn (p50): ${ratio}×\n`);
console.log(
  JSON.stringify({
    rounds,
    processLimit: sandbox.processLimit,
    sandboxSpawnMs,
    plainSpawnMs,
    unsandboxedSpawnMs,
    sandboxToPlainRatio: ratio,
  }),
);
