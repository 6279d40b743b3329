/**
 * Per-turn time of the Reins loop with an instant tool, in the settings below, interleaved round
 * by round in one process, twice: with an instant model in process (what is timed is the loop's
 * own work), and with `@reins/openai` calling a chat-completions server on loopback that answers
 * at once (`loopback`: the cheapest turn a loop that calls a real model server can have). The
 * settings:
 * - `off`: no tracing, no OpenTelemetry context manager enabled;
 * - `contextManagerOnly`: no tracing, but the `AsyncLocalStorageContextManager` that Node
 *   applications register with the SDK (NodeSDK, `NodeTracerProvider.register()`) is enabled:
 *   what the application's OpenTelemetry setup alone costs the loop (`contextManagerOverheadPercent`);
 * - `apiNoSdk`: `traceRun` and `traceTools` attached, `@opentelemetry/api` loaded, no SDK
 *   registered (what a library user who installs nothing else pays);
 * - `sdkInMemory`: the OpenTelemetry SDK as applications configure it for production: that
 *   context manager, and a batch span processor with its default settings (queue of 2048,
 *   export every 512 spans or 5 s) exporting to an in-memory exporter, so that no network or
 *   serialisation cost is counted (`tracingOverheadPercent`, over `off`: everything tracing
 *   adds; `tracingOverContextManagerPercent`, over `contextManagerOnly`: what Reins' spans add
 *   to an application that already runs the SDK);
 * - `sdkWithoutToolContext`: the same, with `traceRun` alone (tools not wrapped by
 *   `traceTools`): the same spans, but tool code does not run with its span active; the
 *   difference to `sdkInMemory` is what entering a context per tool call costs
 *   (`toolContextOverheadPercent`: an AsyncLocalStorage `run` per call on Node 20);
 * - `sdkHandWritten`: the same SDK setup, with the strongest simple alternative to `traceRun`
 *   in place of it: a listener written by hand for this run's shape that makes the same spans
 *   with their GenAI attributes and nothing more (`handWrittenOverheadPercent`: what the SDK
 *   costs for the spans themselves);
 * - `sdkSimpleInMemory`: the SDK setup with a simple span processor, which exports every span
 *   as it ends (the setting of tests and debugging; `simpleProcessorOverheadPercent`).
 * Prints one JSON object: medians per turn in microseconds, and the overheads in percent, for
 * the instant model at the top level and for the loopback one under `loopback`
 * (`REINS_BENCH_MODELS=instant` or `loopback` times one).
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createAgent, defineTool, type ModelBackend, type ModelStreamPart } from '@reins/core';
import { createOpenAICompatible } from '@reins/openai';
import { z } from 'zod';
import { traceRun, traceTools } from '../src/index.js';
import { traceByHand } from './hand-written-spans.js';

const turns = Number(process.env.REINS_BENCH_TURNS ?? 200);
const rounds = Number(process.env.REINS_BENCH_ROUNDS ?? 41);

/** A backend that calls `echo` for `turns - 1` turns, then answers, at once. */
function createInstantBackend(): ModelBackend {
  let calls = 0;
  return {
    specificationVersion: 'v1',
    provider: 'instant',
    modelId: 'instant-1',
    capabilities: { toolCalls: true, reasoning: false, logprobs: false },
    async *stream(): AsyncGenerator<ModelStreamPart> {
      calls += 1;
      if (calls < turns) {
        yield { type: 'tool-call', id: `call_${calls}`, name: 'echo', arguments: '{"text":"hi"}' };
        yield { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } };
        yield { type: 'finish', reason: 'tool-calls' };
      } else {
        yield { type: 'text-delta', delta: 'done' };
        yield { type: 'finish', reason: 'stop' };
      }
    },
  };
}

/**
 * The models the loop is timed with: `instant` (in process, no I/O: the loop's own work is all
 * there is) and `loopback` (`@reins/openai` against a chat-completions server in a child process
 * that answers at once: the turn holds what the fastest real model call costs the client, the
 * request, its JSON and the streamed reply).
 */
