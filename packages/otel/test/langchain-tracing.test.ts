import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createController, createTurnBudget } from '@reins/controller';
import { reinsMiddleware } from '@reins/langchain';
import { createAgent, createMiddleware, tool } from 'langchain';
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

  it('ends the run span with an error when a tool throws and the invocation fails, every time, keeping no run open', async () => {
    const tracing = createLangChainTracing({ tracer });
    const middleware = reinsMiddleware(createController({}), { aroundCall: tracing.aroundCall });
    tracing.trace(middleware);
    const failing = tool(
      async (): Promise<string> => {
        throw new TypeError('disk unplugged');
      },
      { name: 'read_disk', description: 'Reads the disk.', schema: z.object({}) },
    );
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      exporter.reset();
      const agent = createAgent({
        model: fakeModel().respondWithTools([{ name: 'read_disk', args: {} }]),
        tools: [failing],
        middleware: [middleware],
      });
      // LangChain's default: a tool's error that passes through wrapToolCall middleware fails
      // the invocation.
      await expect(agent.invoke(ask('Read the disk.'))).rejects.toThrow('disk unplugged');
      expect(tracing.openRuns).toBe(0);
      const spans = exporter.getFinishedSpans();
      const run = spans.find((span) => span.name === 'invoke_agent reins') as ReadableSpan;
      expect(run.status).toEqual({ code: SpanStatusCode.ERROR, message: 'disk unplugged' });
      expect(run.attributes).toMatchObject({
        'reins.run.status': 'failed',
        'error.type': 'TypeError',
        'reins.run.turns': 1,
      });
      const turn = spans.find((span) => span.name === 'reins.turn 1') as ReadableSpan;
      expect(parentOf(turn)).toBe(run.spanContext().spanId);
      const call = spans.find((span) => span.name === 'execute_tool read_disk');
      expect(call?.status.code).toBe(SpanStatusCode.ERROR);
    }
  });

  it('keeps tracing a run whose tool error middleware outside Reins turned into an answer', async () => {
    exporter.reset();
    const tracing = createLangChainTracing({ tracer });
    const reins = reinsMiddleware(createController({}), { aroundCall: tracing.aroundCall });
    tracing.trace(reins);
    // Listed first, so it wraps Reins' hook: it sees the tool's error after Reins did.
    const forgiving = createMiddleware({
      name: 'Forgiving',
      wrapToolCall: async (request, handler) => {
        try {
          return await handler(request);
        } catch (error) {
          return new ToolMessage({
            content: `failed: ${(error as Error).message}`,
            tool_call_id: request.toolCall.id ?? '',
            status: 'error',
          });
        }
      },
    });
    const flaky = tool(
      async (): Promise<string> => {
        throw new Error('flaky');
      },
      { name: 'flaky', description: 'Fails.', schema: z.object({}) },
    );
    const agent = createAgent({
      model: fakeModel()
        .respondWithTools([{ name: 'flaky', args: {} }])
        .respond(new AIMessage('It failed; giving up.')),
      tools: [flaky],
      middleware: [forgiving, reins],
    });
    await agent.invoke(ask('Try it.'));
    expect(tracing.openRuns).toBe(0);
    const spans = exporter.getFinishedSpans();
    const runs = spans.filter((span) => span.name === 'invoke_agent reins');
    // The failed part, then the run going on in a span of its own, for the same conversation.
    expect(runs.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.UNSET,
    ]);
    expect(runs.map((span) => span.attributes['reins.run.status'])).toEqual(['failed', 'done']);
    expect(runs[1]?.attributes['reins.run.resumed']).toBe(true);
    expect(runs[1]?.attributes['gen_ai.conversation.id']).toBe(
      runs[0]?.attributes['gen_ai.conversation.id'],
    );
    expect(runs[1]?.links.map((link) => link.context.spanId)).toEqual([
      runs[0]?.spanContext().spanId,
    ]);
    const second = spans.find((span) => span.name === 'reins.turn 2') as ReadableSpan;
    expect(parentOf(second)).toBe(runs[1]?.spanContext().spanId);
  });

  it('keeps at most maxOpenRuns runs open, ending the oldest as unfinished', async () => {
    exporter.reset();
    const tracing = createLangChainTracing({ tracer, maxOpenRuns: 2 });
    const middleware = reinsMiddleware(createController({}), { aroundCall: tracing.aroundCall });
    tracing.trace(middleware);
    // A model's error fails the invocation, but it may be retried by middleware outside Reins
    // or cut short by an urgent interruption: the run stays open.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const agent = createAgent({
        model: fakeModel().alwaysThrow(new Error('rate limited')),
        tools: [],
        middleware: [middleware],
      });
      await expect(agent.invoke(ask(`Attempt ${attempt}.`))).rejects.toThrow('rate limited');
    }
    expect(tracing.openRuns).toBe(2);
    const ended = exporter.getFinishedSpans().filter((span) => span.name === 'invoke_agent reins');
    expect(ended.map((span) => span.attributes['reins.run.status'])).toEqual(['unfinished']);
    const chats = exporter.getFinishedSpans().filter((span) => span.name === 'chat');
    expect(chats.map((span) => span.status.code)).toEqual([
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
      SpanStatusCode.ERROR,
    ]);
  });

  it('rejects a bound of open runs that is not a positive whole number, naming it', () => {
    for (const maxOpenRuns of [0, -1, 1.5, Number.NaN])
      expect(() => createLangChainTracing({ tracer, maxOpenRuns })).toThrow(/maxOpenRuns is/);
  });
});
