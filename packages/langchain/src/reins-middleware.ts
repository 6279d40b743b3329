import { randomUUID } from 'node:crypto';
import { dispatchCustomEvent } from '@langchain/core/callbacks/dispatch';
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  RemoveMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { tool as createLangChainTool } from '@langchain/core/tools';
import { isGraphBubbleUp, REMOVE_ALL_MESSAGES } from '@langchain/langgraph';
import {
  type Clock,
  type Controller,
  type Directive,
  emptyUsage,
  type Interrupt,
  type InterruptInput,
  InvalidOptionsError,
  interruptInputSchema,
  type ModelCapabilities,
  type ModelStep,
  RunStateError,
  systemClock,
  type ToolCall,
  type ToolResult,
  type UsagePatch,
} from '@reins/core';
import { createMiddleware } from 'langchain';
import { z } from 'zod';
import {
  applyLangChainDirectives,
  type DirectiveContext,
  decideBeforeModel,
} from './apply-langchain-directives.js';
import { fromLangChainMessages, textOf } from './convert-from-langchain-messages.js';
import { toLangChainMessages } from './convert-to-langchain-messages.js';
import {
  addRunUsage,
  createLangChainRun,
  type LangChainRun,
  type LangChainRunEnding,
  type LangChainRunModel,
  lastHumanText,
  recordToolStats,
} from './langchain-run.js';
import { mapLangChainFinishReason } from './map-langchain-finish-reason.js';
import { mapLangChainUsage } from './map-langchain-usage.js';
import {
  createReinsEventEmitter,
  type ReinsEvent,
  type ReinsEventOf,
  type ReinsEventType,
} from './reins-event.js';

/** The model's identity, when it cannot be read from the model object. */
export interface ReinsModelIdentity {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities?: Partial<ModelCapabilities>;
}

/** Options of {@link reinsMiddleware}. */
export interface ReinsMiddlewareOptions {
  /**
   * The middleware's name in the agent (unique among its middleware).
   * @defaultValue `'ReinsMiddleware'`
   */
  readonly name?: string;
  /**
   * The agent's model (a LangChain chat model, or its provider and id): what `view.model` tells
   * budgets before the first call (e.g. the cost budget's price lookup).
   * @defaultValue read from the model of the first call; `'unknown'` before it
   */
  readonly model?: object | ReinsModelIdentity;
  /**
   * Time source of `view.now`, durations and tool timeouts.
   * @defaultValue `systemClock`
   */
  readonly clock?: Clock;
  /**
   * Makes run and interrupt ids.
   * @defaultValue `crypto.randomUUID`
   */
  readonly generateId?: () => string;
  /** Computes the cost in US dollars of a call's usage, for cost budgets. */
  readonly cost?: (usage: UsagePatch) => number;
  /**
   * Map `hints.ttlMs` to Anthropic `cache_control` with `ttl` on the last stored message of the
   * request; `'auto'` does so for models whose `_llmType()` is `'anthropic'`.
   * @defaultValue `'auto'`
   */
  readonly cacheControl?: 'auto' | 'anthropic' | 'none';
  /**
   * Send `hints.cacheKey` as the `promptCacheKey` model setting (OpenAI `prompt_cache_key`).
   * @defaultValue true
   */
  readonly promptCacheKey?: boolean;
  /**
   * Also dispatch controller events (`stuck.detected`, `budget.reminder`, …) as LangChain
   * custom events, seen by callbacks and `streamEvents` as `on_custom_event`.
   * @defaultValue true
   */
  readonly customEvents?: boolean;
  /**
   * The final AI message written when the controller ends a run.
   * @defaultValue `Run stopped (reason): message` (or `cancelled`, `paused`)
   */
  readonly stopMessage?: (ending: LangChainRunEnding) => string;
  /**
   * Runs remembered at once (runs that never reach their end are forgotten oldest first).
   * @defaultValue 1000
   */
  readonly maxRuns?: number;
}

