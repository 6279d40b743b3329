import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createAgent, defineTool, type ModelBackend, type ModelStreamPart } from '@reins/core';
import { z } from 'zod';
import { traceRun, traceTools } from '../src/index.js';
const turns = 200;
const mode = process.env.MODE ?? 'sdk';
function backend(): ModelBackend {
  let calls = 0;
  return { specificationVersion: 'v1', provider: 'instant', modelId: 'instant-1',
    capabilities: { toolCalls: true, reasoning: false, logprobs: false },
    async *stream(): AsyncGenerator<ModelStreamPart> {
      calls += 1;
      if (calls < turns) {
        yield { type: 'tool-call', id: `call_${calls}`, name: 'echo', arguments: '{"text":"hi"}' };
        yield { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } };
        yield { type: 'finish', reason: 'tool-calls' };
      } else { yield { type: 'text-delta', delta: 'done' }; yield { type: 'finish', reason: 'stop' }; }
    } };
}
const echo = defineTool({ name: 'echo', description: 'e', input: z.object({ text: z.string() }), execute: ({ text }) => text });
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 4096 })] });
const tracer = provider.getTracer('p');
if (process.env.ALS) { const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks"); const { context } = await import("@opentelemetry/api"); context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()); await context.with(context.active(), async () => {}); }
const t0 = process.cpuUsage();
for (let i = 0; i < Number(process.env.RUNS ?? 150); i++) {
  const agent = createAgent({ backend: backend(), tools: mode === 'off' ? [echo] : traceTools([echo]) });
  const h = agent.run('x');
  if (mode === 'sdk') traceRun(h, { tracer, model: { provider: 'instant', modelId: 'instant-1' } });
  await h.result;
  if (mode === 'sdk') { await provider.forceFlush(); exporter.reset(); }
}
const c = process.cpuUsage(t0);
console.log(mode, (c.user + c.system) / (150 * turns));
