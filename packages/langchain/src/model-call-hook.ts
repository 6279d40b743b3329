import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  RemoveMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { Command, REMOVE_ALL_MESSAGES } from '@langchain/langgraph';
import type { UsagePatch } from '@reins/core';
import { emptyUsage, type ModelStep } from '@reins/core';
import type { ModelRequest } from 'langchain';
import { applyLangChainDirectives, decideBeforeModel } from './apply-langchain-directives.js';
import { aroundHandler } from './around-call.js';
import { toLangChainMessages } from './convert-to-langchain-messages.js';
import {
  addRunUsage,
  type LangChainRun,
  type LangChainRunEnding,
  reinsOriginKey,
} from './langchain-run.js';
import { mapLangChainFinishReason } from './map-langchain-finish-reason.js';
import { mapLangChainUsage } from './map-langchain-usage.js';
import { toOfferedTool, withCacheControl } from './model-request-changes.js';
import {
  hasRoomForAnotherTurn,
  type RecursionWindow,
  readRecursionWindow,
} from './recursion-window.js';
import type { ReinsHookContext } from './reins-hook-context.js';
import type { ReinsHookState } from './thread-runs.js';
import { writeGraphState } from './write-graph-state.js';

/** Key in an AI message's `response_metadata` of a message the middleware wrote to end a run. */
export const reinsStopKey = 'reins_stop';

/** Settings of the model-call hook. */
export interface ModelCallHookSettings {
  readonly cacheControl: 'auto' | 'anthropic' | 'none';
  readonly promptCacheKey: boolean;
  readonly cost: ((usage: UsagePatch) => number) | undefined;
  readonly stopMessage: (ending: LangChainRunEnding) => string;
  /** Whether a run ended at the recursion limit gets a final answer. */
  readonly finalAnswerAtRecursionLimit: boolean;
  /** Notes the request's model as the run's model. */
  readonly noteModel: (run: LangChainRun, model: unknown) => void;
}

type Handler = (request: ModelRequest) => Promise<AIMessage | Command> | AIMessage | Command;

/**
 * The `wrapModelCall` hook: the decision point of a turn (interruptions, `beforeModel`, the
 * recursion limit), the model call with the controller's changes to the request, `afterModel`,
 * and the run written into the thread's state, all inside LangChain's model node, so that a
 * turn costs LangGraph the same super-steps as without Reins.
 */
