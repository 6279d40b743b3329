/**
 * Core benchmarks, in one process run:
 * 1. Per-turn orchestration overhead (instant model and tool) of the Reins loop, LangChain
 *    `createAgent` and LangGraph `createReactAgent`, interleaved round by round; medians and ratios.
 * 2. Heap growth over one 10,000-turn Reins run.
 * 3. 1,000 concurrent Reins runs in one process: time and memory.
 * The last line is one JSON object with every figure.
 *
 * Run with `pnpm --filter @reins/core bench` (node --expose-gc gives exact heap figures).
 */
import { tool } from '@langchain/core/tools';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { createAgent as createLangChainAgent, HumanMessage } from 'langchain';
import { z } from 'zod';
import { createAgent } from '../src/index.js';
import { runBareXStateLoop } from './bare-xstate-loop.js';
import { createInstantBackend, echoTool, InstantChatModel } from './instant-parts.js';

const turnsPerRun = 100;
const rounds = Number(process.env.REINS_BENCH_ROUNDS ?? 15);

const langchainEcho = tool(({ text }: { text: string }) => text, {
  name: 'echo',
  description: 'Echoes its text.',
  schema: z.object({ text: z.string() }),
});

async function timeReins(): Promise<number> {
  const agent = createAgent({ backend: createInstantBackend(turnsPerRun), tools: [echoTool] });
  const started = performance.now();
  const result = await agent.run('Echo until done.').result;
  const elapsed = performance.now() - started;
  if (result.status !== 'done' || result.turns !== turnsPerRun)
    throw new Error(`Reins run ended ${result.status} after ${result.turns} turns`);
  return elapsed / turnsPerRun;
}

/** A LangChain agent graph, as `createAgent` and `createReactAgent` both return one. */
interface MessagesGraph {
  invoke(
    input: { messages: HumanMessage[] },
    options: { recursionLimit: number },
  ): Promise<{ messages: unknown[] }>;
}

async function timeLangChainGraph(name: string, agent: MessagesGraph): Promise<number> {
  const started = performance.now();
  const state = await agent.invoke(
    { messages: [new HumanMessage('Echo until done.')] },
    { recursionLimit: turnsPerRun * 3 },
  );
  const elapsed = performance.now() - started;
  if (state.messages.length !== turnsPerRun * 2)
    throw new Error(`${name} produced ${state.messages.length} messages`);
  return elapsed / turnsPerRun;
}

const timeCreateAgent = () =>
  timeLangChainGraph(
    'createAgent',
    createLangChainAgent({ model: new InstantChatModel(turnsPerRun), tools: [langchainEcho] }),
  );

const timeLangGraph = () =>
  timeLangChainGraph(
    'LangGraph',
    createReactAgent({ llm: new InstantChatModel(turnsPerRun), tools: [langchainEcho] }),
  );

