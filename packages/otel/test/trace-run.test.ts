import {
  context,
  createContextKey,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createController, createKvCacheHintsPolicy, createTurnBudget } from '@reins/controller';
import { createAgent, defineTool, type RunHandle } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTracedAgent, traceRun } from '../src/index.js';
import { eventfulAgentOptions } from './traced-run.test-helpers.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});
afterEach(() => exporter.reset());

/** Interrupts the run urgently as soon as the `wait` command starts. */
function interruptOnWait(handle: RunHandle): void {
  handle.on('tool.start', (event) => {
    if (event.call.arguments.includes('wait'))
      handle.interrupt({ kind: 'addition', text: 'Also check the API docs.', urgency: 'now' });
  });
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const childrenOf = (spans: readonly ReadableSpan[], parent: ReadableSpan) =>
  spans.filter((span) => parentOf(span) === parent.spanContext().spanId);
const eventNamed = (span: ReadableSpan, name: string) =>
  span.events.filter((event) => event.name === name);

describe('traceRun', () => {
  it('records the span tree and attributes of a run with a failed tool, a hard interrupt, an extension and a stop', async () => {
    const options = eventfulAgentOptions();
    const handle = createAgent(options).run('Fix the failing test.');
    interruptOnWait(handle);
    const traced = traceRun(handle, {
      tracer,
      model: { provider: options.backend.provider, modelId: options.backend.modelId },
    });
    expect(traced.recording).toBe(true);
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'turn-budget', turns: 6 });
    const spans = exporter.getFinishedSpans();

    // One root: the run.
    const roots = spans.filter((span) => parentOf(span) === undefined);
    expect(roots.map((span) => span.name)).toEqual(['invoke_agent reins']);
    const run = roots[0] as ReadableSpan;
    expect(run.spanContext().traceId).toBe(traced.traceId);
    expect(run.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'reins',
      'gen_ai.conversation.id': handle.runId,
      'gen_ai.provider.name': 'scripted',
      'gen_ai.request.model': 'scripted-1',
      'reins.run.id': handle.runId,
      'reins.run.status': 'stopped',
      'reins.run.reason': 'turn-budget',
      'reins.run.turns': 6,
      'gen_ai.usage.input_tokens': 620,
      'gen_ai.usage.output_tokens': 58,
      'gen_ai.usage.cache_read.input_tokens': 300,
    });
    expect(spans.every((span) => span.spanContext().traceId === traced.traceId)).toBe(true);

    // Six turns under the run, each with one model call, and a tool call in turns 1–5.
    const turns = childrenOf(spans, run);
    expect(turns.map((span) => span.name)).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `reins.turn ${n}`),
    );
    const tree = turns.map((turn) => childrenOf(spans, turn).map((span) => span.name));
    expect(tree).toEqual([
      ['chat scripted-1', 'execute_tool run'],
      ['chat scripted-1', 'execute_tool run'],
      ['chat scripted-1', 'execute_tool run'],
      ['chat scripted-1', 'execute_tool run'],
      ['chat scripted-1', 'execute_tool run'],
      ['chat scripted-1'],
    ]);
    const [firstChat, firstTool] = childrenOf(spans, turns[0] as ReadableSpan);
    expect(firstChat?.kind).toBe(2); // SpanKind.CLIENT
    expect(firstChat?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'scripted',
      'gen_ai.request.model': 'scripted-1',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 10,
      'gen_ai.usage.cache_read.input_tokens': 60,
      'gen_ai.response.finish_reasons': ['tool-calls'],
    });
    const firstCall = result.messages.find((message) => message.role === 'assistant');
    expect(firstTool?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'run',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id':
        firstCall?.role === 'assistant' ? firstCall.toolCalls[0]?.id : 'missing',
      'reins.tool.provider_call_id': 'call_1_1',
      'reins.tool.status': 'ok',
    });
    expect(firstTool?.status.code).toBe(0); // UNSET

    // The failed tool (turn 2) is an error span naming the error's code.
    const failed = childrenOf(spans, turns[1] as ReadableSpan)[1] as ReadableSpan;
    expect(failed.status).toMatchObject({ code: 2 }); // ERROR
    expect(failed.status.message).toContain('no such file tests/test_api.py');
    expect(failed.attributes).toMatchObject({
      'error.type': 'tool-execution',
      'reins.tool.status': 'error',
    });

    // The hard interrupt (turn 3): received during the tool call, which was cancelled.
    const interruptedTurn = turns[2] as ReadableSpan;
    const cancelled = childrenOf(spans, interruptedTurn)[1] as ReadableSpan;
    expect(cancelled.attributes).toMatchObject({
      'reins.tool.status': 'cancelled',
      'reins.interrupted': true,
    });
    expect(cancelled.status.code).toBe(0);
    const received = eventNamed(interruptedTurn, 'reins.interrupt.received');
    expect(received).toHaveLength(1);
    expect(received[0]?.attributes).toMatchObject({
      'reins.interrupt.kind': 'addition',
      'reins.interrupt.urgency': 'now',
      'reins.turn': 3,
    });
    // Content stays out unless asked for.
    expect(received[0]?.attributes?.['reins.interrupt.text']).toBeUndefined();
    const applied = eventNamed(run, 'reins.interrupt.applied');
    expect(applied.map((event) => event.attributes?.['reins.directive'])).toEqual([['inject']]);

    // The extension, decided after turn 3, with the turn budget's evidence.
    const [grant] = eventNamed(run, 'reins.directive.grant-turns');
    expect(grant?.attributes).toMatchObject({
      'reins.source': 'turn-budget',
      'reins.grant.turns': 2,
      'reins.turn': 3,
      'reins.evidence.allowedTurns': 5,
      'reins.evidence.grantedNow': 2,
    });
    const [extended] = eventNamed(run, 'reins.budget.extended');
    expect(extended?.attributes).toMatchObject({
      'reins.policy': 'turn-budget',
      'reins.evidence.allowedTurns': 5,
    });
    expect(String(extended?.attributes?.['reins.message'])).toContain('additional 2 turns');

    // The stop after turn 5, its evidence, and the forced answer without tools in turn 6.
    const [stop] = eventNamed(run, 'reins.directive.stop');
    expect(stop?.attributes).toMatchObject({
      'reins.source': 'turn-budget',
      'reins.run.reason': 'turn-budget',
      'reins.stop.final_answer': 'force',
      'reins.turn': 5,
      'reins.evidence.turnsLeft': 0,
      'reins.evidence.allowedTurns': 5,
    });
    expect(eventNamed(run, 'reins.budget.exhausted')).toHaveLength(1);
    expect(eventNamed(run, 'reins.budget.reminder')).toHaveLength(3);
    const forced = childrenOf(spans, turns[5] as ReadableSpan)[0];
    expect(forced?.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 120,
    });
    // Every span started was ended, once: the exporter saw each exactly once.
    expect(new Set(spans.map((span) => span.spanContext().spanId)).size).toBe(spans.length);
    expect(spans).toHaveLength(1 + 6 + 6 + 5);
  });

  it('marks the model call an urgent interrupt left, and the turn it belonged to', async () => {
    const backend = createScriptedBackend({
      responses: [
        { text: 'I will start by reading every file in the repository.' },
        { text: 'Done.' },
      ],
      delayMs: 5,
      chunkSize: 4,
    });
    const handle = createAgent({ backend }).run('Summarise the repository.');
    traceRun(handle, { tracer, recordContent: true });
    handle.once('model.delta', () =>
      handle.interrupt({ kind: 'revision', text: 'Only the src folder.', urgency: 'now' }),
    );
    await handle.result;
    const spans = exporter.getFinishedSpans();
    const [firstChat] = spans.filter((span) => span.name === 'chat');
    expect(firstChat?.attributes).toMatchObject({
      'reins.interrupted': true,
      'gen_ai.response.finish_reasons': ['interrupted'],
    });
    const firstTurn = spans.find((span) => span.name === 'reins.turn 1') as ReadableSpan;
    expect(firstTurn.attributes['reins.interrupted']).toBe(true);
    const [received] = eventNamed(firstTurn, 'reins.interrupt.received');
    expect(received?.attributes).toMatchObject({
      'reins.interrupt.kind': 'revision',
      'reins.interrupt.text': 'Only the src folder.',
    });
    const run = spans.find((span) => span.name === 'invoke_agent reins') as ReadableSpan;
    expect(run.attributes['reins.run.task']).toBe('Summarise the repository.');
  });

  it('puts each KV-cache hint on its model call, as attributes and as an event', async () => {
    const options = eventfulAgentOptions();
    const handle = createAgent({
      ...options,
      controller: createController({
        budget: createTurnBudget({ mode: 'fixed', limit: 3 }),
        hints: createKvCacheHintsPolicy({ rule: 'continuum' }),
      }),
    }).run('Fix the failing test.');
    interruptOnWait(handle);
    traceRun(handle, { tracer });
    await handle.result;
    const chats = exporter.getFinishedSpans().filter((span) => span.name === 'chat');
    const first = chats[0] as ReadableSpan;
    expect(first.attributes).toMatchObject({ 'reins.hints.program_id': handle.runId });
    expect(typeof first.attributes['reins.hints.ttl_ms']).toBe('number');
    const [hints] = eventNamed(first, 'reins.hints');
    expect(hints?.attributes?.['reins.hints.ttl_ms']).toBe(first.attributes['reins.hints.ttl_ms']);
    // The policy's report of each choice, with its evidence, on the run or turn it was made in.
    const computed = exporter
      .getFinishedSpans()
      .flatMap((span) => eventNamed(span, 'reins.hints.computed'));
    expect(computed.length).toBeGreaterThan(0);
    expect(computed[0]?.attributes?.['reins.policy']).toBe('kv-cache-hints');
  });

  it('runs tool code inside its execute_tool span, and fails a traced tool as the original would', async () => {
    const seen: SpanContext[] = [];
    const requestKey = createContextKey('request');
    const requests: unknown[] = [];
    const whoAmI = defineTool({
      name: 'who_am_i',
      description: 'Reports the active span.',
      input: z.object({}),
      execute: () => {
        const span = trace.getActiveSpan();
        if (span === undefined) throw new Error('no active span in the tool');
        seen.push(span.spanContext());
        requests.push(context.active().getValue(requestKey));
        return 'ok';
      },
    });
    const backend = createScriptedBackend({
      responses: [
        {
          toolCalls: [
            { name: 'who_am_i', arguments: {} },
            { name: 'who_am_i', arguments: {} },
          ],
        },
        { text: 'Done.' },
      ],
    });
    const provider2 = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    trace.setGlobalTracerProvider(provider2);
    try {
      const agent = createTracedAgent({ backend, tools: [whoAmI] }, { agentName: 'inspector' });
      // Started in a request's context: the tools see it, with their span set in it.
      const request = ROOT_CONTEXT.setValue(requestKey, 'request-7');
      const result = await context.with(request, () => agent.run('Who are you?').result);
      expect(result.status).toBe('done');
      expect(requests).toEqual(['request-7', 'request-7']);
    } finally {
      trace.disable();
    }
    const toolSpans = exporter
      .getFinishedSpans()
      .filter((span) => span.name === 'execute_tool who_am_i');
    expect(toolSpans).toHaveLength(2);
    expect(seen.map((span) => span.spanId).sort()).toEqual(
      toolSpans.map((span) => span.spanContext().spanId).sort(),
    );
    const run = exporter.getFinishedSpans().find((span) => span.name === 'invoke_agent inspector');
    expect(run?.attributes['gen_ai.request.model']).toBe('scripted-1');

    // Untraced, the same wrapped tool runs with no span and no failure of its own.
    seen.length = 0;
    const untraced = await createAgent({
      backend: createScriptedBackend({
        responses: [{ toolCalls: [{ name: 'who_am_i', arguments: {} }] }, { text: 'Done.' }],
      }),
      tools: [whoAmI],
    }).run('Who are you?').result;
    const toolMessage = untraced.messages.find((message) => message.role === 'tool');
    expect(toolMessage).toMatchObject({ result: { status: 'error' } });
    expect(seen).toEqual([]);
  });

  it('records nothing and listens to nothing without an SDK', async () => {
    const options = eventfulAgentOptions();
    const handle = createAgent(options).run('Fix the failing test.');
    interruptOnWait(handle);
    const traced = traceRun(handle);
    expect(traced).toEqual({ recording: false });
    expect(handle.listenerCount('*')).toBe(0);
    await handle.result;
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
