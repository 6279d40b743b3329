/**
 * The coding agent: fixes the bundled invoice-kit project in a temporary workspace, with a
 * requirement added mid-task, then checks the result by running the tests.
 *
 * `pnpm example coding-agent` plays the scripted session; with `REINS_MODEL` (and
 * `OPENAI_BASE_URL`, `OPENAI_API_KEY`) set it runs on that model.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '@reins/core';
import { createBackendFromEnv } from './create-backend-from-env.js';
import { readTurnHistory } from './read-turn-history.js';
import { runCodingAgent } from './run-coding-agent.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const historyPath = resolve(repoRoot, '../shared/data/tool-times/swe-bench-pro-runs.csv');
const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);
const firstLines = (text: string, count: number) =>
  text.split('\n').slice(0, count).join(' ⏎ ').slice(0, 160);

function print(event: AgentEvent): void {
  switch (event.type) {
    case 'model.end':
      if (event.message.content !== '') console.log(`  model: ${event.message.content}`);
      break;
    case 'turn.start':
      console.log(dim(`turn ${event.turn}`));
      break;
    case 'tool.start':
      console.log(`  → ${event.call.name} ${firstLines(event.call.arguments, 1)}`);
      break;
    case 'tool.end': {
      const text =
        event.result.status === 'ok' ? event.result.output : JSON.stringify(event.result);
      console.log(dim(`  ← ${event.result.status}: ${firstLines(text, 2)}`));
      break;
    }
    case 'interrupt.applied':
      console.log(`user (${event.interrupt.kind}): ${event.interrupt.text}`);
      break;
    case 'run.end':
      console.log(`run ${event.result.status} after ${event.result.turns} turns`);
      break;
    default:
      if ('controller' in event) console.log(`  [${event.type}] ${JSON.stringify(event.evidence)}`);
  }
}

const live = createBackendFromEnv(process.env);
let history: Awaited<ReturnType<typeof readTurnHistory>> | undefined;
if (existsSync(historyPath)) {
  history = await readTurnHistory(historyPath);
  console.log(dim(`turn budget calibrated on ${history.length} recorded runs (${historyPath})`));
} else {
  console.log(dim(`no recorded runs at ${historyPath}: using a fixed budget of 40 turns`));
}
console.log(live === undefined ? 'model: scripted session' : `model: ${live.backend.modelId}`);

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('Interrupted with Ctrl-C.')));
const { result, workspace, verification } = await runCodingAgent({
  ...(live === undefined ? {} : { backend: live.backend, prices: live.prices }),
  ...(history === undefined ? {} : { history }),
  onEvent: print,
  signal: controller.signal,
});
console.log(result.output ?? result.message ?? '');
console.log(dim(`workspace: ${workspace}`));
console.log(
  `tests pass: ${verification.testsPass}; -$5.50 formatted: ${verification.negativeAmountsFormatted}; tested: ${verification.negativeAmountsTested}`,
);
process.exitCode =
  verification.testsPass &&
  verification.negativeAmountsFormatted &&
  verification.negativeAmountsTested
    ? 0
    : 1;