export function createModelCallHook(context: ReinsHookContext, settings: ModelCallHookSettings) {
  const { clock, events } = { clock: context.clock, events: context.directives.events };

  const forcedAnswer = async (
    run: LangChainRun,
    request: ModelRequest,
    handler: Handler,
    history: BaseMessage[],
    ending: LangChainRunEnding,
  ) => {
    startTurn(run);
    const modelSettings: Record<string, unknown> = { ...request.modelSettings };
    if (ending.answerMaxTokens !== undefined) modelSettings.maxTokens = ending.answerMaxTokens;
    const ephemeral = toLangChainMessages(run.ephemeral);
    run.ephemeral = [];
    const { toolChoice: _ignored, ...rest } = request;
    return handler({
      ...rest,
      messages: [
        ...history,
        ...ephemeral,
        new HumanMessage(
          `${ending.message} Give your final answer now, from what you know, without calling tools.`,
        ),
      ],
      tools: [],
      modelSettings,
    });
  };

  const startTurn = (run: LangChainRun) => {
    run.turn += 1;
    if (events.listening) {
      events.emit({ runId: run.runId, turn: run.turn, at: clock.now(), type: 'turn.start' });
    }
  };

  const stopMessage = (ending: LangChainRunEnding) =>
    new AIMessage({
      content: settings.stopMessage(ending),
      response_metadata: {
        [reinsStopKey]: { status: ending.status, reason: ending.reason, source: ending.source },
      },
    });

  /** Ends the run (the next invocation of the thread starts a new one; a paused one goes on). */
  const close = (run: LangChainRun, ending: LangChainRunEnding) => {
    context.announceStop(run, ending);
    if (ending.status === 'paused') run.ending = undefined;
    else run.ended = true;
  };

  const hook = async (
    run: LangChainRun,
    request: ModelRequest,
    langChainHandler: Handler,
  ): Promise<AIMessage | Command> => {
    const handler = aroundHandler(context.aroundCall, langChainHandler, () => ({
      kind: 'model',
      runId: run.runId,
      turn: run.turn,
    })) as Handler;
    const configurable = request.runtime.configurable as Record<string, unknown> | undefined;
    const threadId = configurable?.thread_id as string | undefined;
    settings.noteModel(run, request.model);
    const window = readRecursionWindow('model');
    let history = request.messages;
    const written: BaseMessage[] = [];
    const finish = <T>(result: T): T => {
      if (written.length > 0) writeGraphState(configurable, [['messages', written]]);
      context.runs.save(run, configurable, false);
      return result;
    };

    for (;;) {
      run.pendingInterrupts.push(...context.mailbox.take(threadId, run.runId));
      decideBeforeModel(run, context.directives);
      const update = takeStoredUpdate(run);
      if (update !== undefined) {
        written.push(...update.write);
        history = update.compacted ? update.history : [...history, ...update.history];
      }
      if (run.ending === undefined && window !== undefined && !hasRoomForAnotherTurn(window)) {
        run.ending = recursionEnding(window, settings.finalAnswerAtRecursionLimit);
      }
      const ending = run.ending;
      if (ending !== undefined) {
        close(run, ending);
        if (ending.forceAnswer && ending.status === 'stopped') {
          const answer = await forcedAnswer(run, request, handler, history, ending);
          return finish(withoutToolCalls(answer, ending));
        }
        return finish(stopMessage(ending));
      }

      startTurn(run);
      const flight = context.mailbox.track(threadId, run.runId);
      const startedAt = clock.now();
      let response: AIMessage | Command;
      try {
        const prepared = prepareRequest(run, request, history, settings, flight.signal);
        response = await flight.race(handler(prepared));
      } catch (error) {
        // An urgent interruption cut the call short: decide again with it, and call again.
        if (flight.interrupted() && request.runtime.signal?.aborted !== true) continue;
        throw error;
      } finally {
        run.lastModelDurationMs = clock.now() - startedAt;
        flight.done();
      }

      const message = answerOf(response);
      if (message === undefined) {
        run.ended = true;
        return finish(response);
      }
      applyLangChainDirectives(
        run,
        run.session.afterModel?.(run.view, toModelStep(run, message, settings.cost)),
        context.directives,
      );
      const calls = message.tool_calls ?? [];
      if (calls.length === 0 || !AIMessage.isInstance(response)) {
        // The final answer ends the run (an ending decided now changes nothing).
        run.ended = true;
        return finish(response);
      }
      const after = run.ending;
      if (after === undefined) return finish(response);
      // The controller ended the run after this call: its tool calls are cancelled.
      const cancelled = cancelledCalls(calls, after);
      close(run, after);
      if (after.forceAnswer && after.status === 'stopped') {
        // LangChain writes the last message its handler returned as the step's answer: the
        // call that ended the run and its cancelled tool calls go into the state first, so
        // that the history keeps them, in order, before the forced answer.
        written.push(response, ...cancelled);
        const answer = await forcedAnswer(
          run,
          request,
          handler,
          [...history, response, ...cancelled],
          after,
        );
        return finish(withoutToolCalls(answer, after));
      }
      return finish(new Command({ update: { messages: [...cancelled, stopMessage(after)] } }));
    }
  };

  return async (request: ModelRequest, handler: Handler): Promise<AIMessage | Command> => {
    const threadId = request.runtime.configurable?.thread_id as string | undefined;
    const run = context.runs.resolve(request.state as unknown as ReinsHookState, threadId);
    try {
      return await hook(run, request, handler);
    } catch (error) {
      // LangGraph discards the failed step's writes: so does the run kept in memory.
      context.runs.forget(run);
      throw error;
    }
  };

  /** Cancelled tool messages and the stop message after an answer that still called tools. */
  function afterToolCalls(answer: AIMessage, ending: LangChainRunEnding): BaseMessage[] {
    const calls = answer.tool_calls ?? [];
    if (calls.length === 0) return [];
    return [...cancelledCalls(calls, ending), stopMessage(ending)];
  }

  /** A forced answer that still called tools: its calls are cancelled and the run ends. */
  function withoutToolCalls(
    answer: AIMessage | Command,
    ending: LangChainRunEnding,
  ): AIMessage | Command {
    if (!AIMessage.isInstance(answer)) return answer;
    const extra = afterToolCalls(answer, ending);
    return extra.length === 0 ? answer : new Command({ update: { messages: extra } });
  }
}

/** Tool messages that cancel the calls of an answer after which the run ended. */
function cancelledCalls(
  calls: NonNullable<AIMessage['tool_calls']>,
  ending: LangChainRunEnding,
): ToolMessage[] {
  return calls.map(
    (call) =>
      new ToolMessage({
        content: `Cancelled: The run ended before the call finished: ${ending.message}`,
        tool_call_id: call.id ?? '',
        name: call.name,
        status: 'error',
      }),
  );
}