type ModelName = 'instant' | 'loopback';
const models = (process.env.REINS_BENCH_MODELS ?? 'instant,loopback').split(',') as ModelName[];
const serverProcess = models.includes('loopback')
  ? spawn(
      process.execPath,
      [fileURLToPath(new URL('instant-model-server.mjs', import.meta.url)), String(turns)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
  : undefined;
// The server goes when the runs are done, and with this process if a run fails.
process.on('exit', () => serverProcess?.kill());
const serverPort =
  serverProcess === undefined
    ? 0
    : Number((await once(serverProcess.stdout as NodeJS.ReadableStream, 'data'))[0].toString());

function createBackend(model: ModelName): ModelBackend {
  return model === 'loopback'
    ? createOpenAICompatible({
        model: 'instant-1',
        baseURL: `http://127.0.0.1:${serverPort}/v1`,
        apiKey: 'local',
      })
    : createInstantBackend();
}

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});
const tracedEcho = traceTools([echo]);

const exporter = new InMemorySpanExporter();
const batchProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(exporter)],
});
const simpleProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const tracers = {
  sdkInMemory: batchProvider.getTracer('@reins/otel-bench'),
  sdkSimpleInMemory: simpleProvider.getTracer('@reins/otel-bench'),
  sdkHandWritten: batchProvider.getTracer('@reins/otel-bench'),
  sdkWithoutToolContext: batchProvider.getTracer('@reins/otel-bench'),
};
const contextManager = new AsyncLocalStorageContextManager();
context.setGlobalContextManager(contextManager);
const requestKey = Symbol('request');

type Setting =
  | 'off'
  | 'contextManagerOnly'
  | 'apiNoSdk'
  | 'sdkInMemory'
  | 'sdkWithoutToolContext'
  | 'sdkHandWritten'
  | 'sdkSimpleInMemory';
const withContextManager = new Set<Setting>([
  'contextManagerOnly',
  'sdkInMemory',
  'sdkWithoutToolContext',
  'sdkHandWritten',
  'sdkSimpleInMemory',
]);
const batched = new Set<Setting>(['sdkInMemory', 'sdkWithoutToolContext', 'sdkHandWritten']);

