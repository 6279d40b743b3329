import type { Attributes, Context, Link, Span, Tracer } from '@opentelemetry/api';
import { type AgentEvent, type AgentEventBase, InvalidOptionsError } from '@reins/core';
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
export interface LangChainTracingOptions extends Omit<TraceRunOptions, 'parentContext'> {
  /**
   * Runs whose span may stay open at once. A run's span stays open while its invocation runs
   * and until the run ends; one beyond this many ends the oldest open span, marked
   * `reins.run.status: 'unfinished'` (its invocation ended in a way no call or event showed,
   * e.g. a model error or a LangGraph interrupt that was never resumed).
   * @defaultValue 1000
   */
  readonly maxOpenRuns?: number;
}

/** Defaults of {@link LangChainTracingOptions}. */
export const defaultLangChainTracingOptions = Object.freeze({ maxOpenRuns: 1000 });

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
  /** Runs whose span is open (started and not yet ended). */
  readonly openRuns: number;
}

interface TracedRun {
  readonly span: Span;
  readonly context: Context;
  turn: number;
  turnSpan?: Span;
  turnContext?: Context;
}

/** A run whose span ended because a tool's error failed its invocation. */
interface FailedRun {
  /** Its ended span, linked from the span of the run going on, if it does. */
  readonly span: Span;
  readonly parent: Context;
}

/**
 * Whether LangChain turns this tool error into a tool message rather than failing the step:
 * a `ToolInvocationError` (arguments that do not match the tool's schema), possibly wrapped
 * in `MiddlewareError`s by the middleware around the call.
 */
function isRecoverableToolError(error: unknown): boolean {
  let cause: unknown = error;
  for (let depth = 0; depth < 16 && cause instanceof Error; depth += 1) {
    const brand = (cause as { '~brand'?: unknown })['~brand'];
    if (brand === 'ToolInvocationError') return true;
    if (brand !== 'MiddlewareError') return false;
    cause = cause.cause;
  }
  return false;
}

/** A bounded map of runs, oldest first; adding one beyond the bound hands back the oldest. */
function evictOldest<TValue>(map: Map<string, TValue>, bound: number): TValue | undefined {
  if (map.size <= bound) return undefined;
  const oldest = map.keys().next();
  if (oldest.done === true) return undefined;
  const value = map.get(oldest.value);
  map.delete(oldest.value);
  return value;
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
 * and the tools' own instrumentation nest under them.
 *
 * A run's span ends with the run: when the controller stops it (`run.stop`), when the model
 * answers without calling tools, or when a tool's error leaves the middleware (LangChain's
 * default then fails the invocation): the span ends with an error status, `error.type` and
 * `reins.run.status: 'failed'`. If middleware outside Reins turns that error into an answer
 * and the run goes on, the rest of the run gets an `invoke_agent` span of its own
 * (`reins.run.resumed: true`), linked to the failed one. A run resumed by a later invocation
 * of its thread gets a new span too, as with `traceRun` after `agent.resume()`.
 *
 * @param options - tracer, agent name, model, whether to record content, open runs' bound.
 * @returns `aroundCall` for the middleware's options, `trace(middleware)`, and `openRuns`.
 * @throws {InvalidOptionsError} when `maxOpenRuns` is not a positive whole number.
 * @example
 * ```ts
 * const tracing = createLangChainTracing({ agentName: 'support' });
 * const middleware = reinsMiddleware(controller, { aroundCall: tracing.aroundCall });
 * tracing.trace(middleware);
 * const agent = createAgent({ model, tools, middleware: [middleware] });
 * ```
 */
