import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import type { AgentEvent, AgentEventBase } from '@reins/core';
import {
  controllerEventData,
  directiveEvent,
  interruptAttributes,
  type SpanEventData,
} from './event-attributes.js';
import { genAiAttributes, genAiOperations, reinsAttributes } from './gen-ai-attributes.js';
import { openTelemetryApi } from './opentelemetry-api.js';
import { defaultTraceRunOptions, type TraceRunOptions } from './trace-run.js';

/** A call the LangChain middleware lets through (`ReinsCall` of `@reins/langchain`). */
export interface LangChainCall {
  readonly kind: 'model' | 'tool';
  readonly runId: string;
  readonly turn: number;
  readonly toolName?: string;
  readonly toolCallId?: string;
}

/** An event of the LangChain middleware (`ReinsEvent` of `@reins/langchain`). */
export type LangChainRunEvent =
  | AgentEvent
  | (AgentEventBase & {
      readonly type: 'run.stop';
      readonly status: string;
      readonly reason: string;
      readonly message: string;
      readonly source: string;
    });

/** What the middleware's `on('*', …)` looks like from here. */
export interface LangChainEventSource {
  on(type: '*', listener: (event: LangChainRunEvent) => void): () => void;
}

/** Options of {@link createLangChainTracing}. */
export type LangChainTracingOptions = Omit<TraceRunOptions, 'parentContext'>;

/** What {@link createLangChainTracing} returns. */
export interface LangChainTracing {
  /** Pass as `reinsMiddleware(controller, { aroundCall })`: runs each call in its span. */
  readonly aroundCall: <TResult>(
    call: LangChainCall,
    next: () => Promise<TResult>,
  ) => Promise<TResult>;
  /**
   * Listens to the middleware's events: runs, turns, decisions, interruptions, stops.
   * @returns a function that stops listening.
   */
  trace(middleware: LangChainEventSource): () => void;
}

interface TracedRun {
  readonly span: Span;
  readonly context: Context;
  turnSpan?: Span;
  turnContext?: Context;
}

/** Reads LangChain's `usage_metadata` and `tool_calls` from a model call's result, if there. */
function readAiMessage(result: unknown) {
  if (typeof result !== 'object' || result === null) return undefined;
  const message = result as {
    usage_metadata?: { input_tokens?: unknown; output_tokens?: unknown };
    tool_calls?: unknown;
    response_metadata?: { finish_reason?: unknown };
  };
  if (!('tool_calls' in message) && !('usage_metadata' in message)) return undefined;
  return message;
}

/**
 * Traces runs of a LangChain `createAgent` agent controlled by `reinsMiddleware`, with the
 * same spans as `traceRun` for the Reins loop: `invoke_agent` per run, `reins.turn` per turn,
 * `chat` per model call (with LangChain's `usage_metadata` as `gen_ai.usage.*`) and
 * `execute_tool` per tool call, every decision, controller event and interruption as a span
 * event with its evidence. Model and tool calls run inside their spans, so the model client's
 * and the tools' own instrumentation nest under them. A run's span ends with the run: when
 * the controller stops it (`run.stop`) or when the model answers without calling tools.
 *
 * @param options - tracer, agent name, model, whether to record content.
 * @returns `aroundCall` for the middleware's options, and `trace(middleware)`.
 * @example
 * ```ts
 * const tracing = createLangChainTracing({ agentName: 'support' });
 * const middleware = reinsMiddleware(controller, { aroundCall: tracing.aroundCall });
 * tracing.trace(middleware);
 * const agent = createAgent({ model, tools, middleware: [middleware] });
 * ```
 */
