/**
 * The quickstart: a coding agent fixes a failing test in a temporary project, printing its
 * events as it goes. Runs on a live model when `REINS_MODEL` (with `OPENAI_BASE_URL` and/or
 * `OPENAI_API_KEY`, and optionally `REINS_FLAVOR`) is set, else on the built-in scripted model:
 * `pnpm example quickstart`.
 */
import type { AgentEvent } from '@reins/core';
import { createOpenAICompatibleFromEnvironment } from '@reins/openai';
import { runQuickstart } from './run-quickstart.js';

const dim = (text: string) => (process.stdout.isTTY ? `\x1b[2m${text}\x1b[0m` : text);
let streaming = false;

function print(event: AgentEvent): void {
  if (event.type === 'model.delta') {
    if (event.part.type === 'text-delta') {
      if (!streaming) process.stdout.write('  model: ');
      streaming = true;
      process.stdout.write(event.part.delta);
    }
    return;
  }
  if (streaming) process.stdout.write('\n');
  streaming = false;
  switch (event.type) {
    case 'run.start':
      console.log(`run ${event.runId}: ${event.task}`);
      break;
    case 'turn.start':
      console.log(dim(`turn ${event.turn}`));
      break;
    case 'tool.start':
      console.log(`  → ${event.call.name}(${event.call.arguments})`);
      break;
    case 'tool.end': {
      const text =
        event.result.status === 'ok' ? event.result.output : JSON.stringify(event.result);
      const firstLines = text.split('\n').slice(0, 3).join(' ⏎ ');
      console.log(dim(`  ← ${event.result.status} in ${event.durationMs} ms: ${firstLines}`));
      break;
    }
    case 'run.end':
      console.log(
        `run ${event.result.status} after ${event.result.turns} turns: ${event.result.output ?? event.result.message ?? ''}`,
      );
      break;
    default:
      break;
  }
}

const live = createOpenAICompatibleFromEnvironment();
console.log(
  live === undefined
    ? dim(
        'model: the built-in scripted model (set REINS_MODEL, OPENAI_BASE_URL, OPENAI_API_KEY for a live one)',
      )
    : dim(`model: ${live.modelId} (${live.flavor}) at ${live.url}`),
);
const { result, root } = await runQuickstart({
  onEvent: print,
  ...(live === undefined ? {} : { backend: live }),
});
console.log(dim(`project: ${root}`));
process.exitCode = result.status === 'done' ? 0 : 1;
