import { context, trace, SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
const exporter = new InMemorySpanExporter();
const setups = {
  batch: new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] }),
  simple: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  none: new BasicTracerProvider({ spanProcessors: [] }),
};
const N = 20000;
for (const round of [0, 1, 2]) for (const [name, provider] of Object.entries(setups)) {
  const tracer = provider.getTracer('m');
  const root = tracer.startSpan('root');
  const ctx = trace.setSpan(context.active(), root);
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const s = tracer.startSpan('execute_tool echo', { kind: SpanKind.INTERNAL, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'echo', 'gen_ai.tool.call.id': 'call_' + i, 'gen_ai.tool.type': 'function' } }, ctx);
    s.setAttribute('reins.tool.status', 'ok');
    s.end();
  }
  const c = process.cpuUsage(t0);
  await provider.forceFlush(); exporter.reset();
  if (round === 2) console.log(name, ((c.user + c.system) / N).toFixed(2), 'us/span');
}
