import { AIMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createController, createTurnBudget } from '@reins/controller';
import { reinsMiddleware } from '@reins/langchain';
import { createAgent, tool } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLangChainTracing } from '../src/index.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
}).getTracer('test');
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('createLangChainTracing', () => {
  it('traces a LangChain agent under reinsMiddleware: run, turns, calls in their spans, and the stop', async () => {
    exporter.reset();
    const activeInTool: (string | undefined)[] = [];
    const lookup = tool(
      async ({ id }: { id: number }) => {
        activeInTool.push(trace.getActiveSpan()?.spanContext().spanId);
        return `order ${id}: shipped`;
      },
      { name: 'lookup', description: 'Looks an order up.', schema: z.object({ id: z.number() }) },
    );
    const model = fakeModel()
      .respondWithTools([{ name: 'lookup', args: { id: 1 } }])
      .respondWithTools([{ name: 'lookup', args: { id: 2 } }])
      .respondWithTools([{ name: 'lookup', args: { id: 3 } }])
      .respond(new AIMessage('Order 1 shipped.'));
    const tracing = createLangChainTracing({
      tracer,
      agentName: 'support',
      model: { provider: 'fake', modelId: 'fake-1' },
    });
    const middleware = reinsMiddleware(
      createController({ budget: createTurnBudget({ mode: 'fixed', limit: 2 }) }),
      { aroundCall: tracing.aroundCall, finalAnswer: 'none' },
    );
    tracing.trace(middleware);
    const agent = createAgent({ model, tools: [lookup], middleware: [middleware] });
    await agent.invoke(ask('Where are my orders?'));

    const spans = exporter.getFinishedSpans();
    const run = spans.find((span) => span.name === 'invoke_agent support') as ReadableSpan;
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': 'fake-1',
      'reins.run.status': 'stopped',
      'reins.run.reason': 'turn-budget',
    });
    const turns = spans.filter((span) => parentOf(span) === run.spanContext().spanId);
    expect(turns.map((span) => span.name)).toEqual(['reins.turn 1', 'reins.turn 2']);
    const children = (parent: ReadableSpan) =>
      spans
        .filter((span) => parentOf(span) === parent.spanContext().spanId)
        .map((span) => span.name);
    expect(turns.map(children)).toEqual([
      ['chat fake-1', 'execute_tool lookup'],
      ['chat fake-1', 'execute_tool lookup'],
    ]);
    const tools = spans.filter((span) => span.name === 'execute_tool lookup');
    // The tools ran inside their execute_tool spans.
    expect(activeInTool).toEqual(tools.map((span) => span.spanContext().spanId));
    expect(tools[0]?.attributes).toMatchObject({
      'gen_ai.tool.name': 'lookup',
      'reins.tool.status': 'ok',
    });
    expect(tools[0]?.attributes['gen_ai.tool.call.id']).toBeTypeOf('string');
    // The stop after turn 2, with the budget's evidence, on the turn it followed (a LangChain
    // turn has no end of its own before the next decision).
    const stop = turns[1]?.events.find((event) => event.name === 'reins.directive.stop');
    expect(stop?.attributes).toMatchObject({
      'reins.source': 'turn-budget',
      'reins.evidence.turnsLeft': 0,
    });
  });

  it('ends the run when the model answers without tools, and calls through without a run', async () => {
    exporter.reset();
    const model = fakeModel().respond(new AIMessage('Hello.'));
    const tracing = createLangChainTracing({ tracer });
    const middleware = reinsMiddleware(createController({}), { aroundCall: tracing.aroundCall });
    const stop = tracing.trace(middleware);
    await createAgent({ model, tools: [], middleware: [middleware] }).invoke(ask('Hi.'));
    const run = exporter.getFinishedSpans().find((span) => span.name === 'invoke_agent reins');
    expect(run?.attributes).toMatchObject({ 'reins.run.status': 'done', 'reins.run.turns': 1 });
    stop();
    // Not listening any more: calls run as they are, no span.
    exporter.reset();
    await createAgent({
      model: fakeModel().respond(new AIMessage('Hello again.')),
      tools: [],
      middleware: [reinsMiddleware(createController({}), { aroundCall: tracing.aroundCall })],
    }).invoke(ask('Hi.'));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