export function createLangChainTracing(options: LangChainTracingOptions = {}): LangChainTracing {
  const api = openTelemetryApi();
  const agentName = options.agentName ?? defaultTraceRunOptions.agentName;
  const recordContent = options.recordContent ?? defaultTraceRunOptions.recordContent;
  const runs = new Map<string, TracedRun>();
  const tracer = (): Tracer | undefined =>
    api === undefined
      ? undefined
      : (options.tracer ?? api.trace.getTracer(defaultTraceRunOptions.tracerName));

  const endRun = (runId: string, attributes: Attributes) => {
    const run = runs.get(runId);
    if (run === undefined) return;
    runs.delete(runId);
    run.turnSpan?.end();
    run.span.setAttributes(attributes);
    run.span.end();
  };

  const startRun = (event: LangChainRunEvent & { type: 'run.start' }) => {
    const active = tracer();
    if (api === undefined || active === undefined) return;
    const attributes: Attributes = {
      [genAiAttributes.operationName]: genAiOperations.invokeAgent,
      [genAiAttributes.agentName]: agentName,
      [genAiAttributes.conversationId]: event.runId,
      [reinsAttributes.runId]: event.runId,
      [reinsAttributes.runResumed]: event.resumed,
    };
    if (options.model !== undefined) {
      attributes[genAiAttributes.requestModel] = options.model.modelId;
      if (options.model.provider !== undefined)
        attributes[genAiAttributes.providerName] = options.model.provider;
    }
    if (recordContent) attributes['reins.run.task'] = event.task;
    const parent = api.context.active();
    const span = active.startSpan(
      `${genAiOperations.invokeAgent} ${agentName}`,
      { kind: api.SpanKind.INTERNAL, attributes },
      parent,
    );
    if (!span.isRecording()) {
      span.end();
      return;
    }
    runs.set(event.runId, { span, context: api.trace.setSpan(parent, span) });
  };

  const addEvent = (runId: string, { name, attributes }: SpanEventData) => {
    const run = runs.get(runId);
    (run?.turnSpan ?? run?.span)?.addEvent(name, attributes);
  };

  const listener = (event: LangChainRunEvent) => {
    switch (event.type) {
      case 'run.start':
        startRun(event);
        return;
      case 'turn.start': {
        const run = runs.get(event.runId);
        const active = tracer();
        if (run === undefined || api === undefined || active === undefined) return;
        run.turnSpan?.end();
        run.turnSpan = active.startSpan(
          `reins.turn ${event.turn}`,
          { kind: api.SpanKind.INTERNAL, attributes: { [reinsAttributes.turn]: event.turn } },
          run.context,
        );
        run.turnContext = api.trace.setSpan(run.context, run.turnSpan);
        return;
      }
      case 'directive.applied':
        addEvent(event.runId, directiveEvent(event.directive, event.turn));
        return;
      case 'interrupt.received':
      case 'interrupt.applied':
        addEvent(event.runId, {
          name: `reins.${event.type}`,
          attributes: {
            ...interruptAttributes(event.interrupt, recordContent),
            ...(event.type === 'interrupt.applied'
              ? { [reinsAttributes.directive]: event.directives.map((directive) => directive.type) }
              : {}),
          },
        });
        return;
      case 'run.stop':
        endRun(event.runId, {
          [reinsAttributes.runStatus]: event.status,
          [reinsAttributes.runReason]: event.reason,
          [reinsAttributes.runMessage]: event.message,
          [reinsAttributes.runTurns]: event.turn,
        });
        return;
      default:
        if ('controller' in event) addEvent(event.runId, controllerEventData(event));
    }
  };

  const aroundCall = async <TResult>(
    call: LangChainCall,
    next: () => Promise<TResult>,
  ): Promise<TResult> => {
    const run = runs.get(call.runId);
    const active = tracer();
    if (run === undefined || api === undefined || active === undefined) return next();
    const parent = run.turnContext ?? run.context;
    const model = call.kind === 'model';
    const attributes: Attributes = model
      ? { [genAiAttributes.operationName]: genAiOperations.chat }
      : {
          [genAiAttributes.operationName]: genAiOperations.executeTool,
          [genAiAttributes.toolName]: call.toolName ?? 'unknown',
          [genAiAttributes.toolType]: 'function',
          ...(call.toolCallId === undefined
            ? {}
            : { [genAiAttributes.toolCallId]: call.toolCallId }),
        };
    if (model && options.model !== undefined) {
      attributes[genAiAttributes.requestModel] = options.model.modelId;
      if (options.model.provider !== undefined)
        attributes[genAiAttributes.providerName] = options.model.provider;
    }
    const name = model
      ? options.model === undefined
        ? genAiOperations.chat
        : `${genAiOperations.chat} ${options.model.modelId}`
      : `${genAiOperations.executeTool} ${call.toolName ?? 'unknown'}`;
    const span = active.startSpan(
      name,
      { kind: model ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL, attributes },
      parent,
    );
    try {
      const result = await api.context.with(api.trace.setSpan(parent, span), next);
      const message = readAiMessage(result);
      if (model && message !== undefined) {
        const usage = message.usage_metadata;
        if (typeof usage?.input_tokens === 'number')
          span.setAttribute(genAiAttributes.usageInputTokens, usage.input_tokens);
        if (typeof usage?.output_tokens === 'number')
          span.setAttribute(genAiAttributes.usageOutputTokens, usage.output_tokens);
        const calls = Array.isArray(message.tool_calls) ? message.tool_calls.length : 0;
        span.setAttribute(genAiAttributes.responseFinishReasons, [
          calls > 0 ? 'tool-calls' : 'stop',
        ]);
        span.end();
        // An answer without tool calls ends the agent's loop, and so the run.
        if (calls === 0)
          endRun(call.runId, {
            [reinsAttributes.runStatus]: 'done',
            [reinsAttributes.runTurns]: call.turn,
          });
        return result;
      }
      const status = (result as { status?: unknown } | undefined)?.status;
      if (!model && status === 'error') {
        span.setAttribute(reinsAttributes.toolStatus, 'error');
        span.setStatus({
          code: api.SpanStatusCode.ERROR,
          message: 'The tool answered with an error.',
        });
      } else if (!model) span.setAttribute(reinsAttributes.toolStatus, 'ok');
      span.end();
      return result;
    } catch (error) {
      span.setAttribute(genAiAttributes.errorType, error instanceof Error ? error.name : 'error');
      if (!model) span.setAttribute(reinsAttributes.toolStatus, 'error');
      span.setStatus({
        code: api.SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      span.end();
      throw error;
    }
  };

  return {
    aroundCall,
    trace: (middleware) => middleware.on('*', listener),
  };
}
