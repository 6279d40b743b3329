import type {
  Attributes,
  AttributeValue,
  Context,
  Span,
  SpanOptions,
  Tracer,
} from '@opentelemetry/api';
import type { AgentEvent, RunHandle, RunResult, Usage } from '@reins/core';
import { registerToolCalls, type ToolCallSpan, unregisterToolCalls } from './active-tool-spans.js';
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

/** Writes a call's, turn's or run's token usage (and cost) on its span. */
function setUsage(span: Span, usage: Usage): void {
  span.setAttribute(genAiAttributes.usageInputTokens, usage.inputTokens);
  span.setAttribute(genAiAttributes.usageOutputTokens, usage.outputTokens);
  if (usage.cachedInputTokens > 0)
    span.setAttribute(genAiAttributes.usageCacheReadInputTokens, usage.cachedInputTokens);
  if (usage.reasoningTokens > 0)
    span.setAttribute(genAiAttributes.usageReasoningOutputTokens, usage.reasoningTokens);
  if (usage.costUsd > 0) span.setAttribute(reinsAttributes.costUsd, usage.costUsd);
}

/**
 * `gen_ai.response.finish_reasons` values, one frozen array per reason: spans only read an
 * attribute's value, so every `chat` span that ended for the same reason shares it.
 */
const finishReasonValues = new Map<string, AttributeValue>();

function finishReasons(reason: string): AttributeValue {
  let value = finishReasonValues.get(reason);
  if (value === undefined) {
    value = Object.freeze([reason]) as unknown as AttributeValue;
    finishReasonValues.set(reason, value);
  }
  return value;
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
  const toolCalls = new Map<string, ToolCallSpan>();
  registerToolCalls(runId, toolCalls);

  // What every span of a kind carries is computed once per run. The SDK copies the attributes
  // a span starts with, so one object serves every span.
  const chatName =
    model === undefined ? genAiOperations.chat : `${genAiOperations.chat} ${model.modelId}`;
  const chatAttributes: Attributes = { [genAiAttributes.operationName]: genAiOperations.chat };
  if (model !== undefined) {
    chatAttributes[genAiAttributes.requestModel] = model.modelId;
    if (model.provider !== undefined) chatAttributes[genAiAttributes.providerName] = model.provider;
  }
  const chatOptions = { kind: SpanKind.CLIENT, attributes: chatAttributes };
  /** Per tool name: the span name and the options its spans start with. */
  const toolKinds = new Map<string, { name: string; options: SpanOptions }>();
  const toolKind = (name: string) => {
    let kind = toolKinds.get(name);
    if (kind === undefined) {
      kind = {
        name: `${genAiOperations.executeTool} ${name}`,
        options: {
          kind: SpanKind.INTERNAL,
          attributes: {
            [genAiAttributes.operationName]: genAiOperations.executeTool,
            [genAiAttributes.toolName]: name,
            [genAiAttributes.toolType]: 'function',
          },
        },
      };
      toolKinds.set(name, kind);
    }
    return kind;
  };

  /** Decisions and interruptions go on the open turn, or on the run between turns. */
  const addEvent = ({ name, attributes }: SpanEventData) =>
    (turnSpan ?? runSpan).addEvent(name, attributes);

  const endTool = (callId: string) => {
    const call = toolCalls.get(callId);
    if (call === undefined) return undefined;
    toolCalls.delete(callId);
    return call.span;
  };

  const endOpenSpans = (reason: string) => {
    if (toolCalls.size > 0)
      for (const callId of [...toolCalls.keys()]) {
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
        const span = tracer.startSpan(chatName, chatOptions, turnContext);
        modelSpan = span;
        span.setAttribute(reinsAttributes.messageCount, event.messageCount);
        const settings = event.settings;
        if (settings !== undefined) {
          if (settings.maxTokens !== undefined)
            span.setAttribute(genAiAttributes.requestMaxTokens, settings.maxTokens);
          if (settings.temperature !== undefined)
            span.setAttribute(genAiAttributes.requestTemperature, settings.temperature);
        }
        if (event.hints !== undefined) {
          const hints = hintAttributes(event.hints);
          span.setAttributes(hints);
          span.addEvent('reins.hints', hints);
        }
        return;
      }
      case 'model.end': {
        const span = modelSpan;
        modelSpan = undefined;
        if (span === undefined) return;
        setUsage(span, event.usage);
        span.setAttribute(genAiAttributes.responseFinishReasons, finishReasons(event.finishReason));
        if (event.finishReason === 'interrupted') {
          span.setAttribute(reinsAttributes.interrupted, true);
          turnSpan?.setAttribute(reinsAttributes.interrupted, true);
        }
        span.end();
        return;
      }
      case 'tool.start': {
        const { call } = event;
        const kind = toolKind(call.name);
        const span = tracer.startSpan(kind.name, kind.options, turnContext);
        span.setAttribute(genAiAttributes.toolCallId, call.id);
        if (call.providerCallId !== undefined)
          span.setAttribute(reinsAttributes.toolProviderCallId, call.providerCallId);
        toolCalls.set(call.id, { span, parent: turnContext });
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
        if (turnSpan !== undefined) {
          setUsage(turnSpan, event.usage);
          turnSpan.end();
        }
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
    unregisterToolCalls(runId, toolCalls);
    setUsage(runSpan, result.usage);
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
