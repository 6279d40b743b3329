import { randomUUID } from 'node:crypto';
import {
  type Clock,
  type Controller,
  type Interrupt,
  type InterruptInput,
  InvalidOptionsError,
  interruptInputSchema,
  systemClock,
  type UsagePatch,
} from '@reins/core';
import { createMiddleware } from 'langchain';
import type { DirectiveContext } from './apply-langchain-directives.js';
import type { AroundCall } from './around-call.js';
import { createInterruptMailbox, type InterruptTarget } from './interrupt-mailbox.js';
import type { LangChainRun, LangChainRunEnding, LangChainRunModel } from './langchain-run.js';
import { createModelCallHook } from './model-call-hook.js';
import { describeModel, type ReinsModelIdentity, unknownModel } from './model-request-changes.js';
import {
  createReinsEventEmitter,
  type ReinsEvent,
  type ReinsEventOf,
  type ReinsEventType,
} from './reins-event.js';
import { reinsStateSchema } from './reins-thread-state.js';
import { hasCallbackHandlers, reportCustomEvent } from './report-custom-event.js';
import { createThreadRuns } from './thread-runs.js';
import { createToolCallHook } from './tool-call-hook.js';

export type { InterruptTarget } from './interrupt-mailbox.js';
export type { ReinsModelIdentity } from './model-request-changes.js';

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
   * Map `hints.ttlMs` to Anthropic `cache_control` with `ttl` on the last message of the
   * request; `'auto'` does so for models whose provider is `'anthropic'`.
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
   * The final AI message written when the controller ends a run without a final answer.
   * @defaultValue `Run stopped (reason): message` (or `cancelled`, `paused`)
   */
  readonly stopMessage?: (ending: LangChainRunEnding) => string;
  /**
   * How a run ends when the invocation's `recursionLimit` leaves no room for another tool
   * turn: `'force'` asks the model for a final answer without tools (in the last step
   * LangGraph allows), `'none'` ends with the stop message.
   * @defaultValue `'force'`
   */
  readonly finalAnswer?: 'force' | 'none';
  /**
   * Runs kept in memory between hooks. This is a cache: a run not in it is restored from the
   * thread's state.
   * @defaultValue 1000
   */
  readonly maxRuns?: number;
  /**
   * Runs each model and tool call the middleware lets through to LangChain, e.g. inside an
   * OpenTelemetry span made active (`createLangChainTracing` of `@reins/otel`), so that the
   * model's and the tools' code see it.
   * @defaultValue none: calls run as they are
   */
  readonly aroundCall?: AroundCall;
}

/** Defaults of {@link ReinsMiddlewareOptions}. */
export const defaultReinsMiddlewareOptions = Object.freeze({
  name: 'ReinsMiddleware',
  cacheControl: 'auto' as const,
  promptCacheKey: true,
  customEvents: true,
  finalAnswer: 'force' as const,
  maxRuns: 1000,
});

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
   * Interrupts a thread's run: before it starts, while it runs, or after it paused. The
   * interruption waits for the thread's next decision point (the next model call of an
   * invocation on that thread); `urgency: 'now'` also aborts the thread's model or tool calls
   * in flight, and the run decides again with the update.
   * @param input - kind, text, urgency (as `handle.interrupt` of the Reins loop).
   * @param target - the thread (`threadId`, the LangGraph `thread_id`) or run (`runId`);
   *   without one, the next decision point of any thread takes it.
   * @returns the interruption as recorded.
   * @throws {InvalidOptionsError} when the input is not a valid interruption.
   */
  interrupt(input: InterruptInput, target?: InterruptTarget): Interrupt;
}

/** The middleware object `createAgent({ middleware })` takes, with the handle's methods. */
export type ReinsMiddleware = ReturnType<typeof createReinsAgentMiddleware> & ReinsMiddlewareHandle;

