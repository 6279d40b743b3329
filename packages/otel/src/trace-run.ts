import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import type { AgentEvent, RunHandle, RunResult, Usage } from '@reins/core';
import { deleteToolSpan, setToolSpan } from './active-tool-spans.js';
import {
  controllerEventData,
  directiveEvent,
  hintAttributes,
  interruptAttributes,
  type SpanEventData,
} from './event-attributes.js';
import { genAiAttributes, genAiOperations, reinsAttributes } from './gen-ai-attributes.js';
import { openTelemetryApi } from './opentelemetry-api.js';

/** The model a run calls, for the `chat` spans' `gen_ai.provider.name` and `gen_ai.request.model`. */
export interface TracedModel {
  readonly provider?: string;
  readonly modelId: string;
}

/** Options of {@link traceRun}. */
export interface TraceRunOptions {
  /**
   * The tracer to make spans with.
   * @defaultValue `trace.getTracer('@reins/otel')` from the globally registered provider
   */
  readonly tracer?: Tracer;
  /**
   * The agent's name: `gen_ai.agent.name`, and the run span's name `invoke_agent <name>`.
   * @defaultValue `'reins'`
   */
  readonly agentName?: string;
  /** The model the run calls (e.g. `{ provider: backend.provider, modelId: backend.modelId }`). */
  readonly model?: TracedModel;
  /**
   * The context the run span is a child of.
   * @defaultValue the active context when `traceRun` is called
   */
  readonly parentContext?: Context;
  /**
   * Record text a user or model wrote (the task, interruption texts) on spans. Off by default:
   * traces often leave the machine where the run's data may stay.
   * @defaultValue false
   */
  readonly recordContent?: boolean;
}

/** Defaults of {@link TraceRunOptions}. */
export const defaultTraceRunOptions = Object.freeze({
  agentName: 'reins',
  recordContent: false,
  tracerName: '@reins/otel',
});

/** What {@link traceRun} returns. */
export interface RunTrace {
  /** Whether spans are being recorded (false without an SDK, or when the run was not sampled). */
  readonly recording: boolean;
  /** The trace id of the run's spans, when recording. */
  readonly traceId?: string;
}

const notRecording: RunTrace = Object.freeze({ recording: false });

function usageAttributes(usage: Usage): Attributes {
  const attributes: Attributes = {
    [genAiAttributes.usageInputTokens]: usage.inputTokens,
    [genAiAttributes.usageOutputTokens]: usage.outputTokens,
  };
  if (usage.cachedInputTokens > 0)
    attributes[genAiAttributes.usageCacheReadInputTokens] = usage.cachedInputTokens;
  if (usage.reasoningTokens > 0)
    attributes[genAiAttributes.usageReasoningOutputTokens] = usage.reasoningTokens;
  if (usage.costUsd > 0) attributes[reinsAttributes.costUsd] = usage.costUsd;
  return attributes;
}

/**
 * Traces a run with OpenTelemetry: one `invoke_agent` span for the run, a `reins.turn` span
 * per turn, a `chat` span per model call and an `execute_tool` span per tool call, with the
 * GenAI semantic-convention attributes (`gen_ai.operation.name`, `gen_ai.request.model`,
 * `gen_ai.usage.input_tokens`, `gen_ai.tool.name`, `gen_ai.tool.call.id`, …) and Reins' own
 * under `reins.`. Every controller decision (`reins.directive.stop`,
 * `reins.directive.grant-turns`, …), controller event (`reins.budget.extended`,
 * `reins.stuck.detected`, …), interruption and KV-cache hint becomes a span event carrying its
 * evidence as `reins.evidence.*` attributes.
 *
 * Attach it right after `agent.run()` (or after awaiting `agent.resume()`). Without an
 * OpenTelemetry SDK (or without `@opentelemetry/api` installed) it subscribes to nothing and
 * costs nothing per turn. Wrap the agent's tools with {@link traceTools} for tool code to run
 * inside its span; {@link createTracedAgent} does both.
 *
 * @param handle - the run.
 * @param options - tracer, agent name, model, parent context, whether to record content.
 * @returns whether the run is recorded, and its trace id.
 * @example
 * ```ts
 * const handle = agent.run('Fix the failing test');
 * traceRun(handle, { model: { provider: backend.provider, modelId: backend.modelId } });
 * await handle.result;
 * ```
 */
