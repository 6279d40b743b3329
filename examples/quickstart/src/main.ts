/**
 * The quickstart: a coding agent fixes a failing test in a temporary project under a
 * controller (a turn budget with reminders, the stuck-loop monitor, an interruption from the
 * user mid-run), printing each step and each of the controller's decisions as it goes. Runs on a live model when `REINS_MODEL` (with `OPENAI_BASE_URL` and/or
 * `OPENAI_API_KEY`, and optionally `REINS_FLAVOR`) is set, else on the built-in scripted model:
 * `npm run example quickstart`.
 */
import type { AgentEvent } from '@reins/core';
import { createOpenAICompatibleFromEnvironment } from '@reins/openai';
import { formatEvent } from './format-event.js';
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
  if (event.type === 'model.end' || event.type === 'tool.start' || event.type === 'run.end') {
    if (streaming) process.stdout.write('\n');
    streaming = false;
  }
  for (const line of formatEvent(event))
    console.log(event.type === 'turn.start' ? dim(line) : line);
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