/** Defaults of {@link ReinsMiddlewareOptions}. */
export const defaultReinsMiddlewareOptions = Object.freeze({
  name: 'ReinsMiddleware',
  cacheControl: 'auto' as const,
  promptCacheKey: true,
  customEvents: true,
  maxRuns: 1000,
});

/** Which run an interruption is for, when several are in progress. */
export interface InterruptTarget {
  readonly runId?: string;
  /** The LangGraph `thread_id` the run was invoked with. */
  readonly threadId?: string;
}

/** A run in progress, as {@link ReinsMiddlewareHandle.runs} lists it. */
export interface ReinsRunInfo {
  readonly runId: string;
  readonly threadId: string | undefined;
  readonly task: string;
  readonly turn: number;
}

/** What the middleware adds for its caller: events and interruptions. */
export interface ReinsMiddlewareHandle {
  /**
   * Listens to events of one type (`'stuck.detected'`, `'budget.reminder'`, …) or all (`'*'`).
   * @returns a function that removes the listener.
   */
  on<TType extends ReinsEventType | '*'>(
    type: TType,
    listener: (event: ReinsEventOf<TType>) => void,
  ): () => void;
  /**
   * Interrupts a run in progress. `urgency: 'next-turn'` applies it at the next hook; `'now'`
   * aborts the running model or tool call first, then the run continues with the update.
   * @param input - kind, text, urgency (as `handle.interrupt` of the Reins loop).
   * @param target - which run, when several are in progress.
   * @returns the interruption as recorded.
   * @throws {RunStateError} when no run (or no run matching `target`) is in progress.
   */
  interrupt(input: InterruptInput, target?: InterruptTarget): Interrupt;
  /** The runs in progress. */
  runs(): readonly ReinsRunInfo[];
}

const stateSchema = z.object({ reinsRunId: z.string().optional() });

/** The middleware object `createAgent({ middleware })` takes, with the handle's methods. */
export type ReinsMiddleware = ReturnType<typeof createReinsAgentMiddleware> & ReinsMiddlewareHandle;

const interruptedKey = 'reins_interrupted';
const stopKey = 'reins_stop';

/**
 * Puts a Reins controller inside a LangChain `createAgent` agent, as middleware. The same
 * controller hooks as in the Reins loop are called at the same points of each turn:
 * interruptions and `beforeModel` before the model call (`beforeModel` hook), `hints` and the
 * request's changes around it (`wrapModelCall`), `afterModel` after it, `beforeTool` and
 * `afterTool` around each tool call (`wrapToolCall`).
 *
 * Directives become LangChain actions: ephemeral reminders are appended to the request in
 * `wrapModelCall` and never stored; stored messages are written to the agent's state; `stop`
 * ends the run with `jumpTo: 'end'` and a final AI message saying why (a forced answer is one
 * more call without tools); `offer-tools` adds the controller's tools (e.g.
 * `request_extension`) to the request, answered by `beforeTool`'s `resolve`; `deny` answers a
 * call with an error tool message; `compact` rewrites the history; `emit` reaches `on()`
 * listeners and LangChain custom events. Scheduling hints become model settings
 * (`promptCacheKey`, Anthropic `cache_control.ttl`).
 *
 * Every invocation is a new run: counters start again in `beforeAgent`, so a checkpointed
 * thread invoked again is never locked by the previous run's count.
 *
 * @param controller - a `Controller`, e.g. `createController()` from `@reins/controller`.
 * @param options - model identity, clock, cost, cache mapping, stop message.
 * @returns the middleware for `createAgent({ middleware: [...] })`, with `on`, `interrupt`, `runs`.
 * @example
 * ```ts
 * const reins = reinsMiddleware(createController({ budget: createTurnBudget({ mode: 'fixed', limit: 20 }),
 *   monitors: [createStuckMonitor()] }));
 * const agent = createAgent({ model, tools, middleware: [reins] });
 * reins.on('stuck.detected', (event) => console.warn(event.message));
 * await agent.invoke({ messages: [{ role: 'user', content: 'Fix the failing test' }] });
 * ```
 */
