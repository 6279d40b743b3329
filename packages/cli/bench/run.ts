/**
 * Time of each `reins` command on the 306 recorded mini-swe-agent runs, run in-process (no
 * process start-up): median of a few rounds, the cost of running the monitors alongside the
 * policy (ratio), and the HTML report's size. The last line of output is one JSON object.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type CliIo, runCli } from '../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const data = resolve(repoRoot, '../shared/data/swe-trajectories/mini-swe-agent-gemini-3-pro');
if (!existsSync(data)) {
  console.error(`The recorded runs are missing: ${data}. Put the shared data at ../shared/data.`);
  process.exit(1);
}

const sink = () =>
  Object.assign(
    new Writable({
      write(_chunk, _encoding, callback) {
        callback();
      },
    }),
    { isTTY: false },
  );
const work = await mkdtemp(join(tmpdir(), 'reins-cli-bench-'));
const io: CliIo = { stdout: sink(), stderr: sink(), cwd: work };
const policy = join(work, 'policy.json');

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
async function measure(args: string[], rounds: number): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    const code = await runCli(args, io);
    times.push(performance.now() - start);
    if (code !== 0) throw new Error(`reins ${args.join(' ')} exited with ${code}`);
  }
  return median(times);
}

const importMs = await measure(['import', '--data', data, '--json'], 3);
console.log(`import     median ${importMs.toFixed(0)} ms`);
const calibrateMs = await measure(['calibrate', '--data', data, '--out', policy, '--json'], 1);
console.log(`calibrate  ${calibrateMs.toFixed(0)} ms (one round: nested 5-fold cross-validation)`);
const evaluateMs = await measure(['evaluate', '--data', data, '--policy', policy, '--json'], 3);
const policyOnlyMs = await measure(
  ['evaluate', '--data', data, '--policy', policy, '--json', '--no-monitors'],
  3,
);
console.log(
  `evaluate   median ${evaluateMs.toFixed(0)} ms with monitors, ${policyOnlyMs.toFixed(0)} ms policy only (ratio ${(evaluateMs / policyOnlyMs).toFixed(2)})`,
);
const out = join(work, 'report.html');
const reportMs = await measure(
  ['report', '--data', data, '--policy', policy, '--out', out, '--json'],
  3,
);
const reportBytes = (await stat(out)).size;
console.log(
  `report     median ${reportMs.toFixed(0)} ms, ${Math.round(reportBytes / 1024)} KB (ratio to evaluate ${(reportMs / evaluateMs).toFixed(2)})`,
);
await rm(work, { recursive: true, force: true });

console.log(
  JSON.stringify({
    importMs: Math.round(importMs),
    calibrateMs: Math.round(calibrateMs),
    evaluateMs: Math.round(evaluateMs),
    evaluatePolicyOnlyMs: Math.round(policyOnlyMs),
    monitorsOverheadRatio: Number((evaluateMs / policyOnlyMs).toFixed(3)),
    reportMs: Math.round(reportMs),
    reportToEvaluateRatio: Number((reportMs / evaluateMs).toFixed(3)),
    reportBytes,
  }),
);