/**
 * Puts a Reins controller inside a LangChain `createAgent` agent, as middleware. The same
 * controller hooks as in the Reins loop are called at the same points of each turn, from the
 * two LangChain hooks that add no graph node: `wrapModelCall` (interruptions, `beforeModel`,
 * `hints`, the model call, `afterModel`) and `wrapToolCall` (`beforeTool`, the tool call,
 * `afterTool`). A turn therefore costs LangGraph's `recursionLimit` the same steps as without
 * Reins.
 *
 * The controller's state for a thread (the run, its counters, the monitors' windows, pending
 * interruptions) lives in the agent's graph state under a private key, so the checkpointer the
 * agent was given saves it with the thread: a new process (and a new middleware) invoking the
 * thread again continues the same run. A new human message on the thread starts a new run.
 *
 * Directives become LangChain actions: ephemeral reminders are appended to the request (as a
 * `human` message, never stored); stored messages are written to the agent's state; `stop`
 * ends the run with a final AI message saying why (a forced answer is one more call without
 * tools, in the same step); `offer-tools` adds the controller's tools (e.g.
 * `request_extension`) to the request, answered by `beforeTool`'s `resolve`; `deny` answers a
 * call with an error tool message; `compact` rewrites the history; `emit` reaches `on()`
 * listeners and LangChain custom events. When the invocation's `recursionLimit` leaves no room
 * for another tool turn, the run ends with a final answer (`run.stop`, reason
 * `'recursion-limit'`) instead of LangGraph's `GraphRecursionError`.
 *
 * @param controller - a `Controller`, e.g. `createController()` from `@reins/controller`.
 * @param options - model identity, clock, cost, cache mapping, stop message.
 * @returns the middleware for `createAgent({ middleware: [...] })`, with `on` and `interrupt`.
 * @example
 * ```ts
 * const reins = reinsMiddleware(createController({ budget: createTurnBudget({ mode: 'fixed', limit: 20 }),
 *   monitors: [createStuckMonitor()] }));
 * const agent = createAgent({ model, tools, middleware: [reins] });
 * reins.on('stuck.detected', (event) => console.warn(event.message));
 * await agent.invoke({ messages: [{ role: 'user', content: 'Fix the failing test' }] }, { recursionLimit: 50 });
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
      `maxRuns is ${String(maxRuns)}; use a positive whole number of runs to keep in memory.`,
    );
  }
  const events = createReinsEventEmitter();
  const mailbox = createInterruptMailbox();
  const clock = options.clock ?? systemClock;
  const generateId = options.generateId ?? (() => randomUUID());
  /** The latest run and turn seen per thread, for the events of interruptions. */
  const latest = new Map<string, { runId: string; turn: number }>();
  /** The thread seen last: already the newest entry of `latest`, updated in place. */
  let newest: { key: string; entry: { runId: string; turn: number } } | undefined;
  const parts = createReinsAgentMiddleware(controller, options, {
    events,
    mailbox,
    clock,
    generateId,
    maxRuns,
    seen: (run) => {
      const key = run.threadId ?? '';
      // The newest entry is never the one evicted: it stays in `latest` until another thread's.
      if (newest !== undefined && newest.key === key) {
        newest.entry.runId = run.runId;
        newest.entry.turn = run.turn;
        return;
      }
      const entry = { runId: run.runId, turn: run.turn };
      latest.delete(key);
      latest.set(key, entry);
      newest = { key, entry };
      if (latest.size > maxRuns) latest.delete(latest.keys().next().value as string);
    },
  });
  const handle: ReinsMiddlewareHandle = {
    on: (type, listener) => events.on(type, listener),
    interrupt(input, target = {}) {
      const parsed = interruptInputSchema.safeParse(input);
      if (!parsed.success) {
        throw new InvalidOptionsError(
          'interrupt',
          `Invalid interrupt: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}. Use { kind: 'addition' | 'revision' | 'retraction' | 'stop', text, urgency: 'next-turn' | 'now' }.`,
        );
      }
      const known = target.threadId === undefined ? undefined : latest.get(target.threadId);
      const runId = target.runId ?? known?.runId ?? '';
      const turn = known?.turn ?? 0;
      const interrupt: Interrupt = {
        ...parsed.data,
        id: generateId(),
        receivedAt: clock.now(),
        turn,
      };
      mailbox.post(interrupt, target);
      events.emit({ runId, turn, at: clock.now(), type: 'interrupt.received', interrupt });
      return interrupt;
    },
  };
  return Object.assign(parts, handle);
}