export function reinsMiddleware(
  controller: Controller,
  options: ReinsMiddlewareOptions = {},
): ReinsMiddleware {
  if (typeof controller?.open !== 'function') {
    throw new InvalidOptionsError(
      'controller',
      `reinsMiddleware(controller) needs a Controller with an open() method; received ${describe(controller)}. Use createController() from @reins/controller.`,
    );
  }
  const maxRuns = options.maxRuns ?? defaultReinsMiddlewareOptions.maxRuns;
  if (!(Number.isInteger(maxRuns) && maxRuns >= 1)) {
    throw new InvalidOptionsError(
      'maxRuns',
      `maxRuns is ${String(maxRuns)}; use a positive whole number of runs to remember at once.`,
    );
  }
  const events = createReinsEventEmitter();
  const runs = new Map<string, LangChainRun>();
  const parts = createReinsAgentMiddleware(controller, options, events, runs, maxRuns);
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? (() => randomUUID());
  const handle: ReinsMiddlewareHandle = {
    on: (type, listener) => events.on(type, listener),
    runs: () =>
      [...runs.values()].map((run) => ({
        runId: run.runId,
        threadId: run.threadId,
        task: run.task,
        turn: run.turn,
      })),
    interrupt(input, target = {}) {
      const parsed = interruptInputSchema.safeParse(input);
      if (!parsed.success) {
        throw new InvalidOptionsError(
          'interrupt',
          `Invalid interrupt: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}. Use { kind: 'addition' | 'revision' | 'retraction' | 'stop', text, urgency: 'next-turn' | 'now' }.`,
        );
      }
      const run = findRun(runs, target);
      const interrupt: Interrupt = {
        ...parsed.data,
        id: generateId(),
        receivedAt: clock.now(),
        turn: run.turn,
      };
      run.pendingInterrupts.push(interrupt);
      events.emit({
        runId: run.runId,
        turn: run.turn,
        at: clock.now(),
        type: 'interrupt.received',
        interrupt,
      });
      if (interrupt.urgency === 'now') {
        const reason = new Error('Interrupted by the user before it finished.');
        if (run.modelAbort !== undefined && !run.modelAbort.signal.aborted) {
          run.interruptedNow = true;
          run.modelAbort.abort(reason);
        } else if (run.toolsAbort !== undefined && !run.toolsAbort.signal.aborted) {
          run.interruptedNow = true;
          run.toolsAbort.abort(reason);
        }
      }
      return interrupt;
    },
  };
  return Object.assign(parts, handle);
}

function findRun(runs: Map<string, LangChainRun>, target: InterruptTarget): LangChainRun {
  if (target.runId !== undefined) {
    const run = runs.get(target.runId);
    if (run === undefined) {
      throw new RunStateError(
        target.runId,
        `Run '${target.runId}' is not in progress in this middleware (runs in progress: ${[...runs.keys()].join(', ') || 'none'}). It ended, or was started by another middleware instance.`,
      );
    }
    return run;
  }
  const candidates = [...runs.values()].filter(
    (run) => target.threadId === undefined || run.threadId === target.threadId,
  );
  if (candidates.length === 1) return candidates[0] as LangChainRun;
  const where = target.threadId === undefined ? '' : ` on thread '${target.threadId}'`;
  throw new RunStateError(
    target.threadId ?? 'none',
    candidates.length === 0
      ? `No run is in progress${where}; an interrupt needs a running agent. Call interrupt() while agent.invoke() runs.`
      : `${candidates.length} runs are in progress${where}; say which with interrupt(input, { runId }) or { threadId }. Runs: ${candidates.map((run) => run.runId).join(', ')}.`,
  );
}

