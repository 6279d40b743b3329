/**
 * Runs the controller's benchmarks one after another (each in its own process, so neither warms
 * or pollutes the other), shows their output, and prints one JSON object with both results as
 * the last line.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benchmarks = {
  decision: 'run.ts',
  interruptLatency: 'interrupt-latency.ts',
  contractOverhead: 'contract-overhead.ts',
} as const;
const results: Record<string, unknown> = {};

for (const [name, file] of Object.entries(benchmarks)) {
  const child = spawnSync(
    process.execPath,
    ['--conditions=@reins/source', '--import', 'tsx', join(here, file)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = child.stdout.trimEnd().split('\n');
  for (const line of lines.slice(0, -1)) console.log(line);
  if (child.status !== 0)
    throw new Error(`The ${name} benchmark (${file}) exited with ${child.status}.`);
  results[name] = JSON.parse(lines.at(-1) ?? 'null');
}

console.log(JSON.stringify({ benchmark: '@reins/controller', ...results }));