export function traceRun(handle: RunHandle, options: TraceRunOptions = {}): RunTrace {
  const api = openTelemetryApi();
  if (api === undefined) return notRecording;
  const { trace, context: contextApi, SpanKind, SpanStatusCode } = api;
  const tracer = options.tracer ?? trace.getTracer(defaultTraceRunOptions.tracerName);
  const agentName = options.agentName ?? defaultTraceRunOptions.agentName;
  const recordContent = options.recordContent ?? defaultTraceRunOptions.recordContent;
  const model = options.model;
  const runId = handle.runId;
  const runAttributes: Attributes = {
    [genAiAttributes.operationName]: genAiOperations.invokeAgent,
    [genAiAttributes.agentName]: agentName,
    [genAiAttributes.conversationId]: runId,
    [reinsAttributes.runId]: runId,
  };
  if (model !== undefined) {
    runAttributes[genAiAttributes.requestModel] = model.modelId;
    if (model.provider !== undefined) runAttributes[genAiAttributes.providerName] = model.provider;
  }
  const runSpan = tracer.startSpan(
    `${genAiOperations.invokeAgent} ${agentName}`,
    { kind: SpanKind.INTERNAL, attributes: runAttributes },
    options.parentContext ?? contextApi.active(),
  );
  if (!runSpan.isRecording()) {
    runSpan.end();
    return notRecording;
  }
  const runContext = trace.setSpan(options.parentContext ?? contextApi.active(), runSpan);
  let turnSpan: Span | undefined;
  let turnContext: Context = runContext;
  let modelSpan: Span | undefined;
  const toolSpans = new Map<string, Span>();

  /** Decisions and interruptions go on the open turn, or on the run between turns. */
  const addEvent = ({ name, attributes }: SpanEventData) =>
    (turnSpan ?? runSpan).addEvent(name, attributes);

  const endTool = (callId: string) => {
    const span = toolSpans.get(callId);
    if (span === undefined) return undefined;
    toolSpans.delete(callId);
    deleteToolSpan(runId, callId);
    return span;
  };

  const endOpenSpans = (reason: string) => {
    if (toolSpans.size > 0)
      for (const callId of [...toolSpans.keys()]) {
        const span = endTool(callId);
        span?.setAttribute(reinsAttributes.toolStatus, 'cancelled');
        span?.setAttribute(reinsAttributes.interrupted, true);
        span?.addEvent('reins.left', { [reinsAttributes.runReason]: reason });
        span?.end();
      }
    modelSpan?.setAttribute(reinsAttributes.interrupted, true);
    modelSpan?.end();
    modelSpan = undefined;
    turnSpan?.end();
    turnSpan = undefined;
    turnContext = runContext;
  };

  const listener = (event: AgentEvent): void => {
    switch (event.type) {
      case 'model.delta':
        return;
      case 'run.start':
        runSpan.setAttribute(reinsAttributes.runResumed, event.resumed);
        if (recordContent) runSpan.setAttribute('reins.run.task', event.task);
        return;
      case 'turn.start':
        if (turnSpan !== undefined) endOpenSpans('A new turn started.');
        turnSpan = tracer.startSpan(
          `reins.turn ${event.turn}`,
          { kind: SpanKind.INTERNAL, attributes: { [reinsAttributes.turn]: event.turn } },
          runContext,
        );
        turnContext = trace.setSpan(runContext, turnSpan);
        return;
      case 'model.start': {
        const attributes: Attributes = {
          [genAiAttributes.operationName]: genAiOperations.chat,
          [reinsAttributes.messageCount]: event.messageCount,
        };
        if (model !== undefined) {
          attributes[genAiAttributes.requestModel] = model.modelId;
          if (model.provider !== undefined)
            attributes[genAiAttributes.providerName] = model.provider;
        }
        const settings = event.settings;
        if (settings?.maxTokens !== undefined)
          attributes[genAiAttributes.requestMaxTokens] = settings.maxTokens;
        if (settings?.temperature !== undefined)
          attributes[genAiAttributes.requestTemperature] = settings.temperature;
        const hints = event.hints === undefined ? undefined : hintAttributes(event.hints);
        if (hints !== undefined) Object.assign(attributes, hints);
        modelSpan = tracer.startSpan(
          model === undefined ? genAiOperations.chat : `${genAiOperations.chat} ${model.modelId}`,
          { kind: SpanKind.CLIENT, attributes },
          turnContext,
        );
        if (hints !== undefined) modelSpan.addEvent('reins.hints', hints);
        return;
      }
      case 'model.end': {
        const span = modelSpan;
        modelSpan = undefined;
        if (span === undefined) return;
        const attributes = usageAttributes(event.usage);
        attributes[genAiAttributes.responseFinishReasons] = [event.finishReason];
        span.setAttributes(attributes);
        if (event.finishReason === 'interrupted') {
          span.setAttribute(reinsAttributes.interrupted, true);
          turnSpan?.setAttribute(reinsAttributes.interrupted, true);
        }
        span.end();
        return;
      }
      case 'tool.start': {
        const { call } = event;
        const attributes: Attributes = {
          [genAiAttributes.operationName]: genAiOperations.executeTool,
          [genAiAttributes.toolName]: call.name,
          [genAiAttributes.toolCallId]: call.id,
          [genAiAttributes.toolType]: 'function',
        };
        if (call.providerCallId !== undefined)
          attributes[reinsAttributes.toolProviderCallId] = call.providerCallId;
        const span = tracer.startSpan(
          `${genAiOperations.executeTool} ${call.name}`,
          { kind: SpanKind.INTERNAL, attributes },
          turnContext,
        );
        toolSpans.set(call.id, span);
        setToolSpan(runId, call.id, span);
        return;
      }
      case 'tool.end': {
        const span = endTool(event.call.id);
        if (span === undefined) return;
        const { result } = event;
        span.setAttribute(reinsAttributes.toolStatus, result.status);
        if (result.status === 'error') {
          span.setAttribute(genAiAttributes.errorType, result.error.code);
          span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
        } else if (result.status === 'cancelled') {
          span.setAttribute(reinsAttributes.interrupted, true);
        }
        span.end();
        return;
      }
      case 'turn.end':
        turnSpan?.setAttributes(usageAttributes(event.usage));
        turnSpan?.end();
        turnSpan = undefined;
        turnContext = runContext;
        return;
      case 'checkpoint.saved':
        runSpan.addEvent('reins.checkpoint.saved', {
          [reinsAttributes.turn]: event.turn,
          'reins.checkpoint.message_count': event.messageCount,
        });
        return;
      case 'directive.applied':
        addEvent(directiveEvent(event.directive, event.turn));
        return;
      case 'interrupt.received':
        addEvent({
          name: 'reins.interrupt.received',
          attributes: interruptAttributes(event.interrupt, recordContent),
        });
        return;
      case 'interrupt.applied':
        addEvent({
          name: 'reins.interrupt.applied',
          attributes: {
            ...interruptAttributes(event.interrupt, recordContent),
            [reinsAttributes.directive]: event.directives.map((directive) => directive.type),
          },
        });
        return;
      case 'run.pause':
        runSpan.addEvent('reins.run.pause', {
          [reinsAttributes.turn]: event.turn,
          [reinsAttributes.runReason]: event.reason,
        });
        return;
      case 'run.resume':
        runSpan.addEvent('reins.run.resume', { [reinsAttributes.turn]: event.turn });
        return;
      case 'run.end':
        finish(event.result);
        return;
      default:
        if ('controller' in event) addEvent(controllerEventData(event));
    }
  };
  let ended = false;
  const finish = (result: RunResult) => {
    if (ended) return;
    ended = true;
    handle.off('*', listener);
    endOpenSpans(result.message ?? `The run ended as ${result.status}.`);
    runSpan.setAttributes(usageAttributes(result.usage));
    runSpan.setAttribute(reinsAttributes.runStatus, result.status);
    runSpan.setAttribute(reinsAttributes.runTurns, result.turns);
    if (result.reason !== undefined) runSpan.setAttribute(reinsAttributes.runReason, result.reason);
    if (result.message !== undefined)
      runSpan.setAttribute(reinsAttributes.runMessage, result.message);
    if (result.status === 'failed') {
      runSpan.setAttribute(genAiAttributes.errorType, result.error?.code ?? 'failed');
      runSpan.setStatus({
        code: SpanStatusCode.ERROR,
        message: result.error?.message ?? 'The run failed.',
      });
    }
    runSpan.end();
  };
  handle.on('*', listener);
  // A resumed run that had already ended emits no events: its recorded result ends the span.
  void handle.result.then(finish);
  return { recording: true, traceId: runSpan.spanContext().traceId };
}