async function timeBareXState(): Promise<number> {
  const started = performance.now();
  await runBareXStateLoop(turnsPerRun);
  return (performance.now() - started) / turnsPerRun;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heapUsed = () => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

// 1. Per-turn overhead, interleaved.
const samples = {
  reins: [] as number[],
  createAgent: [] as number[],
  langGraph: [] as number[],
  bareXState: [] as number[],
};
for (let warmup = 0; warmup < 3; warmup++) {
  await timeReins();
  await timeCreateAgent();
  await timeLangGraph();
}
for (let round = 0; round < rounds; round++) {
  samples.reins.push(await timeReins());
  samples.createAgent.push(await timeCreateAgent());
  samples.langGraph.push(await timeLangGraph());
  samples.bareXState.push(await timeBareXState());
}
const perTurnMicroseconds = {
  reins: median(samples.reins) * 1000,
  createAgent: median(samples.createAgent) * 1000,
  langGraph: median(samples.langGraph) * 1000,
  bareXState: median(samples.bareXState) * 1000,
};
const overheadRatios = {
  createAgentOverReins: perTurnMicroseconds.createAgent / perTurnMicroseconds.reins,
  langGraphOverReins: perTurnMicroseconds.langGraph / perTurnMicroseconds.reins,
  reinsOverBareXState: perTurnMicroseconds.reins / perTurnMicroseconds.bareXState,
  createAgentOverBareXState: perTurnMicroseconds.createAgent / perTurnMicroseconds.bareXState,
};
console.log(
  `Per-turn orchestration overhead, median of ${rounds} rounds of ${turnsPerRun}-turn runs:`,
);
console.log(`  Reins                 ${perTurnMicroseconds.reins.toFixed(1)} µs/turn`);
console.log(
  `  LangChain createAgent ${perTurnMicroseconds.createAgent.toFixed(1)} µs/turn  (${overheadRatios.createAgentOverReins.toFixed(1)}× Reins)`,
);
console.log(
  `  LangGraph ReAct       ${perTurnMicroseconds.langGraph.toFixed(1)} µs/turn  (${overheadRatios.langGraphOverReins.toFixed(1)}× Reins)`,
);
console.log(
  `  bare XState loop      ${perTurnMicroseconds.bareXState.toFixed(1)} µs/turn  (the floor: three instant invoked actors per turn; Reins is ${overheadRatios.reinsOverBareXState.toFixed(1)}× it)`,
);

// 2. Heap growth over a 10,000-turn run.
const longTurns = 10_000;
const heapBefore = heapUsed();
const longAgent = createAgent({ backend: createInstantBackend(longTurns), tools: [echoTool] });
const longStarted = performance.now();
const longResult = await longAgent.run('Echo ten thousand times.').result;
const longMs = performance.now() - longStarted;
const heapAfter = heapUsed();
const historyBytes = Buffer.byteLength(JSON.stringify(longResult.messages));
const heapGrowthBytes = heapAfter - heapBefore;
console.log(
  `10,000-turn run: ${longMs.toFixed(0)} ms (${((longMs * 1000) / longTurns).toFixed(1)} µs/turn), heap +${(heapGrowthBytes / 1e6).toFixed(1)} MB retained with the result`,
);
console.log(
  `  = ${(heapGrowthBytes / longTurns).toFixed(0)} bytes per turn, for ${longResult.messages.length} history messages (${(historyBytes / 1e6).toFixed(1)} MB as JSON)`,
);

// 3. 1,000 concurrent runs.
const concurrentRuns = 1_000;
const concurrentTurns = 10;
const heapBeforeConcurrent = heapUsed();
let peakHeap = heapBeforeConcurrent;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 5);
const concurrentStarted = performance.now();
const results = await Promise.all(
  Array.from(
    { length: concurrentRuns },
    () =>
      createAgent({ backend: createInstantBackend(concurrentTurns), tools: [echoTool] }).run(
        'Echo.',
      ).result,
  ),
);
const concurrentMs = performance.now() - concurrentStarted;
clearInterval(sampler);
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const finished = results.filter((result) => result.status === 'done').length;
console.log(
  `${concurrentRuns} concurrent runs × ${concurrentTurns} turns: ${concurrentMs.toFixed(0)} ms, ${finished} done, peak heap +${((peakHeap - heapBeforeConcurrent) / 1e6).toFixed(1)} MB`,
);

console.log(
  JSON.stringify({
    benchmark: '@reins/core',
    turnsPerRun,
    rounds,
    perTurnMicroseconds,
    overheadRatios,
    goal: { createAgentOverReinsAtLeast: 15, met: overheadRatios.createAgentOverReins >= 15 },
    longRun: {
      turns: longTurns,
      ms: longMs,
      heapGrowthBytes,
      heapGrowthBytesPerTurn: heapGrowthBytes / longTurns,
      historyMessages: longResult.messages.length,
      historyJsonBytes: historyBytes,
    },
    concurrent: {
      runs: concurrentRuns,
      turnsPerRun: concurrentTurns,
      ms: concurrentMs,
      done: finished,
      peakHeapGrowthBytes: peakHeap - heapBeforeConcurrent,
    },
  }),
);
