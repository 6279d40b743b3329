/**
 * Per-turn time of a LangChain `createAgent` agent with and without `reinsMiddleware` (every
 * budget and monitor on), on the same scripted run: a fake model that calls a real tool for
 * `turns` turns, then answers. A middleware with the same hooks and private state that decides
 * nothing is timed too: LangChain's own cost of any such middleware, the strongest simple
 * alternative; and one with the same hooks and no state, which shows what LangChain charges for
 * the private state alone (a stateful `wrapModelCall` middleware has its state parsed by a
 * freshly built partial schema at every model call). The three agents run in rotating order so that all see the same machine load;
 * wall-clock and CPU time are both reported (CPU time is steadier on a shared machine).
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
import type { Controller, ControllerSession } from '@reins/core';
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

/** The same hooks without private state: what LangChain's cost of a middleware is without it. */
const statelessHooks = () =>
  createMiddleware({
    name: 'StatelessHooks',
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

type Variant = 'without' | 'reins' | 'empty' | 'stateless';

/** Milliseconds spent inside Reins' hooks, outside the handlers they call, in the current run. */
let ownOfRun = 0;
/** Of those, milliseconds spent in the controller's session (its budgets and monitors). */
let controllerOfRun = 0;

/** The controller with every session hook timed. */
function timedController(inner: Controller): Controller {
  return {
    name: inner.name,
    open(context) {
      const session = inner.open(context) as unknown as Record<string, unknown>;
      const timed: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(session)) {
        timed[key] =
          typeof value !== 'function'
            ? value
            : (...args: unknown[]) => {
                const since = performance.now();
                try {
                  return (value as (...args: unknown[]) => unknown).apply(session, args);
                } finally {
                  controllerOfRun += performance.now() - since;
                }
              };
      }
      return timed as unknown as ControllerSession;
    },
  };
}

/**
 * The middleware with its two hooks timed: from entering a hook to calling LangChain's handler,
 * and from the handler's answer to leaving the hook. That is Reins' own time, measured inside
 * the same runs as the per-turn figures, so it needs no difference between noisy medians.
 */
function timedOwnWork<M extends { wrapModelCall?: unknown; wrapToolCall?: unknown }>(
  middleware: M,
): M {
  type Hook = (
    request: unknown,
    handler: (request: unknown) => Promise<unknown>,
  ) => Promise<unknown>;
  const time =
    (hook: Hook): Hook =>
    async (request, handler) => {
      let since = performance.now();
      try {
        return await hook(request, async (inner) => {
          ownOfRun += performance.now() - since;
          try {
            return await handler(inner);
          } finally {
            since = performance.now();
          }
        });
      } finally {
        ownOfRun += performance.now() - since;
      }
    };
  return {
    ...middleware,
    wrapModelCall: time(middleware.wrapModelCall as Hook),
    wrapToolCall: time(middleware.wrapToolCall as Hook),
  };
}

/** One run: wall-clock and CPU microseconds per turn, and Reins' own microseconds per turn. */
async function once(
  variant: Variant,
): Promise<{ wall: number; cpu: number; own: number; controller: number }> {
  const middleware =
    variant === 'empty'
      ? [emptyHooks()]
      : variant === 'stateless'
        ? [statelessHooks()]
        : variant === 'reins'
          ? [
              timedOwnWork(
                reinsMiddleware(timedController(controller()), {
                  model: { provider: 'bench', modelId: 'bench-1' },
                }),
              ),
            ]
          : [];
  const agent = createAgent({ model: scriptedModel(), tools: [run], middleware });
  ownOfRun = 0;
  controllerOfRun = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await agent.invoke(input, { recursionLimit: 1000 });
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (result.messages.length !== 2 + 2 * turns) {
    throw new Error(`The run ended early: ${result.messages.length} messages.`);
  }
  return {
    wall: (elapsed * 1000) / (turns + 1),
    cpu: (cpu.user + cpu.system) / (turns + 1),
    own: (ownOfRun * 1000) / (turns + 1),
    controller: (controllerOfRun * 1000) / (turns + 1),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const variants: readonly Variant[] = ['without', 'reins', 'empty', 'stateless'];
const wall: Record<Variant, number[]> = { without: [], reins: [], empty: [], stateless: [] };
const cpu: Record<Variant, number[]> = { without: [], reins: [], empty: [], stateless: [] };
const own: number[] = [];
const controllerOwn: number[] = [];
for (let index = 0; index < warmup + samples; index++) {
  // Rotate the order so that no agent always runs first or on a warmer machine.
  for (let offset = 0; offset < variants.length; offset++) {
    const variant = variants[(index + offset) % variants.length] as Variant;
    const timing = await once(variant);
    if (index < warmup) continue;
    if (variant === 'reins') {
      own.push(timing.own);
      controllerOwn.push(timing.controller);
    }
    wall[variant].push(timing.wall);
    cpu[variant].push(timing.cpu);
  }
}

const stepsWithout = await superStepsPerTurn(false);
const stepsWith = await superStepsPerTurn(true);
const medians = (of: Record<Variant, number[]>) => ({
  without: median(of.without),
  reins: median(of.reins),
  empty: median(of.empty),
  stateless: median(of.stateless),
});
const wallMedians = medians(wall);
const cpuMedians = medians(cpu);
// The fastest run of each agent: the least disturbed by other work on a shared machine.
const fastestCpu = {
  without: Math.min(...cpu.without),
  reins: Math.min(...cpu.reins),
  empty: Math.min(...cpu.empty),
};
const percent = (ratio: number) => Number(((ratio - 1) * 100).toFixed(1));
const ratio = wallMedians.reins / wallMedians.without;
const ownMedian = median(own);
const controllerMedian = median(controllerOwn);
// Reins' own time in the same runs, against createAgent alone's per-turn time.
const ownRatio = ownMedian / wallMedians.without;
const ratioToEmpty = wallMedians.reins / wallMedians.empty;
const cpuRatio = cpuMedians.reins / cpuMedians.without;
const cpuRatioToEmpty = cpuMedians.reins / cpuMedians.empty;
// LangChain's own cost of a do-nothing middleware, with and without private state: the least
// that any middleware of Reins' shape (private state, both hooks) can add to createAgent.
const emptyRatio = wallMedians.empty / wallMedians.without;
const cpuEmptyRatio = cpuMedians.empty / cpuMedians.without;
const statelessRatio = wallMedians.stateless / wallMedians.without;
const cpuStatelessRatio = cpuMedians.stateless / cpuMedians.without;
const verdict = (value: number) => (value < 1.05 ? 'met' : 'not met');
const both = (wallRatio: number, cpuTimeRatio: number) =>
  wallRatio < 1.05 && cpuTimeRatio < 1.05 ? 'met' : 'not met';
const lines = [
  `createAgent, ${turns} tool turns + answer, ${samples} runs each (rotating order)`,
  '                             wall µs/turn   CPU µs/turn',
  `  without middleware        ${wallMedians.without.toFixed(1).padStart(12)}  ${cpuMedians.without.toFixed(1).padStart(12)}`,
  `  with reinsMiddleware      ${wallMedians.reins.toFixed(1).padStart(12)}  ${cpuMedians.reins.toFixed(1).padStart(12)}`,
  `  do-nothing middleware     ${wallMedians.empty.toFixed(1).padStart(12)}  ${cpuMedians.empty.toFixed(1).padStart(12)}`,
  `    the same, no state      ${wallMedians.stateless.toFixed(1).padStart(12)}  ${cpuMedians.stateless.toFixed(1).padStart(12)}`,
  `  Reins / createAgent alone ${ratio.toFixed(3).padStart(12)}  ${cpuRatio.toFixed(3).padStart(12)}   (goal < 1.05: wall ${verdict(ratio)}, CPU ${verdict(cpuRatio)}; both: ${both(ratio, cpuRatio)})`,
  `  Reins / do-nothing        ${ratioToEmpty.toFixed(3).padStart(12)}  ${cpuRatioToEmpty.toFixed(3).padStart(12)}   (what Reins' decisions add to LangChain's own cost of a middleware)`,
  `  do-nothing / alone        ${emptyRatio.toFixed(3).padStart(12)}  ${cpuEmptyRatio.toFixed(3).padStart(12)}   (LangChain's own cost of a middleware of Reins' shape)`,
  `  no state / alone          ${statelessRatio.toFixed(3).padStart(12)}  ${cpuStatelessRatio.toFixed(3).padStart(12)}   (the same hooks without private state)`,
  `  fastest run, CPU µs/turn  without ${fastestCpu.without.toFixed(1)}, Reins ${fastestCpu.reins.toFixed(1)}, do-nothing ${fastestCpu.empty.toFixed(1)} (Reins / alone ${(fastestCpu.reins / fastestCpu.without).toFixed(3)}, Reins / do-nothing ${(fastestCpu.reins / fastestCpu.empty).toFixed(3)})`,
  `  Reins' own time per turn  ${ownMedian.toFixed(1)} µs inside its hooks (${controllerMedian.toFixed(1)} µs of it in the controller), ${percent(1 + ownRatio)}% of createAgent alone's per-turn time`,
  `  super-steps per turn      without ${stepsWithout}, with ${stepsWith}`,
];
console.log(lines.join('\n'));
console.log(
  JSON.stringify({
    benchmark: 'langchain-middleware',
    turnsPerRun: turns,
    samples,
    withoutMiddlewareUsPerTurn: Number(wallMedians.without.toFixed(1)),
    withMiddlewareUsPerTurn: Number(wallMedians.reins.toFixed(1)),
    emptyHooksUsPerTurn: Number(wallMedians.empty.toFixed(1)),
    ratio: Number(ratio.toFixed(3)),
    ratioToEmptyHooks: Number(ratioToEmpty.toFixed(3)),
    overheadPercent: percent(ratio),
    overheadPercentVsEmptyMiddleware: percent(ratioToEmpty),
    cpuUsPerTurn: {
      without: Number(cpuMedians.without.toFixed(1)),
      with: Number(cpuMedians.reins.toFixed(1)),
      emptyHooks: Number(cpuMedians.empty.toFixed(1)),
      statelessHooks: Number(cpuMedians.stateless.toFixed(1)),
    },
    fastestCpuUsPerTurn: {
      without: Number(fastestCpu.without.toFixed(1)),
      with: Number(fastestCpu.reins.toFixed(1)),
      emptyHooks: Number(fastestCpu.empty.toFixed(1)),
    },
    cpuOverheadPercent: percent(cpuRatio),
    cpuOverheadPercentVsEmptyMiddleware: percent(cpuRatioToEmpty),
    // What LangChain alone charges for a do-nothing middleware of Reins' shape, and without state.
    emptyMiddlewareOverheadPercent: { wall: percent(emptyRatio), cpu: percent(cpuEmptyRatio) },
    statelessMiddlewareOverheadPercent: {
      wall: percent(statelessRatio),
      cpu: percent(cpuStatelessRatio),
    },
    goalPercent: 5,
    // Met only when both clocks agree: on a loaded machine either one alone can mislead.
    goalMet: ratio < 1.05 && cpuRatio < 1.05,
    goalMetVsEmptyMiddleware: ratioToEmpty < 1.05 && cpuRatioToEmpty < 1.05,
    // Measured inside the Reins runs themselves: no difference of two noisy medians.
    ownUsPerTurn: Number(ownMedian.toFixed(1)),
    controllerUsPerTurn: Number(controllerMedian.toFixed(1)),
    ownPercentOfCreateAgent: percent(1 + ownRatio),
    superStepsPerTurn: { without: stepsWithout, with: stepsWith },
  }),
);