function createReinsAgentMiddleware(
  controller: Controller,
  options: ReinsMiddlewareOptions,
  events: ReturnType<typeof createReinsEventEmitter>,
  runs: Map<string, LangChainRun>,
  maxRuns: number,
) {
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? (() => randomUUID());
  const cacheControl = options.cacheControl ?? defaultReinsMiddlewareOptions.cacheControl;
  const sendCacheKey = options.promptCacheKey ?? defaultReinsMiddlewareOptions.promptCacheKey;
  const customEvents = options.customEvents ?? defaultReinsMiddlewareOptions.customEvents;
  const stopMessage = options.stopMessage ?? defaultStopMessage;
  let knownModel: LangChainRunModel | undefined =
    options.model === undefined ? undefined : describeModel(options.model);

  const context: DirectiveContext = {
    clock,
    events,
    report: customEvents
      ? (_run, event) => {
          dispatchCustomEvent(event.type, event).catch(() => {
            // Outside a LangChain run there is no callback to dispatch to.
          });
        }
      : () => {},
  };

  const openRun = (
    runId: string,
    messages: readonly BaseMessage[],
    threadId: string | undefined,
  ): LangChainRun => {
    const run = createLangChainRun({
      runId,
      threadId,
      task: lastHumanText(messages),
      messages,
      model: knownModel ?? unknownModel,
      clock,
      open: (id, task) => controller.open({ runId: id, task }),
    });
    runs.set(runId, run);
    if (runs.size > maxRuns) {
      const oldest = runs.keys().next().value;
      if (oldest !== undefined) runs.delete(oldest);
    }
    events.emit({
      runId,
      turn: 0,
      at: clock.now(),
      type: 'run.start',
      task: run.task,
      resumed: false,
    });
    return run;
  };

  /** The run of this invocation; opened again if this process never saw it (e.g. a restart). */
  const runOf = (
    state: { reinsRunId?: string | undefined; messages: BaseMessage[] },
    threadId: string | undefined,
  ): LangChainRun => {
    const runId = state.reinsRunId;
    const run = runId === undefined ? undefined : runs.get(runId);
    const current = run ?? openRun(runId ?? generateId(), state.messages, threadId);
    current.stateMessages = state.messages;
    return current;
  };

  /** Stored messages (and a compaction) waiting to be written into the agent's state. */
  const takeMessageUpdate = (run: LangChainRun): BaseMessage[] => {
    const pending = run.pendingMessages;
    const compaction = run.compaction;
    run.pendingMessages = [];
    run.compaction = undefined;
    if (compaction === undefined) return pending;
    const all = [...run.stateMessages, ...pending];
    const summary = new HumanMessage({
      content: compaction.summary,
      additional_kwargs: { reins_origin: { kind: 'controller', source: 'compaction' } },
    });
    return [
      new RemoveMessage({ id: REMOVE_ALL_MESSAGES }),
      ...all.slice(0, compaction.from),
      summary,
      ...all.slice(compaction.to),
    ];
  };

  const endRun = (run: LangChainRun, ending: LangChainRunEnding): AIMessage => {
    runs.delete(run.runId);
    events.emit({
      runId: run.runId,
      turn: run.turn,
      at: clock.now(),
      type: 'run.stop',
      status: ending.status,
      reason: ending.reason,
      message: ending.message,
      source: ending.source,
    });
    return new AIMessage({
      content: stopMessage(ending),
      response_metadata: {
        [stopKey]: { status: ending.status, reason: ending.reason, source: ending.source },
      },
    });
  };

  /** The state update of a decision point: stored messages, and the end of the run if decided. */
  const settleDecision = (run: LangChainRun, extra: BaseMessage[] = []) => {
    const messages = [...extra, ...takeMessageUpdate(run)];
    const ending = run.ending;
    if (ending === undefined) return { messages, jump: undefined };
    if (ending.forceAnswer && ending.status === 'stopped') {
      run.forcing = true;
      events.emit({
        runId: run.runId,
        turn: run.turn,
        at: clock.now(),
        type: 'run.stop',
        status: ending.status,
        reason: ending.reason,
        message: ending.message,
        source: ending.source,
      });
      return { messages, jump: 'model' as const };
    }
    messages.push(endRun(run, ending));
    return { messages, jump: 'end' as const };
  };

  return createMiddleware({
    name: options.name ?? defaultReinsMiddlewareOptions.name,
    stateSchema,
    beforeAgent: (state, runtime) => {
      const run = openRun(generateId(), state.messages, runtime.configurable?.thread_id);
      return { reinsRunId: run.runId };
    },
    beforeModel: {
      canJumpTo: ['end'],
      hook: (state, runtime) => {
        const run = runOf(state, runtime.configurable?.thread_id);
        run.toolsAbort = undefined;
        if (run.forcing) return undefined;
        decideBeforeModel(run, context);
        const { messages, jump } = settleDecision(run);
        if (jump === 'end') return { messages, jumpTo: 'end' };
        return messages.length > 0 ? { messages } : undefined;
      },
    },
    wrapModelCall: async (request, handler) => {
      const run = runOf(request.state, request.runtime.configurable?.thread_id);
      if (knownModel === undefined) {
        knownModel = describeModel(request.model);
        run.model = knownModel;
      } else if (run.model === unknownModel) run.model = knownModel;
      run.turn += 1;
      if (events.listening) {
        events.emit({ runId: run.runId, turn: run.turn, at: clock.now(), type: 'turn.start' });
      }
      const hints = run.session.hints?.(run.view);
      const settings = run.nextSettings;
      run.nextSettings = undefined;
      const modelSettings: Record<string, unknown> = { ...request.modelSettings };
      if (hints !== undefined) {
        if (sendCacheKey && hints.cacheKey !== undefined)
          modelSettings.promptCacheKey = hints.cacheKey;
        if (hints.extra !== undefined) Object.assign(modelSettings, hints.extra);
      }
      let toolChoice = request.toolChoice;
      if (settings !== undefined) {
        if (settings.maxTokens !== undefined) modelSettings.maxTokens = settings.maxTokens;
        if (settings.temperature !== undefined) modelSettings.temperature = settings.temperature;
        if (settings.logprobs !== undefined) {
          modelSettings.logprobs = true;
          modelSettings.topLogprobs = settings.logprobs.topLogprobs;
        }
        if (settings.toolChoice !== undefined) toolChoice = settings.toolChoice;
      }
      let messages = request.messages;
      const ttlMs = hints?.ttlMs;
      if (
        ttlMs !== undefined &&
        (cacheControl === 'anthropic' ||
          (cacheControl === 'auto' && run.model.provider === 'anthropic'))
      ) {
        messages = withCacheControl(messages, ttlMs > 300_000 ? '1h' : '5m');
      }
      let tools = request.tools;
      const ephemeral = run.ephemeral;
      run.ephemeral = [];
      if (run.forcing) {
        const ending = run.ending;
        tools = [];
        toolChoice = undefined;
        if (ending?.answerMaxTokens !== undefined) modelSettings.maxTokens = ending.answerMaxTokens;
        messages = [
          ...messages,
          ...toLangChainMessages(ephemeral),
          new HumanMessage(
            `${ending?.message ?? 'Stop now.'} Give your final answer now, from what you know, without calling tools.`,
          ),
        ];
      } else {
        if (ephemeral.length > 0) messages = [...messages, ...toLangChainMessages(ephemeral)];
        if (run.offeredTools.length > 0) {
          tools = [...tools, ...run.offeredTools.map(toOfferedTool)];
          run.offeredTools = [];
        }
      }
      const abort = new AbortController();
      run.modelAbort = abort;
      const outer = request.runtime.signal;
      const onOuterAbort = () => abort.abort(outer?.reason);
      outer?.addEventListener('abort', onOuterAbort, { once: true });
      const startedAt = clock.now();
      const model = request.model as { withConfig?: (config: object) => unknown };
      try {
        return await raceAbort(
          Promise.resolve(
            handler({
              ...request,
              messages,
              tools,
              modelSettings,
              ...(toolChoice === undefined ? {} : { toolChoice }),
              ...(typeof model.withConfig === 'function'
                ? { model: model.withConfig({ signal: abort.signal }) as typeof request.model }
                : {}),
            }),
          ),
          abort.signal,
        );
      } catch (error) {
        if (run.interruptedNow && abort.signal.aborted && outer?.aborted !== true) {
          return new AIMessage({
            id: `reins-interrupted-${generateId()}`,
            content: '',
            response_metadata: { [interruptedKey]: true },
          });
        }
        throw error;
      } finally {
        run.lastModelDurationMs = clock.now() - startedAt;
        run.modelAbort = undefined;
        outer?.removeEventListener('abort', onOuterAbort);
      }
    },
    afterModel: {
      canJumpTo: ['end', 'model'],
      hook: (state, runtime) => {
        const run = runOf(state, runtime.configurable?.thread_id);
        const last = state.messages.at(-1);
        if (last === undefined || !AIMessage.isInstance(last)) return undefined;
        if (last.response_metadata?.[interruptedKey] === true) {
          // An urgent interruption cut the call short: drop the empty turn, decide again, go on.
          run.interruptedNow = false;
          const removal = new RemoveMessage({ id: last.id as string });
          run.stateMessages = state.messages.slice(0, -1);
          decideBeforeModel(run, context);
          const { messages, jump } = settleDecision(run, [removal]);
          return { messages, jumpTo: jump ?? 'model' };
        }
        if (run.forcing) {
          runs.delete(run.runId);
          return undefined;
        }
        const [message] = fromLangChainMessages([last]);
        if (message?.role !== 'assistant') return undefined;
        let usage = emptyUsage;
        if (last.usage_metadata !== undefined) {
          const patch = mapLangChainUsage(last.usage_metadata);
          const withCost =
            options.cost === undefined ? patch : { ...patch, costUsd: options.cost(patch) };
          addRunUsage(run, withCost);
          usage = { ...emptyUsage, ...withCost } as typeof emptyUsage;
        }
        const step: ModelStep = {
          message: { ...message, usage },
          finishReason:
            mapLangChainFinishReason(last.response_metadata as Record<string, unknown>) ??
            (message.toolCalls.length > 0 ? 'tool-calls' : 'stop'),
          usage,
          durationMs: run.lastModelDurationMs,
        };
        applyLangChainDirectives(run, run.session.afterModel?.(run.view, step), context);
        if (message.toolCalls.length === 0) {
          // The final answer: the run is done (a stop decided now changes nothing).
          runs.delete(run.runId);
          return undefined;
        }
        run.toolsAbort = new AbortController();
        if (run.ending === undefined) return undefined;
        const cancelled = message.toolCalls.map(
          (call) =>
            new ToolMessage({
              content: `Cancelled: The run ended before the call finished: ${run.ending?.message ?? 'stopped'}`,
              tool_call_id: call.id,
              name: call.name,
              status: 'error',
            }),
        );
        const { messages, jump } = settleDecision(run, cancelled);
        return { messages, jumpTo: jump ?? 'end' };
      },
    },
    wrapToolCall: async (request, handler) => {
      const run = runOf(
        request.state as { reinsRunId?: string; messages: BaseMessage[] },
        request.runtime.configurable?.thread_id,
      );
      const lcCall = request.toolCall;
      const call: ToolCall = {
        id: lcCall.id ?? `call_${lcCall.name}`,
        name: lcCall.name,
        arguments: JSON.stringify(lcCall.args ?? {}),
      };
      const answer = (result: ToolResult, durationMs: number): ToolMessage => {
        recordToolStats(run, call.name, result.status, durationMs);
        if (result.status !== 'cancelled') {
          applyLangChainDirectives(
            run,
            run.session.afterTool?.(run.view, { call, result, durationMs }),
            context,
          );
        }
        return new ToolMessage({
          content:
            result.status === 'ok'
              ? result.output
              : result.status === 'error'
                ? result.error.message
                : `Cancelled: ${result.reason}`,
          tool_call_id: call.id,
          name: call.name,
          status: result.status === 'ok' ? 'success' : 'error',
        });
      };
      const phase = run.toolsAbort;
      if (phase?.signal.aborted === true) {
        return answer({ status: 'cancelled', reason: abortReason(phase.signal) }, 0);
      }
      let timeoutMs: number | undefined;
      let decided: ToolResult | undefined;
      const others: Directive[] = [];
      for (const directive of run.session.beforeTool?.(run.view, call) ?? []) {
        if (directive.type === 'deny') {
          decided ??= {
            status: 'error',
            error: {
              code: 'tool-denied',
              message: `Tool call '${call.name}' was denied by ${directive.source}: ${directive.reason}`,
            },
          };
        } else if (directive.type === 'resolve') {
          decided ??= { status: 'ok', output: directive.output };
        } else if (directive.type === 'timeout') {
          timeoutMs = directive.ms;
        } else others.push(directive);
      }
      applyLangChainDirectives(run, others, context);
      if (decided === undefined && run.controllerToolNames.has(call.name) && !request.tool) {
        decided = {
          status: 'error',
          error: {
            code: 'tool-unavailable',
            message: `Tool '${call.name}' is offered by the controller and was not answered by it on this turn.`,
          },
        };
      }
      if (decided !== undefined) return answer(decided, 0);
      const abort = new AbortController();
      const onPhaseAbort = () => abort.abort(phase?.signal.reason);
      phase?.signal.addEventListener('abort', onPhaseAbort, { once: true });
      const timer =
        timeoutMs === undefined
          ? undefined
          : clock.setTimeout(
              () =>
                abort.abort(
                  new Error(
                    `Tool '${call.name}' timed out after ${timeoutMs} ms (set by the controller).`,
                  ),
                ),
              timeoutMs,
            );
      const startedAt = clock.now();
      const tool = request.tool as { withConfig?: (config: object) => unknown } | undefined;
      try {
        const output = await raceAbort(
          Promise.resolve(
            handler({
              ...request,
              ...(typeof tool?.withConfig === 'function'
                ? { tool: tool.withConfig({ signal: abort.signal }) as typeof request.tool }
                : {}),
            }),
          ),
          abort.signal,
        );
        const durationMs = clock.now() - startedAt;
        if (!ToolMessage.isInstance(output)) {
          recordToolStats(run, call.name, 'ok', durationMs);
          return output;
        }
        const text = textOf(output.content);
        const result: ToolResult =
          output.status === 'error'
            ? { status: 'error', error: { code: 'tool-execution', message: text } }
            : { status: 'ok', output: text };
        recordToolStats(run, call.name, result.status, durationMs);
        applyLangChainDirectives(
          run,
          run.session.afterTool?.(run.view, { call, result, durationMs }),
          context,
        );
        return output;
      } catch (error) {
        if (isGraphBubbleUp(error)) throw error;
        const durationMs = clock.now() - startedAt;
        if (phase !== undefined && isAborted(phase.signal)) {
          return answer({ status: 'cancelled', reason: abortReason(phase.signal) }, durationMs);
        }
        if (abort.signal.aborted && timeoutMs !== undefined) {
          return answer(
            {
              status: 'error',
              error: { code: 'tool-timeout', message: abortReason(abort.signal) },
            },
            durationMs,
          );
        }
        if (request.runtime.signal?.aborted === true) throw error;
        return answer(
          {
            status: 'error',
            error: {
              code: 'tool-execution',
              message: `Error: ${error instanceof Error ? error.message : String(error)}\n Please fix your mistakes.`,
            },
          },
          durationMs,
        );
      } finally {
        if (timer !== undefined) clock.clearTimeout(timer);
        phase?.signal.removeEventListener('abort', onPhaseAbort);
      }
    },
    afterAgent: (state) => {
      // Not every end passes here (a jump to the end skips it); runs are closed where they end.
      if (state.reinsRunId !== undefined) runs.delete(state.reinsRunId);
      return undefined;
    },
  });
}

