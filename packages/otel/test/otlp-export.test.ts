import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createAgent } from '@reins/core';
import { afterEach, describe, expect, it } from 'vitest';
import { traceRun } from '../src/index.js';
import { eventfulAgentOptions } from './traced-run.test-helpers.js';

/** An OTLP/JSON attribute value, as the exporter encodes it. */
interface OtlpValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly boolValue?: boolean;
  readonly arrayValue?: { readonly values?: readonly OtlpValue[] };
}
interface OtlpKeyValue {
  readonly key: string;
  readonly value: OtlpValue;
}
interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: readonly OtlpKeyValue[];
  readonly events?: readonly {
    readonly name: string;
    readonly attributes?: readonly OtlpKeyValue[];
  }[];
  readonly status?: { readonly code?: number; readonly message?: string };
}
interface OtlpRequest {
  readonly resourceSpans: readonly {
    readonly scopeSpans: readonly {
      readonly scope: { readonly name: string };
      readonly spans: readonly OtlpSpan[];
    }[];
  }[];
}

/** Decodes one OTLP/JSON value to a plain value. */
function decodeValue(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeValue);
  return undefined;
}
const decodeAttributes = (attributes: readonly OtlpKeyValue[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, decodeValue(value)]));

/** A trace receiver on loopback: it keeps every OTLP/HTTP request's path, content type and body. */
async function startReceiver() {
  const requests: { path: string; contentType: string; body: OtlpRequest }[] = [];
  const read = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server = createServer((request, response) => {
    void read(request).then((text) => {
      requests.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        body: JSON.parse(text) as OtlpRequest,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('OTLP over HTTP', () => {
  it('delivers the run, its turns, calls and decisions to a receiver, which decodes them', async () => {
    const receiver = await startReceiver();
    const provider = new BasicTracerProvider({
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: receiver.url }))],
    });
    cleanup = async () => {
      await provider.shutdown();
      await receiver.close();
    };
    const options = eventfulAgentOptions();
    const handle = createAgent(options).run('Fix the failing test.');
    handle.on('tool.start', (event) => {
      if (event.call.arguments.includes('wait'))
        handle.interrupt({ kind: 'stop', text: 'Stop, I will do it myself.', urgency: 'now' });
    });
    const traced = traceRun(handle, {
      tracer: provider.getTracer('@reins/otel'),
      model: { provider: 'scripted', modelId: 'scripted-1' },
    });
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'user-stop' });
    await provider.forceFlush();

    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((request) => request.path === '/v1/traces')).toBe(true);
    expect(receiver.requests[0]?.contentType).toContain('application/json');
    const spans = receiver.requests.flatMap((request) =>
      request.body.resourceSpans.flatMap((resource) =>
        resource.scopeSpans.flatMap((scope) => {
          expect(scope.scope.name).toBe('@reins/otel');
          return scope.spans;
        }),
      ),
    );
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([traced.traceId]));
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const pathOf = (span: OtlpSpan): string[] => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      return parent === undefined ? [span.name] : [...pathOf(parent), span.name];
    };
    expect(
      spans
        .map(pathOf)
        .map((path) => path.join(' > '))
        .sort(),
    ).toEqual(
      [
        'invoke_agent reins',
        'invoke_agent reins > reins.turn 1',
        'invoke_agent reins > reins.turn 1 > chat scripted-1',
        'invoke_agent reins > reins.turn 1 > execute_tool run',
        'invoke_agent reins > reins.turn 2',
        'invoke_agent reins > reins.turn 2 > chat scripted-1',
        'invoke_agent reins > reins.turn 2 > execute_tool run',
        'invoke_agent reins > reins.turn 3',
        'invoke_agent reins > reins.turn 3 > chat scripted-1',
        'invoke_agent reins > reins.turn 3 > execute_tool run',
      ].sort(),
    );
    const run = spans.find((span) => span.name === 'invoke_agent reins') as OtlpSpan;
    expect(decodeAttributes(run.attributes)).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': 'scripted-1',
      'reins.run.status': 'stopped',
      'reins.run.reason': 'user-stop',
      'reins.run.turns': 3,
      'gen_ai.usage.input_tokens': 300,
      'gen_ai.usage.output_tokens': 30,
    });
    const chat = spans.find((span) => span.name === 'chat scripted-1') as OtlpSpan;
    expect(chat.kind).toBe(3); // SPAN_KIND_CLIENT in OTLP
    expect(decodeAttributes(chat.attributes)).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.cache_read.input_tokens': 60,
      'gen_ai.response.finish_reasons': ['tool-calls'],
    });
    const tools = spans.filter((span) => span.name === 'execute_tool run');
    const failed = tools.find((span) => span.status?.code === 2) as OtlpSpan;
    expect(decodeAttributes(failed.attributes)).toMatchObject({
      'error.type': 'tool-execution',
      'gen_ai.tool.name': 'run',
    });
    expect(failed.status?.message).toContain('no such file');
    const cancelled = tools.find(
      (span) => decodeAttributes(span.attributes)['reins.tool.status'] === 'cancelled',
    );
    expect(cancelled).toBeDefined();
    const turn3 = spans.find((span) => span.name === 'reins.turn 3') as OtlpSpan;
    const received = turn3.events?.find((event) => event.name === 'reins.interrupt.received');
    expect(decodeAttributes(received?.attributes)).toMatchObject({
      'reins.interrupt.kind': 'stop',
      'reins.interrupt.urgency': 'now',
    });
    const stop = run.events?.find((event) => event.name === 'reins.directive.stop');
    expect(decodeAttributes(stop?.attributes)).toMatchObject({ 'reins.run.reason': 'user-stop' });
    const reminders = run.events?.filter((event) => event.name === 'reins.budget.reminder') ?? [];
    expect(
      reminders.map((event) => decodeAttributes(event.attributes)['reins.evidence.turnsLeft']),
    ).toEqual([2, 1]);
  });
});