export function createLangChainTracing(options: LangChainTracingOptions = {}): LangChainTracing {
  const maxOpenRuns = options.maxOpenRuns ?? defaultLangChainTracingOptions.maxOpenRuns;
  if (!(Number.isInteger(maxOpenRuns) && maxOpenRuns >= 1)) {
    throw new InvalidOptionsError(
      'maxOpenRuns',
      `maxOpenRuns is ${String(maxOpenRuns)}; use a positive whole number of runs.`,
    );
  }
  const api = openTelemetryApi();
  const agentName = options.agentName ?? defaultTraceRunOptions.agentName;
  const recordContent = options.recordContent ?? defaultTraceRunOptions.recordContent;
  /** Runs whose span is open, oldest first. */
  const runs = new Map<string, TracedRun>();
  /** Runs whose span a tool's error ended, oldest first, in case they go on. */
  const failedRuns = new Map<string, FailedRun>();
  const tracer = (): Tracer | undefined =>
    api === undefined
      ? undefined
      : (options.tracer ?? api.trace.getTracer(defaultTraceRunOptions.tracerName));

  const endRun = (runId: string, attributes: Attributes) => {
    const run = runs.get(runId);
    if (run === undefined) return undefined;
    runs.delete(runId);
    run.turnSpan?.end();
    run.span.setAttributes(attributes);
    run.span.end();
    return run;
  };

  const openRun = (runId: string, resumed: boolean, task: string | undefined, links?: Link[]) => {
    const active = tracer();
    if (api === undefined || active === undefined) return undefined;
    // A run already open here is resumed by a new invocation: its last one ended unseen.
    endRun(runId, { [reinsAttributes.runStatus]: 'unfinished' });
    failedRuns.delete(runId);
    const attributes: Attributes = {
      [genAiAttributes.operationName]: genAiOperations.invokeAgent,
      [genAiAttributes.agentName]: agentName,
      [genAiAttributes.conversationId]: runId,
      [reinsAttributes.runId]: runId,
      [reinsAttributes.runResumed]: resumed,
    };
    if (options.model !== undefined) {
      attributes[genAiAttributes.requestModel] = options.model.modelId;
      if (options.model.provider !== undefined)
        attributes[genAiAttributes.providerName] = options.model.provider;
    }
    if (recordContent && task !== undefined) attributes['reins.run.task'] = task;
    const parent = api.context.active();
    const span = active.startSpan(
      `${genAiOperations.invokeAgent} ${agentName}`,
      {
        kind: api.SpanKind.INTERNAL,
        attributes,
        ...(links === undefined ? {} : { links }),
      },
      parent,
    );
    if (!span.isRecording()) {
      span.end();
      return undefined;
    }
    const run: TracedRun = { span, context: api.trace.setSpan(parent, span), turn: 0 };
    runs.set(runId, run);
    const evicted = evictOldest(runs, maxOpenRuns);
    if (evicted !== undefined) {
      evicted.turnSpan?.end();
      evicted.span.setAttribute(reinsAttributes.runStatus, 'unfinished');
      evicted.span.end();
    }
    return run;
  };

  /** The open run of an id; a run that went on after a tool's error failed it gets a new span. */
  const findRun = (runId: string) => {
    const run = runs.get(runId);
    if (run !== undefined) return run;
    const failed = failedRuns.get(runId);
    if (failed === undefined || api === undefined) return undefined;
    failedRuns.delete(runId);
    return api.context.with(failed.parent, () =>
      openRun(runId, true, undefined, [{ context: failed.span.spanContext() }]),
    );
  };

  /** Ends a run's span because a tool's error left the middleware, failing the invocation. */
  const failRun = (runId: string, turn: number, error: unknown) => {
    const open = runs.get(runId);
    if (open === undefined || api === undefined) return;
    const message = error instanceof Error ? error.message : String(error);
    open.span.setStatus({ code: api.SpanStatusCode.ERROR, message });
    endRun(runId, {
      [reinsAttributes.runStatus]: 'failed',
      [reinsAttributes.runTurns]: turn,
      [reinsAttributes.runMessage]: message,
      [genAiAttributes.errorType]: error instanceof Error ? error.name : 'error',
    });
    failedRuns.set(runId, { span: open.span, parent: api.trace.deleteSpan(open.context) });
    evictOldest(failedRuns, maxOpenRuns);
  };

  const addEvent = (runId: string, { name, attributes }: SpanEventData) => {
    const run = runs.get(runId);
    (run?.turnSpan ?? run?.span)?.addEvent(name, attributes);
  };

  const listener = (event: LangChainRunEvent) => {
    switch (event.type) {
      case 'run.start':
        openRun(event.runId, event.resumed, event.task);
        return;
      case 'turn.start': {
        const run = findRun(event.runId);
        const active = tracer();
        if (run === undefined || api === undefined || active === undefined) return;
        run.turnSpan?.end();
        run.turn = event.turn;
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
        failedRuns.delete(event.runId);
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
    const run = findRun(call.runId);
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
      // A tool's error that leaves the middleware fails the step, and LangChain's default
      // fails the invocation with it (the run resumes, if ever, in a later one).
      if (!model && !isRecoverableToolError(error)) failRun(call.runId, call.turn, error);
      throw error;
    }
  };

  return {
    aroundCall,
    trace: (middleware) => middleware.on('*', listener),
    get openRuns() {
      return runs.size;
    },
  };
}