const unknownModel: LangChainRunModel = Object.freeze({
  provider: 'unknown',
  modelId: 'unknown',
  capabilities: Object.freeze({ toolCalls: true, reasoning: false, logprobs: false }),
});

function describeModel(model: object | ReinsModelIdentity): LangChainRunModel {
  const given = model as Partial<ReinsModelIdentity>;
  if (typeof given.provider === 'string' && typeof given.modelId === 'string') {
    return {
      provider: given.provider,
      modelId: given.modelId,
      capabilities: { ...unknownModel.capabilities, ...given.capabilities },
    };
  }
  let target = model as Record<string, unknown>;
  if (typeof target.bound === 'object' && target.bound !== null)
    target = target.bound as Record<string, unknown>;
  let provider = 'unknown';
  try {
    if (typeof target._llmType === 'function') provider = String(target._llmType());
  } catch {
    // Some models cannot name their type before they are configured.
  }
  const modelId =
    (typeof target.model === 'string' ? target.model : undefined) ??
    (typeof target.modelName === 'string' ? target.modelName : undefined) ??
    provider;
  return {
    provider,
    modelId,
    capabilities: {
      ...unknownModel.capabilities,
      toolCalls: typeof target.bindTools === 'function',
    },
  };
}

function defaultStopMessage(ending: LangChainRunEnding): string {
  if (ending.status === 'cancelled') return `Run cancelled: ${ending.message}`;
  if (ending.status === 'paused') return `Run paused (${ending.source}): ${ending.message}`;
  return `Run stopped (${ending.reason}): ${ending.message}`;
}

