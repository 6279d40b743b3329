/**
 * Interrupt latency over 1,000 trials: from `handle.interrupt({ urgency: 'now' })` to
 * (a) the loopback server seeing the streaming connection closed, (b) a running tool's signal
 * firing, (c) the run settled in its next state (`interrupt.applied` at the next decision point).
 * Side by side, the same streaming call made from a LangGraph node whose run is aborted: how
 * long the node keeps working (the server keeps streaming to it) after `abort()`, and how long
 * a node that does pass LangGraph's signal to `fetch` takes to close. Prints p50/p99 and
 * ratios; the last line is one JSON object.
 */
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { createAgent, defineTool } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { createOpenAICompatible } from '@reins/openai';
import { createChatCompletionsServer } from '@reins/openai/testing';
import { z } from 'zod';
import { createController, createInterruptionPolicy } from '../src/index.js';

const trials = 1_000;
const langGraphTrials = 100;
/** The LangGraph stream: 48 chunks, 1 ms apart; the abort comes after the 4th. */
const streamChunks = 48;
const abortAfterChunks = 4;

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function summary(values: readonly number[]) {
  return { p50: round(quantile(values, 0.5)), p99: round(quantile(values, 0.99)) };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function print(label: string, values: readonly number[]): void {
  const { p50, p99 } = summary(values);
  process.stdout.write(
    `${label.padEnd(58)} p50 ${p50.toFixed(3).padStart(8)} ms  p99 ${p99.toFixed(3).padStart(8)} ms  (${values.length} trials)\n`,
  );
}

const server = await createChatCompletionsServer({
  // Every request streams a few chunks, then holds the connection open until the client leaves.
  fallback: () => ({
    text: 'Reading the pages one by one and writing down what I find',
    chunkSize: 4,
    fault: { type: 'stall', afterChunks: 3 },
  }),
});

/** (a) and (c): an urgent revision while the model streams from the loopback server. */
async function modelTrial(): Promise<{ closed: number; settled: number }> {
  const agent = createAgent({
    backend: createOpenAICompatible({ baseURL: server.baseURL, apiKey: 'bench', model: 'gpt-4o' }),
    controller: createController({ interruptions: createInterruptionPolicy(), hints: false }),
  });
  const before = server.requests.length;
  const handle = agent.run('Summarise the sales report.');
  await new Promise<void>((resolve) =>
    handle.on('model.delta', (event) => {
      if (event.part.type === 'text-delta') resolve();
    }),
  );
  const request = server.requests[before];
  if (request === undefined) throw new Error('The loopback server saw no request.');
  let closedAt = 0;
  const closed = request.outcome.then((outcome) => {
    closedAt = performance.now();
    if (outcome !== 'client-closed') throw new Error(`The stream ended as '${outcome}'.`);
  });
  let settledAt = 0;
  const settled = new Promise<void>((resolve) =>
    handle.once('interrupt.applied', () => {
      settledAt = performance.now();
      resolve();
    }),
  );
  const start = performance.now();
  handle.interrupt({ kind: 'revision', text: 'Only January.', urgency: 'now' });
  await Promise.all([closed, settled]);
  handle.abort('Trial over.');
  await handle.result;
  return { closed: closedAt - start, settled: settledAt - start };
}

/** (b): an urgent revision while a tool runs. */
async function toolTrial(): Promise<number> {
  let firedAt = 0;
  let fired: () => void = () => {};
  const whenFired = new Promise<void>((resolve) => {
    fired = resolve;
  });
  const crawl = defineTool({
    name: 'crawl',
    description: 'Crawls the shop.',
    input: z.object({}),
    execute: (_input, { signal }) =>
      new Promise<string>((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          firedAt = performance.now();
          fired();
          reject(signal.reason);
        }),
      ),
  });
  const backend = createScriptedBackend({
    responses: [{ toolCalls: [{ name: 'crawl', arguments: {} }] }, { text: 'done' }],
  });
  const handle = createAgent({
    backend,
    tools: [crawl],
    controller: createController({ interruptions: createInterruptionPolicy(), hints: false }),
  }).run('Crawl the shop.');
  await new Promise<void>((resolve) => handle.once('tool.start', () => setImmediate(resolve)));
  const start = performance.now();
  handle.interrupt({ kind: 'retraction', text: 'No crawling.', urgency: 'now' });
  await whenFired;
  await handle.result;
  return firedAt - start;
}