interface MiddlewareParts {
  readonly events: ReturnType<typeof createReinsEventEmitter>;
  readonly mailbox: ReturnType<typeof createInterruptMailbox>;
  readonly clock: Clock;
  readonly generateId: () => string;
  readonly maxRuns: number;
  readonly seen: (run: LangChainRun) => void;
}

function createReinsAgentMiddleware(
  controller: Controller,
  options: ReinsMiddlewareOptions,
  parts: MiddlewareParts,
) {
  const { events, clock } = parts;
  const customEvents = options.customEvents ?? defaultReinsMiddlewareOptions.customEvents;
  let knownModel: LangChainRunModel | undefined =
    options.model === undefined ? undefined : describeModel(options.model);
  const directives: DirectiveContext = {
    clock,
    events,
    report: customEvents ? (_run, event) => reportCustomEvent(event) : () => {},
    reporting: customEvents ? hasCallbackHandlers : () => false,
  };
  const runs = createThreadRuns({
    controller,
    clock,
    generateId: parts.generateId,
    events,
    maxRuns: parts.maxRuns,
    model: () => knownModel ?? unknownModel,
  });
  const context = {
    runs: {
      resolve: (...args: Parameters<typeof runs.resolve>) => {
        const run = runs.resolve(...args);
        parts.seen(run);
        return run;
      },
      save: runs.save,
      forget: runs.forget,
    },
    mailbox: parts.mailbox,
    directives,
    clock,
    generateId: parts.generateId,
    ...(options.aroundCall === undefined ? {} : { aroundCall: options.aroundCall }),
    announceStop: (run: LangChainRun, ending: LangChainRunEnding) =>
      events.emit({
        runId: run.runId,
        turn: run.turn,
        at: clock.now(),
        type: 'run.stop',
        status: ending.status,
        reason: ending.reason,
        message: ending.message,
        source: ending.source,
      }),
  };
  const wrapModelCall = createModelCallHook(context, {
    cacheControl: options.cacheControl ?? defaultReinsMiddlewareOptions.cacheControl,
    promptCacheKey: options.promptCacheKey ?? defaultReinsMiddlewareOptions.promptCacheKey,
    cost: options.cost,
    stopMessage: options.stopMessage ?? defaultStopMessage,
    finalAnswerAtRecursionLimit:
      (options.finalAnswer ?? defaultReinsMiddlewareOptions.finalAnswer) === 'force',
    noteModel: (run, model) => {
      if (knownModel === undefined && typeof model === 'object' && model !== null) {
        knownModel = describeModel(model);
      }
      if (run.model === unknownModel && knownModel !== undefined) run.model = knownModel;
    },
  });
  return createMiddleware({
    name: options.name ?? defaultReinsMiddlewareOptions.name,
    stateSchema: reinsStateSchema,
    wrapModelCall: wrapModelCall as never,
    wrapToolCall: createToolCallHook(context) as never,
  });
}

function defaultStopMessage(ending: LangChainRunEnding): string {
  if (ending.status === 'cancelled') return `Run cancelled: ${ending.message}`;
  if (ending.status === 'paused') return `Run paused (${ending.source}): ${ending.message}`;
  return `Run stopped (${ending.reason}): ${ending.message}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  return `an object with keys [${Object.keys(value).join(', ')}]`;
}

export type { ReinsEvent };