/** A LangChain tool standing for a controller tool; the controller answers its calls. */
function toOfferedTool(spec: { name: string; description: string; inputSchema: object }) {
  return createLangChainTool(
    () => {
      throw new Error(`Tool '${spec.name}' is answered by the Reins controller.`);
    },
    { name: spec.name, description: spec.description, schema: spec.inputSchema as never },
  );
}

/** A copy of the request's messages with the last one marked as a cache breakpoint. */
function withCacheControl(messages: BaseMessage[], ttl: '5m' | '1h'): BaseMessage[] {
  const last = messages.at(-1);
  if (last === undefined) return messages;
  const blocks =
    typeof last.content === 'string'
      ? [{ type: 'text', text: last.content, cache_control: { type: 'ephemeral', ttl } }]
      : (last.content as Record<string, unknown>[]).map((block, index, all) =>
          index === all.length - 1
            ? { ...block, cache_control: { type: 'ephemeral', ttl } }
            : block,
        );
  let copy: BaseMessage;
  if (ToolMessage.isInstance(last)) {
    copy = new ToolMessage({
      content: blocks as never,
      tool_call_id: last.tool_call_id,
      ...(last.name === undefined ? {} : { name: last.name }),
      ...(last.status === undefined ? {} : { status: last.status }),
      ...(last.id === undefined ? {} : { id: last.id }),
    });
  } else if (AIMessage.isInstance(last)) {
    copy = new AIMessage({
      content: blocks as never,
      tool_calls: last.tool_calls ?? [],
      ...(last.id === undefined ? {} : { id: last.id }),
    });
  } else if (SystemMessage.isInstance(last)) {
    copy = new SystemMessage({ content: blocks as never });
  } else {
    copy = new HumanMessage({
      content: blocks as never,
      ...(last.id === undefined ? {} : { id: last.id }),
    });
  }
  return [...messages.slice(0, -1), copy];
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      promise.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Read through a call, so that an earlier check does not narrow it: it changes while awaiting. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'Aborted.' : String(reason);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  return `an object with keys [${Object.keys(value).join(', ')}]`;
}

export type { ReinsEvent };