/** LangGraph: a node streams the same kind of call; the run is aborted mid-stream. */
async function langGraphTrial(passSignal: boolean): Promise<{ working: number; rejected: number }> {
  const State = Annotation.Root({
    text: Annotation<string>({ reducer: (_left, right) => right, default: () => '' }),
  });
  let chunks = 0;
  let reachedAbortPoint: () => void = () => {};
  const atAbortPoint = new Promise<void>((resolve) => {
    reachedAbortPoint = resolve;
  });
  let nodeEndedAt = 0;
  const graph = new StateGraph(State)
    .addNode('model', async (_state, config) => {
      let text = '';
      try {
        const response = await fetch(`${server.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
          body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [] }),
          ...(passSignal && config.signal !== undefined ? { signal: config.signal } : {}),
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          text += decoder.decode(value);
          chunks += 1;
          if (chunks === abortAfterChunks) reachedAbortPoint();
        }
      } catch {
        // Aborted by the signal (the cooperative node).
      }
      nodeEndedAt = performance.now();
      return { text };
    })
    .addEdge(START, 'model')
    .addEdge('model', END)
    .compile();
  server.enqueue({ text: 'x'.repeat(streamChunks * 4), chunkSize: 4, delayMs: 1 });
  const before = server.requests.length;
  const abort = new AbortController();
  let rejectedAt = 0;
  const run = graph.invoke({ text: '' }, { signal: abort.signal }).then(
    () => {
      throw new Error('The LangGraph run was not aborted.');
    },
    () => {
      rejectedAt = performance.now();
    },
  );
  await atAbortPoint;
  const request = server.requests[before];
  const start = performance.now();
  abort.abort(new Error('The user changed their mind.'));
  await run;
  let serverDoneAt = 0;
  await request?.outcome.then(() => {
    serverDoneAt = performance.now();
  });
  // The node's own end, when it outlives the server's (it reads what was already sent).
  while (nodeEndedAt === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  return { working: Math.max(serverDoneAt, nodeEndedAt) - start, rejected: rejectedAt - start };
}

// Warm up the HTTP client, the machine and LangGraph.
for (let index = 0; index < 100; index++) {
  await modelTrial();
  await toolTrial();
}
await langGraphTrial(false);
await langGraphTrial(true);

const closed: number[] = [];
const settled: number[] = [];
const toolSignal: number[] = [];
for (let index = 0; index < trials; index++) {
  const model = await modelTrial();
  closed.push(model.closed);
  settled.push(model.settled);
  toolSignal.push(await toolTrial());
}
const graphIgnoring: number[] = [];
const graphIgnoringRejected: number[] = [];
const graphCooperative: number[] = [];
for (let index = 0; index < langGraphTrials; index++) {
  const ignoring = await langGraphTrial(false);
  graphIgnoring.push(ignoring.working);
  graphIgnoringRejected.push(ignoring.rejected);
  graphCooperative.push((await langGraphTrial(true)).working);
}
await server.close();

print('Reins (a) interrupt() → server sees the stream closed', closed);
print('Reins (b) interrupt() → running tool signal fires', toolSignal);
print('Reins (c) interrupt() → run settled (interrupt.applied)', settled);
print('LangGraph abort() → run promise rejects', graphIgnoringRejected);
print('LangGraph abort() → node stops working (ignores signal)', graphIgnoring);
print('LangGraph abort() → node stops working (fetch gets signal)', graphCooperative);
const ratio = quantile(graphIgnoring, 0.5) / quantile(closed, 0.5);
process.stdout.write(
  `ratio LangGraph node working after abort / Reins server close (p50): ${ratio.toFixed(1)}×\n`,
);
const goalMs = 2;
process.stdout.write(
  `${JSON.stringify({
    benchmark: 'interrupt-latency',
    unit: 'ms',
    trials,
    reins: {
      serverClosed: summary(closed),
      toolSignal: summary(toolSignal),
      settled: summary(settled),
    },
    langGraph: {
      trials: langGraphTrials,
      remainingChunks: streamChunks - abortAfterChunks,
      chunkDelayMs: 1,
      runRejected: summary(graphIgnoringRejected),
      nodeWorkingIgnoringSignal: summary(graphIgnoring),
      nodeWorkingWithSignal: summary(graphCooperative),
    },
    ratioP50: round(ratio),
    goalP99Ms: goalMs,
    meetsGoal: quantile(closed, 0.99) < goalMs && quantile(toolSignal, 0.99) < goalMs,
  })}\n`,
);
