/**
 * A running agent interrupted from the terminal: `pnpm example interruptions`.
 *
 * In a terminal, type while the agent works (a leading `!` makes it urgent: the model request
 * or the running tool is aborted at once; without it, the update waits for the next turn):
 *
 *   a <text>   addition       r <text>   revision       x <text>   retraction of a requirement
 *   drop       drop the task  s [text]   stop           n          answer now
 *
 * When stdin is not a terminal (CI, a pipe), a scripted sequence of interrupts is played instead.
 */
import { createInterface } from 'node:readline';
import type { AgentEvent, RunHandle } from '@reins/core';
import { parseCommand } from './parse-command.js';
import { runScriptedInterrupts } from './scripted-interrupts.js';
import { createShopAgent } from './shop-agent.js';

const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
const dim = (text: string) => (tty ? `\x1b[2m${text}\x1b[0m` : text);
const bold = (text: string) => (tty ? `\x1b[1m${text}\x1b[0m` : text);
let streaming: 'text' | 'reasoning' | undefined;

function print(event: AgentEvent): void {
  if (event.type === 'model.delta') {
    const { part } = event;
    if (part.type !== 'text-delta' && part.type !== 'reasoning-delta') return;
    const kind = part.type === 'text-delta' ? 'text' : 'reasoning';
    if (streaming !== kind) {
      if (streaming !== undefined) process.stdout.write('\n');
      process.stdout.write(kind === 'text' ? '  model: ' : dim('  thinking: '));
      streaming = kind;
    }
    process.stdout.write(kind === 'text' ? part.delta : dim(part.delta));
    return;
  }
  if (streaming !== undefined) process.stdout.write('\n');
  streaming = undefined;
  switch (event.type) {
    case 'turn.start':
      console.log(dim(`turn ${event.turn}`));
      break;
    case 'tool.start':
      console.log(`  → ${event.call.name}(${event.call.arguments})`);
      break;
    case 'tool.end':
      console.log(
        dim(
          `  ← ${event.result.status}: ${event.result.status === 'ok' ? event.result.output : event.result.status === 'cancelled' ? event.result.reason : event.result.error.message}`,
        ),
      );
      break;
    case 'model.end':
      if (event.finishReason === 'interrupted') console.log(dim('  (model call cut short)'));
      break;
    case 'interrupt.received':
      console.log(
        bold(
          `  ⚡ ${event.interrupt.kind} (${event.interrupt.urgency}): ${event.interrupt.text || '—'}`,
        ),
      );
      break;
    case 'intent.updated':
      console.log(dim(`  intent: ${event.message}`));
      break;
    case 'budget.extended':
      console.log(dim(`  budget: ${event.message}`));
      break;
    case 'run.end':
      console.log(
        bold(
          `run ${event.result.status} after ${event.result.turns} turns: ${event.result.output ?? event.result.message ?? ''}`,
        ),
      );
      break;
    default:
      break;
  }
}

async function interactive(): Promise<void> {
  console.log(
    dim(
      'Type while it works: a|r|x <text> (addition, revision, retraction), drop, s [text] (stop), n (answer now); prefix ! for now.',
    ),
  );
  const handle: RunHandle = createShopAgent().run(
    'What are the top-5 best-selling products in Feb 2023 with at least 10 reviews?',
  );
  handle.on('*', print);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const input = parseCommand(line);
    if (input === undefined) {
      console.log(dim('  ? a|r|x <text>, drop, s [text], n — prefix ! for now'));
    } else if (handle.phase === 'running' || handle.phase === 'idle') {
      handle.interrupt(input);
    }
  });
  await handle.result;
  lines.close();
}

if (tty) {
  await interactive();
} else {
  console.log(dim('stdin is not a terminal: playing a scripted sequence of interrupts.'));
  await runScriptedInterrupts({
    toolMs: 150,
    chunkMs: 10,
    onStart: (run, handle) => {
      console.log(bold(`\n== ${run.title}\ntask: ${run.task}`));
      handle.on('*', print);
    },
  });
}