/** The run's stored messages (and a compaction) to write, and the request's history after them. */
function takeStoredUpdate(
  run: LangChainRun,
): { write: BaseMessage[]; history: BaseMessage[]; compacted: boolean } | undefined {
  const pending = run.pendingMessages;
  const compaction = run.compaction;
  if (pending.length === 0 && compaction === undefined) return undefined;
  run.pendingMessages = [];
  run.compaction = undefined;
  if (compaction === undefined) {
    run.stateMessages = [...run.stateMessages, ...pending];
    return { write: pending, history: pending, compacted: false };
  }
  const all = [...run.stateMessages, ...pending];
  const summary = new HumanMessage({
    content: compaction.summary,
    additional_kwargs: { [reinsOriginKey]: { kind: 'controller', source: 'compaction' } },
  });
  const kept = [...all.slice(0, compaction.from), summary, ...all.slice(compaction.to)];
  run.stateMessages = kept;
  return {
    write: [new RemoveMessage({ id: REMOVE_ALL_MESSAGES }), ...kept],
    history: kept,
    compacted: true,
  };
}

/**
 * The request with the controller's changes: hints, settings, reminders, offered tools, and the
 * signal that an urgent interruption aborts. Objects are copied with `Object.assign`: in V8 an
 * object spread followed by new keys costs microseconds, on every call.
 */
function prepareRequest(
  run: LangChainRun,
  request: ModelRequest,
  history: BaseMessage[],
  settings: ModelCallHookSettings,
  signal: AbortSignal,
): ModelRequest {
  const hints = run.session.hints?.(run.view);
  const next = run.nextSettings;
  run.nextSettings = undefined;
  const modelSettings: Record<string, unknown> = Object.assign({}, request.modelSettings);
  if (hints !== undefined) {
    if (settings.promptCacheKey && hints.cacheKey !== undefined)
      modelSettings.promptCacheKey = hints.cacheKey;
    if (hints.extra !== undefined) Object.assign(modelSettings, hints.extra);
  }
  let toolChoice = request.toolChoice;
  if (next !== undefined) {
    if (next.maxTokens !== undefined) modelSettings.maxTokens = next.maxTokens;
    if (next.temperature !== undefined) modelSettings.temperature = next.temperature;
    if (next.logprobs !== undefined) {
      modelSettings.logprobs = true;
      modelSettings.topLogprobs = next.logprobs.topLogprobs;
    }
    if (next.toolChoice !== undefined) toolChoice = next.toolChoice;
  }
  let messages = history;
  const ttlMs = hints?.ttlMs;
  if (
    ttlMs !== undefined &&
    (settings.cacheControl === 'anthropic' ||
      (settings.cacheControl === 'auto' && run.model.provider === 'anthropic'))
  ) {
    messages = withCacheControl(messages, ttlMs > 300_000 ? '1h' : '5m');
  }
  if (run.ephemeral.length > 0) messages = [...messages, ...toLangChainMessages(run.ephemeral)];
  run.ephemeral = [];
  let tools = request.tools;
  if (run.offeredTools.length > 0) {
    tools = [...tools, ...run.offeredTools.map(toOfferedTool)];
    run.offeredTools = [];
  }
  modelSettings.signal = signal;
  const prepared: ModelRequest = Object.assign({}, request, { messages, tools, modelSettings });
  if (toolChoice !== undefined) prepared.toolChoice = toolChoice;
  return prepared;
}

/** The model's message in what the model node's handler returned. */
function answerOf(response: unknown): AIMessage | undefined {
  if (AIMessage.isInstance(response)) return response;
  const messages = (response as { messages?: unknown } | null)?.messages;
  if (Array.isArray(messages)) return messages.find((message) => AIMessage.isInstance(message));
  return undefined;
}

function toModelStep(
  run: LangChainRun,
  last: AIMessage,
  cost: ((usage: UsagePatch) => number) | undefined,
): ModelStep {
  // The view reads the same conversion when the answer joins the history.
  const converted = run.toReinsMessage(last);
  const message =
    converted.role === 'assistant'
      ? converted
      : { role: 'assistant' as const, content: '', toolCalls: [] };
  let usage = emptyUsage;
  if (last.usage_metadata !== undefined) {
    const patch = mapLangChainUsage(last.usage_metadata);
    const withCost =
      cost === undefined ? patch : Object.assign({}, patch, { costUsd: cost(patch) });
    addRunUsage(run, withCost);
    usage = Object.assign({}, emptyUsage, withCost);
  }
  return {
    message: Object.assign({}, message, { usage }),
    finishReason:
      mapLangChainFinishReason(last.response_metadata as Record<string, unknown>) ??
      (message.toolCalls.length > 0 ? 'tool-calls' : 'stop'),
    usage,
    durationMs: run.lastModelDurationMs,
  };
}

/** The ending when the invocation's `recursionLimit` leaves no room for another tool turn. */
function recursionEnding(window: RecursionWindow, finalAnswer: boolean): LangChainRunEnding {
  return {
    status: 'stopped',
    reason: 'recursion-limit',
    message: `LangGraph's recursionLimit of ${window.limit} leaves no room for another tool turn after step ${window.step}. Raise it with agent.invoke(input, { recursionLimit }) to allow more turns.`,
    source: 'langgraph',
    forceAnswer: finalAnswer,
  };
}
