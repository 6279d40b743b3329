/**
 * Per-turn time of the Reins loop (instant model and tool, so that what is timed is the loop's
 * own work) in three settings, interleaved round by round in one process:
 * - `off`: no tracing at all;
 * - `apiNoSdk`: `traceRun` and `traceTools` attached, `@opentelemetry/api` loaded, no SDK
 *   registered (what a library user who installs nothing else pays);
 * - `sdkInMemory`: the OpenTelemetry SDK as applications configure it for production, a batch
 *   span processor, exporting to an in-memory exporter (`tracingOverheadPercent`);
 * - `sdkSimpleInMemory`: the SDK with a simple span processor, which exports every span as it
 *   ends (the setting of tests and debugging; `simpleProcessorOverheadPercent`).
 * Prints one JSON object: medians per turn in microseconds, and the overheads in percent of `off`.
 */
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createAgent, defineTool, type ModelBackend, type ModelStreamPart } from '@reins/core';
import { z } from 'zod';
import { traceRun, traceTools } from '../src/index.js';

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

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: z.object({ text: z.string() }),
  execute: ({ text }) => text,
});
const tracedEcho = traceTools([echo]);

const exporter = new InMemorySpanExporter();
const batchProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 4096 })],
});
const simpleProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const tracers = {
  sdkInMemory: batchProvider.getTracer('@reins/otel-bench'),
  sdkSimpleInMemory: simpleProvider.getTracer('@reins/otel-bench'),
};

type Setting = 'off' | 'apiNoSdk' | 'sdkInMemory' | 'sdkSimpleInMemory';

/** One run's cost per turn, in microseconds: wall-clock time, and this process's CPU time. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs one agent run of `turns` turns; returns its cost per turn. */
async function timeRun(setting: Setting): Promise<Sample> {
  const backend = createInstantBackend();
  const agent = createAgent({ backend, tools: setting === 'off' ? [echo] : tracedEcho });
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const handle = agent.run('Echo until done.');
  if (setting === 'apiNoSdk') traceRun(handle);
  if (setting === 'sdkInMemory' || setting === 'sdkSimpleInMemory')
    traceRun(handle, {
      tracer: tracers[setting],
      model: { provider: 'instant', modelId: 'instant-1' },
    });
  const result = await handle.result;
  // The batch processor exports on its own timer: its export is part of the cost.
  if (setting === 'sdkInMemory') await batchProvider.forceFlush();
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

const settings: Setting[] = ['off', 'apiNoSdk', 'sdkInMemory', 'sdkSimpleInMemory'];
const samples: Record<Setting, Sample[]> = {
  off: [],
  apiNoSdk: [],
  sdkInMemory: [],
  sdkSimpleInMemory: [],
};
// Warm-up: one run of each, not counted.
for (const setting of settings) await timeRun(setting);
let spansPerRun = 0;
for (let round = 0; round < rounds; round += 1) {
  // Rotate the order so that no setting always runs first after a collection.
  for (let index = 0; index < settings.length; index += 1) {
    const setting = settings[(round + index) % settings.length] as Setting;
    samples[setting].push(await timeRun(setting));
    if (setting === 'sdkInMemory' || setting === 'sdkSimpleInMemory') {
      spansPerRun = exporter.getFinishedSpans().length;
      exporter.reset();
    }
  }
}
if (trace.getTracerProvider().getTracer('probe').startSpan('probe').isRecording())
  throw new Error('A global tracer provider is registered: the apiNoSdk setting would record.');

const round2 = (value: number) => Math.round(value * 100) / 100;
/**
 * Medians per setting of one measure, and each setting's overhead over `off` in percent: the
 * median over rounds of the ratio to the `off` run of the same round (paired, so that the load
 * other processes put on the machine, which drifts, weighs on both sides of each ratio).
 */
function summarise(measure: keyof Sample) {
  const medians = Object.fromEntries(
    settings.map((setting) => [setting, median(samples[setting].map((sample) => sample[measure]))]),
  ) as Record<Setting, number>;
  const percent = (setting: Setting) => {
    const ratios = samples[setting].map(
      (sample, round) => sample[measure] / (samples.off[round] as Sample)[measure],
    );
    return Math.round((median(ratios) - 1) * 1000) / 10;
  };
  return {
    microsecondsPerTurn: Object.fromEntries(
      settings.map((setting) => [setting, round2(medians[setting])]),
    ),
    apiNoSdkOverheadPercent: percent('apiNoSdk'),
    tracingOverheadPercent: percent('sdkInMemory'),
    simpleProcessorOverheadPercent: percent('sdkSimpleInMemory'),
  };
}
const cpu = summarise('cpu');
console.log(
  JSON.stringify({
    benchmark: '@reins/otel tracing overhead per turn (instant model and tool)',
    turnsPerRun: turns,
    rounds,
    spansPerRun,
    // CPU time of this process per turn: less disturbed than wall time by other processes.
    measure: 'cpu',
    ...cpu,
    wall: summarise('wall'),
    goalPercent: 10,
    goalMet: cpu.tracingOverheadPercent < 10,
  }),
);