/** One run's cost per turn, in microseconds: wall-clock time, and this process's CPU time. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs one agent run of `turns` turns; returns its cost per turn. */
async function timeRun(model: ModelName, setting: Setting): Promise<Sample> {
  // Without the context manager, its AsyncLocalStorage is off (no async hook on promises);
  // with it, the run starts inside a context, as in a request handler of a traced server.
  if (!withContextManager.has(setting)) contextManager.disable();
  const parent = ROOT_CONTEXT.setValue(requestKey, setting);
  const backend = createBackend(model);
  const toolsInTheirSpans =
    setting === 'apiNoSdk' || setting === 'sdkInMemory' || setting === 'sdkSimpleInMemory';
  const agent = createAgent({ backend, tools: toolsInTheirSpans ? tracedEcho : [echo] });
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const run = () => {
    const handle = agent.run('Echo until done.');
    if (setting === 'apiNoSdk') traceRun(handle);
    if (setting === 'sdkHandWritten') traceByHand(handle, tracers.sdkHandWritten);
    if (
      setting === 'sdkInMemory' ||
      setting === 'sdkWithoutToolContext' ||
      setting === 'sdkSimpleInMemory'
    )
      traceRun(handle, {
        tracer: tracers[setting],
        model: { provider: backend.provider, modelId: backend.modelId },
      });
    return handle.result;
  };
  // Entering a context turns the AsyncLocalStorage on again: only settings with it do.
  const result = await (withContextManager.has(setting) ? context.with(parent, run) : run());
  // The batch processor exports on its own schedule: its export is part of the cost.
  if (batched.has(setting)) await batchProvider.forceFlush();
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  if (result.turns !== turns) throw new Error(`expected ${turns} turns, ran ${result.turns}`);
  return { wall: (elapsed * 1000) / turns, cpu: (cpu.user + cpu.system) / turns };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const settings: Setting[] = [
  'off',
  'contextManagerOnly',
  'apiNoSdk',
  'sdkInMemory',
  'sdkWithoutToolContext',
  'sdkHandWritten',
  'sdkSimpleInMemory',
];
if (trace.getTracerProvider().getTracer('probe').startSpan('probe').isRecording())
  throw new Error('A global tracer provider is registered: the apiNoSdk setting would record.');

const round2 = (value: number) => Math.round(value * 100) / 100;
/**
 * Medians per setting of one measure, and each setting's overhead over `off` in percent: the
 * median over rounds of the ratio to the `off` run of the same round (paired, so that the load
 * other processes put on the machine, which drifts, weighs on both sides of each ratio).
 */
function summarise(samples: Record<Setting, Sample[]>, measure: keyof Sample) {
  const medians = Object.fromEntries(
    settings.map((setting) => [setting, median(samples[setting].map((sample) => sample[measure]))]),
  ) as Record<Setting, number>;
  const percent = (setting: Setting, over: Setting = 'off') => {
    const ratios = samples[setting].map(
      (sample, round) => sample[measure] / (samples[over][round] as Sample)[measure],
    );
    return Math.round((median(ratios) - 1) * 1000) / 10;
  };
  /** The spread of a setting's per-round ratio to `off`: its quartiles, in percent. */
  const quartiles = (setting: Setting) => {
    const ratios = samples[setting]
      .map((sample, round) => sample[measure] / (samples.off[round] as Sample)[measure])
      .sort((a, b) => a - b);
    const at = (q: number) => ratios[Math.floor(q * (ratios.length - 1))] as number;
    return [Math.round((at(0.25) - 1) * 1000) / 10, Math.round((at(0.75) - 1) * 1000) / 10];
  };
  return {
    microsecondsPerTurn: Object.fromEntries(
      settings.map((setting) => [setting, round2(medians[setting])]),
    ),
    apiNoSdkOverheadPercent: percent('apiNoSdk'),
    contextManagerOverheadPercent: percent('contextManagerOnly'),
    tracingOverheadPercent: percent('sdkInMemory'),
    tracingOverheadQuartilesPercent: quartiles('sdkInMemory'),
    tracingOverContextManagerPercent: percent('sdkInMemory', 'contextManagerOnly'),
    toolContextOverheadPercent: percent('sdkInMemory', 'sdkWithoutToolContext'),
    withoutToolContextOverheadPercent: percent('sdkWithoutToolContext'),
    handWrittenOverheadPercent: percent('sdkHandWritten'),
    tracingOverHandWrittenPercent: percent('sdkInMemory', 'sdkHandWritten'),
    simpleProcessorOverheadPercent: percent('sdkSimpleInMemory'),
  };
}
/** Times every setting with one model, interleaved round by round; its summary. */
async function measure(model: ModelName) {
  const samples: Record<Setting, Sample[]> = {
    off: [],
    contextManagerOnly: [],
    apiNoSdk: [],
    sdkInMemory: [],
    sdkWithoutToolContext: [],
    sdkHandWritten: [],
    sdkSimpleInMemory: [],
  };
  // Warm-up: one run of each, not counted.
  for (const setting of settings) await timeRun(model, setting);
  /** Spans each traced setting's last run exported: the same tree for every SDK setting. */
  const spansPerRun: Partial<Record<Setting, number>> = {};
  for (let round = 0; round < rounds; round += 1) {
    // Rotate the order so that no setting always runs first after a collection.
    for (let index = 0; index < settings.length; index += 1) {
      const setting = settings[(round + index) % settings.length] as Setting;
      samples[setting].push(await timeRun(model, setting));
      if (withContextManager.has(setting) && setting !== 'contextManagerOnly') {
        spansPerRun[setting] = exporter.getFinishedSpans().length;
        exporter.reset();
      }
    }
  }
  const cpu = summarise(samples, 'cpu');
  return {
    turnsPerRun: turns,
    rounds,
    spansPerRun,
    // CPU time of this process per turn: less disturbed than wall time by other processes.
    measure: 'cpu',
    ...cpu,
    wall: summarise(samples, 'wall'),
    goalMet: cpu.tracingOverheadPercent < 10,
  };
}

const results: Partial<Record<ModelName, Awaited<ReturnType<typeof measure>>>> = {};
for (const model of models) results[model] = await measure(model);
serverProcess?.kill();
console.log(
  JSON.stringify({
    benchmark: '@reins/otel tracing overhead per turn (instant tool; instant and loopback model)',
    goalPercent: 10,
    ...results.instant,
    ...(results.loopback === undefined ? {} : { loopback: results.loopback }),
  }),
);
