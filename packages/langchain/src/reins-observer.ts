import { randomUUID } from 'node:crypto';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import type { ChatGeneration, LLMResult } from '@langchain/core/outputs';
import {
  type Clock,
  type Controller,
  emptyUsage,
  type Interrupt,
  type InterruptInput,
  InvalidOptionsError,
  interruptInputSchema,
  RunStateError,
  systemClock,
  type ToolCall,
  type ToolResult,
  type UsagePatch,
} from '@reins/core';
import {
  applyLangChainDirectives,
  applyPendingInterrupts,
  type DirectiveContext,
  decideBeforeModel,
} from './apply-langchain-directives.js';
import { fromLangChainMessages, textOf } from './convert-from-langchain-messages.js';
import {
  addRunUsage,
  createLangChainRun,
  findTaskMessage,
  type LangChainRun,
  type LangChainRunEnding,
  recordToolStats,
  taskText,
} from './langchain-run.js';
import { mapLangChainFinishReason } from './map-langchain-finish-reason.js';
import { mapLangChainUsage } from './map-langchain-usage.js';
import { createReinsEventEmitter, type ReinsEventOf, type ReinsEventType } from './reins-event.js';
import type { ReinsModelIdentity } from './reins-middleware.js';

/** Options of {@link createReinsObserver}. */
export interface ReinsObserverOptions {
  /** The model's identity in `view.model`. @defaultValue `{ provider: 'unknown', modelId: 'unknown' }` */
  readonly model?: ReinsModelIdentity;
  /** @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** Makes run and interrupt ids. @defaultValue `crypto.randomUUID` */
  readonly generateId?: () => string;
  /** Computes the cost in US dollars of a call's usage, for cost budgets. */
  readonly cost?: (usage: UsagePatch) => number;
}

/** A controller watching a LangChain run through callbacks, able to stop it. */
export interface ReinsObserver {
  /** The callback handler: pass it in `callbacks` of the graph's or runnable's invocation. */
  readonly handler: BaseCallbackHandler;
  /** Aborted when the controller stops the run: pass it as the invocation's `signal`. */
  readonly signal: AbortSignal;
  /** How the controller ended the run, once it did. */
  readonly ending: LangChainRunEnding | undefined;
  /**
   * Listens to events of one type (`'stuck.detected'`, …) or all (`'*'`).
   * @returns a function that removes the listener.
   */
  on<TType extends ReinsEventType | '*'>(
    type: TType,
    listener: (event: ReinsEventOf<TType>) => void,
  ): () => void;
  /**
   * Interrupts the run. An observer cannot change requests, so only endings take effect
   * (`stop`, a task retraction, or what the controller's `onInterrupt` decides); `urgency: 'now'`
   * applies it at once, `'next-turn'` at the next model call.
   * @throws {RunStateError} before the first model call or after the run ended.
   */
  interrupt(input: InterruptInput): Interrupt;
}

/**
 * Creates an observer for agents not built with `createAgent` (a custom LangGraph graph, a
 * plain runnable loop): a LangChain callback handler that feeds the controller what the run
 * does (model calls, tool calls and their results), so that budgets and monitors decide and
 * report as they do in the Reins loop, and that stops the run through an `AbortController`
 * when the controller says stop. It only observes: reminders and other injected messages are
 * reported as `directive.applied` events but reach no request; use `reinsMiddleware` for that.
 *
 * @param controller - a `Controller`, e.g. `createController()` from `@reins/controller`.
 * @param options - model identity, clock, ids, cost.
 * @returns the handler, the signal that stops the run, events and interrupts.
 * @example
 * ```ts
 * const observer = createReinsObserver(createController({ budget: createTurnBudget({ mode: 'fixed', limit: 30 }) }));
 * await graph.invoke(input, { callbacks: [observer.handler], signal: observer.signal });
 * ```
 */
