/**
 * Per-turn time of a LangChain `createAgent` agent with and without `reinsMiddleware` (every
 * budget and monitor on), on the same scripted run: a fake model that calls a real tool for
 * `turns` turns, then answers. Runs alternate between the two agents so that both see the same
 * machine load. A middleware with the same hooks and private state that decides nothing is
 * timed too, to separate LangChain's cost of running middleware from the controller's work.
 * Also counts LangGraph super-steps per turn with and without Reins (they must be equal).
 * Prints medians and the ratio; the last line is one JSON object.
 */
import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { getConfig } from '@langchain/langgraph';
import {
  createController,
  createCostBudget,
  createDeadlineBudget,
  createDriftMonitor,
  createFailurePredictor,
  createOverthinkingMonitor,
  createStuckMonitor,
  createTokenBudget,
  createTurnBudget,
} from '@reins/controller';
import { createAgent, createMiddleware, tool } from 'langchain';
import { z } from 'zod';
import { reinsMiddleware } from '../src/index.js';

const turns = 20;
const warmup = 5;
const samples = Number(process.env.BENCH_SAMPLES ?? 40);

const words = ['grep', 'sed', 'python', 'pytest', 'cat', 'models', 'fields', 'query', 'render'];
function text(seed: number, length: number): string {
  let value = seed * 2654435761;
  let out = '';
  while (out.length < length) {
    value = (value * 1103515245 + 12345) >>> 0;
    out += `${words[value % words.length]}_${value % 997} `;
  }
  return out.slice(0, length);
}
const commands = Array.from({ length: turns }, (_, index) => text(index + 1, 400));
const outputs = Array.from({ length: turns }, (_, index) => text(index + 1000, 2000));

const run = tool(async ({ command }: { command: string }) => outputs[command.length % turns], {
  name: 'run',
  description: 'Runs a shell command.',
  schema: z.object({ command: z.string() }),
});

function scriptedModel() {
  let model = fakeModel();
  for (const [index, command] of commands.entries()) {
    model = model.respond(
      new AIMessage({
        content: text(index + 5000, 300),
        tool_calls: [{ name: 'run', args: { command }, id: `call_${index}`, type: 'tool_call' }],
        usage_metadata: { input_tokens: 1000 + index * 600, output_tokens: 150, total_tokens: 0 },
      } as unknown as ConstructorParameters<typeof AIMessage>[0]),
    );
  }
  return model.respond(new AIMessage({ content: 'Done.' }));
}

function controller() {
  return createController({
    budget: [
      createTurnBudget({ mode: 'dynamic', initial: 1_000, extension: 10, extensionTool: {} }),
      createTokenBudget({ maxTokens: 1e12 }),
      createCostBudget({
        capUsd: 1e9,
        prices: { 'bench-1': { inputPerMillion: 1, outputPerMillion: 2 } },
        maxTokensPerCall: 4096,
      }),
      createDeadlineBudget({ deadlineMs: 1e15 }),
    ],
    monitors: [
      createStuckMonitor(),
      createDriftMonitor({ window: 50 }),
      createOverthinkingMonitor(),
      createFailurePredictor({
        threshold: 0.99,
        score: (features) => Math.min(0.5, features.actionSimilarity),
      }),
    ],
  });
}

/** A middleware with the same hooks and state as Reins that decides nothing: LangChain's own cost. */
const emptyHooks = () =>
  createMiddleware({
    name: 'EmptyHooks',
    stateSchema: z.object({ _empty: z.string().optional() }),
    wrapModelCall: (request, handler) => handler(request),
    wrapToolCall: (request, handler) => handler(request),
  });

/** Super-steps between consecutive model calls of one run, as LangGraph numbers them. */
async function superStepsPerTurn(withReins: boolean): Promise<number> {
  const steps: number[] = [];
  const stepSpy = createMiddleware({
    name: 'StepSpy',
    wrapModelCall: (request, handler) => {
      steps.push(getConfig().metadata?.langgraph_step as number);
      return handler(request);
    },
  });
  const middleware = withReins
    ? [reinsMiddleware(controller(), { model: { provider: 'bench', modelId: 'bench-1' } }), stepSpy]
    : [stepSpy];
  await createAgent({ model: scriptedModel(), tools: [run], middleware }).invoke(input, {
    recursionLimit: 1000,
  });
  const first = steps[0] ?? 0;
  const last = steps.at(-1) ?? 0;
  return (last - first) / Math.max(1, steps.length - 1);
}

const input = { messages: [{ role: 'user' as const, content: text(42, 1500) }] };

async function once(withReins: boolean | 'hooks'): Promise<number> {
  const middleware =
    withReins === 'hooks'
      ? [emptyHooks()]
      : withReins
        ? [reinsMiddleware(controller(), { model: { provider: 'bench', modelId: 'bench-1' } })]
        : [];
  const agent = createAgent({ model: scriptedModel(), tools: [run], middleware });
  const started = performance.now();
  const result = await agent.invoke(input, { recursionLimit: 1000 });
  const elapsed = performance.now() - started;
  if (result.messages.length !== 2 + 2 * turns) {
    throw new Error(`The run ended early: ${result.messages.length} messages.`);
  }
  return (elapsed * 1000) / (turns + 1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const without: number[] = [];
const withReins: number[] = [];
const hooks: number[] = [];
for (let index = 0; index < warmup + samples; index++) {
  // Alternate the order so that neither agent always runs on a warmer machine.
  const first = index % 2 === 0;
  const a = await once(!first);
  const b = await once(first);
  const c = await once('hooks');
  if (index < warmup) continue;
  hooks.push(c);
  without.push(first ? a : b);
  withReins.push(first ? b : a);
}

const stepsWithout = await superStepsPerTurn(false);
const stepsWith = await superStepsPerTurn(true);
const baseline = median(without);
const controlled = median(withReins);
const hooksOnly = median(hooks);
const ratio = controlled / baseline;
const ratioToHooks = controlled / hooksOnly;
const lines = [
  `createAgent, ${turns} tool turns + answer, ${samples} runs each (alternating)`,
  `  without middleware        median ${baseline.toFixed(1)} µs per turn`,
  `  with reinsMiddleware      median ${controlled.toFixed(1)} µs per turn`,
  `  same hooks, no decisions  median ${hooksOnly.toFixed(1)} µs per turn`,
  `  ratio with / without      ${ratio.toFixed(3)} (goal < 1.05: ${ratio < 1.05 ? 'met' : 'not met'})`,
  `  ratio with / same hooks   ${ratioToHooks.toFixed(3)} (what Reins' decisions add to LangChain's hook machinery)`,
  `  super-steps per turn      without ${stepsWithout}, with ${stepsWith}`,
];
console.log(lines.join('\n'));
console.log(
  JSON.stringify({
    benchmark: 'langchain-middleware',
    turnsPerRun: turns,
    samples,
    withoutMiddlewareUsPerTurn: Number(baseline.toFixed(1)),
    withMiddlewareUsPerTurn: Number(controlled.toFixed(1)),
    emptyHooksUsPerTurn: Number(hooksOnly.toFixed(1)),
    ratio: Number(ratio.toFixed(3)),
    ratioToEmptyHooks: Number(ratioToHooks.toFixed(3)),
    overheadPercent: Number(((ratio - 1) * 100).toFixed(1)),
    goalPercent: 5,
    goalMet: ratio < 1.05,
    superStepsPerTurn: { without: stepsWithout, with: stepsWith },
  }),
);
