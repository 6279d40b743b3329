import { type Context, context, type Span, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import type { AgentEvent, RunHandle } from '@reins/core';

/**
 * The strongest simple alternative to `traceRun` for the bench: a listener written by hand for
 * this one run shape, making the same four kinds of span (run, turn, `chat`, `execute_tool`)
 * with the GenAI attributes `traceRun` gives them in this run, and nothing else: no
 * decisions, interruptions or hints as events, no evidence, no tool code inside its span, no
 * cancelled or interrupted calls. What it costs is what the OpenTelemetry SDK costs for the
 * spans themselves.
 *
 * @param handle - the run.
 * @param tracer - the SDK's tracer.
 * @example
 * ```ts
 * traceByHand(agent.run('Echo until done.'), provider.getTracer('bench'));
 * ```
 */
export function traceByHand(handle: RunHandle, tracer: Tracer): void {
  const run = tracer.startSpan('invoke_agent reins', {
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'reins',
      'gen_ai.conversation.id': handle.runId,
      'reins.run.id': handle.runId,
      'gen_ai.request.model': 'instant-1',
      'gen_ai.provider.name': 'instant',
    },
  });
  const runContext = trace.setSpan(context.active(), run);
  let turn: Span | undefined;
  let turnContext: Context = runContext;
  let chat: Span | undefined;
  const tools = new Map<string, Span>();
  const listener = (event: AgentEvent) => {
    switch (event.type) {
      case 'turn.start':
        turn = tracer.startSpan(
          `reins.turn ${event.turn}`,
          { attributes: { 'reins.turn': event.turn } },
          runContext,
        );
        turnContext = trace.setSpan(runContext, turn);
        return;
      case 'model.start':
        chat = tracer.startSpan(
          'chat instant-1',
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'gen_ai.operation.name': 'chat',
              'gen_ai.request.model': 'instant-1',
              'gen_ai.provider.name': 'instant',
              'reins.model.message_count': event.messageCount,
            },
          },
          turnContext,
        );
        return;
      case 'model.end':
        chat?.setAttribute('gen_ai.usage.input_tokens', event.usage.inputTokens);
        chat?.setAttribute('gen_ai.usage.output_tokens', event.usage.outputTokens);
        chat?.setAttribute('gen_ai.response.finish_reasons', [event.finishReason]);
        chat?.end();
        return;
      case 'tool.start':
        tools.set(
          event.call.id,
          tracer.startSpan(
            `execute_tool ${event.call.name}`,
            {
              attributes: {
                'gen_ai.operation.name': 'execute_tool',
                'gen_ai.tool.name': event.call.name,
                'gen_ai.tool.call.id': event.call.id,
                'gen_ai.tool.type': 'function',
              },
            },
            turnContext,
          ),
        );
        return;
      case 'tool.end': {
        const span = tools.get(event.call.id);
        tools.delete(event.call.id);
        span?.setAttribute('reins.tool.status', event.result.status);
        span?.end();
        return;
      }
      case 'turn.end':
        turn?.setAttribute('gen_ai.usage.input_tokens', event.usage.inputTokens);
        turn?.setAttribute('gen_ai.usage.output_tokens', event.usage.outputTokens);
        turn?.end();
        return;
      case 'run.end':
        run.setAttribute('reins.run.status', event.result.status);
        run.setAttribute('reins.run.turns', event.result.turns);
        run.end();
        return;
    }
  };
  handle.on('*', listener);
}