export function createReinsObserver(
  controller: Controller,
  options: ReinsObserverOptions = {},
): ReinsObserver {
  if (typeof controller?.open !== 'function') {
    throw new InvalidOptionsError(
      'controller',
      'createReinsObserver(controller) needs a Controller with an open() method. Use createController() from @reins/controller.',
    );
  }
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? (() => randomUUID());
  const events = createReinsEventEmitter();
  const abort = new AbortController();
  const context: DirectiveContext = { clock, events, report: () => {}, reporting: () => false };
  const model = {
    provider: options.model?.provider ?? 'unknown',
    modelId: options.model?.modelId ?? 'unknown',
    capabilities: {
      toolCalls: true,
      reasoning: false,
      logprobs: false,
      ...options.model?.capabilities,
    },
  };
  let run: LangChainRun | undefined;
  let ending: LangChainRunEnding | undefined;
  const modelStarts = new Map<string, number>();
  const toolStarts = new Map<string, { call: ToolCall; startedAt: number }>();

  const stopIfEnding = (current: LangChainRun) => {
    const decided = current.ending;
    if (decided === undefined || ending !== undefined) return;
    ending = decided;
    events.emit({
      runId: current.runId,
      turn: current.turn,
      at: clock.now(),
      type: 'run.stop',
      status: decided.status,
      reason: decided.reason,
      message: decided.message,
      source: decided.source,
    });
    abort.abort(new Error(`Run stopped (${decided.reason}): ${decided.message}`));
  };

  class ReinsObserverHandler extends BaseCallbackHandler {
    name = 'reins-observer';
    override awaitHandlers = true;

    override handleChatModelStart(_llm: unknown, messages: BaseMessage[][], runId: string): void {
      const prompt = messages[0] ?? [];
      if (run === undefined) {
        const taskMessage = findTaskMessage(prompt);
        run = createLangChainRun({
          runId: generateId(),
          threadId: undefined,
          task: taskText(taskMessage),
          taskMessageId: taskMessage?.id,
          seq: 0,
          messages: prompt,
          model,
          clock,
          open: (id, task) => controller.open({ runId: id, task }),
        });
        events.emit({
          runId: run.runId,
          turn: 0,
          at: clock.now(),
          type: 'run.start',
          task: run.task,
          resumed: false,
        });
      }
      run.stateMessages = prompt;
      if (ending !== undefined) return;
      decideBeforeModel(run, context);
      run.ephemeral = [];
      run.pendingMessages = [];
      run.offeredTools = [];
      stopIfEnding(run);
      if (ending !== undefined) return;
      run.turn += 1;
      run.session.hints?.(run.view);
      modelStarts.set(runId, clock.now());
    }

    override handleLLMEnd(output: LLMResult, runId: string): void {
      const startedAt = modelStarts.get(runId);
      if (run === undefined || startedAt === undefined || ending !== undefined) return;
      modelStarts.delete(runId);
      const generation = output.generations[0]?.[0] as ChatGeneration | undefined;
      const message = generation?.message as AIMessage | undefined;
      if (message === undefined) return;
      const [converted] = fromLangChainMessages([message]);
      if (converted?.role !== 'assistant') return;
      run.stateMessages = [...run.stateMessages, message];
      let usage = emptyUsage;
      if (message.usage_metadata !== undefined) {
        const patch = mapLangChainUsage(message.usage_metadata);
        const withCost =
          options.cost === undefined ? patch : { ...patch, costUsd: options.cost(patch) };
        addRunUsage(run, withCost);
        usage = { ...emptyUsage, ...withCost } as typeof emptyUsage;
      }
      applyLangChainDirectives(
        run,
        run.session.afterModel?.(run.view, {
          message: { ...converted, usage },
          finishReason:
            mapLangChainFinishReason(message.response_metadata as Record<string, unknown>) ??
            (converted.toolCalls.length > 0 ? 'tool-calls' : 'stop'),
          usage,
          durationMs: clock.now() - startedAt,
        }),
        context,
      );
      stopIfEnding(run);
    }

    override handleToolStart(
      tool: { name?: string; id?: string[] },
      input: string,
      runId: string,
      _parentRunId?: string,
      _tags?: string[],
      _metadata?: Record<string, unknown>,
      runName?: string,
      toolCallId?: string,
    ): void {
      if (run === undefined || ending !== undefined) return;
      const name = runName ?? tool.name ?? tool.id?.at(-1) ?? 'tool';
      const call: ToolCall = { id: toolCallId ?? runId, name, arguments: input };
      const directives = run.session.beforeTool?.(run.view, call) ?? [];
      applyLangChainDirectives(
        run,
        directives.flatMap((directive) =>
          directive.type === 'deny' || directive.type === 'resolve' || directive.type === 'timeout'
            ? []
            : [directive],
        ),
        context,
      );
      stopIfEnding(run);
      toolStarts.set(runId, { call, startedAt: clock.now() });
    }

    override handleToolEnd(output: unknown, runId: string): void {
      const text =
        typeof output === 'string'
          ? output
          : textOf(((output as { content?: unknown })?.content ?? '') as string);
      const failed = (output as { status?: unknown })?.status === 'error';
      finishTool(
        runId,
        failed
          ? { status: 'error', error: { code: 'tool-execution', message: text } }
          : { status: 'ok', output: text },
      );
    }

    override handleToolError(error: Error, runId: string): void {
      finishTool(runId, {
        status: abort.signal.aborted ? 'cancelled' : 'error',
        ...(abort.signal.aborted
          ? { reason: 'The run was stopped.' }
          : { error: { code: 'tool-execution', message: String(error?.message ?? error) } }),
      } as ToolResult);
    }
  }

  const finishTool = (runId: string, result: ToolResult) => {
    const started = toolStarts.get(runId);
    if (run === undefined || started === undefined) return;
    toolStarts.delete(runId);
    const durationMs = clock.now() - started.startedAt;
    recordToolStats(run, started.call.name, result.status, durationMs);
    if (result.status === 'cancelled' || ending !== undefined) return;
    applyLangChainDirectives(
      run,
      run.session.afterTool?.(run.view, { call: started.call, result, durationMs }),
      context,
    );
    stopIfEnding(run);
  };

  const handler = new ReinsObserverHandler();
  return {
    handler,
    signal: abort.signal,
    get ending() {
      return ending;
    },
    on: (type, listener) => events.on(type, listener),
    interrupt(input) {
      const current = run;
      if (current === undefined || ending !== undefined) {
        throw new RunStateError(
          current?.runId ?? 'none',
          current === undefined
            ? 'The observed run has not called its model yet; interrupt it once it runs.'
            : `The observed run already ended (${ending?.reason}); start a new run with the update instead.`,
        );
      }
      const parsed = interruptInputSchema.safeParse(input);
      if (!parsed.success) {
        throw new InvalidOptionsError(
          'interrupt',
          `Invalid interrupt: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}. Use { kind: 'addition' | 'revision' | 'retraction' | 'stop', text, urgency }.`,
        );
      }
      const interrupt: Interrupt = {
        ...parsed.data,
        id: generateId(),
        receivedAt: clock.now(),
        turn: current.turn,
      };
      current.pendingInterrupts.push(interrupt);
      events.emit({
        runId: current.runId,
        turn: current.turn,
        at: clock.now(),
        type: 'interrupt.received',
        interrupt,
      });
      if (interrupt.urgency === 'now') {
        applyPendingInterrupts(current, context);
        stopIfEnding(current);
      }
      return interrupt;
    },
  };
}
