import { fromPromise, setup } from 'xstate';
import type { AgentContext, Ending, RunnableCall } from './agent-context.js';
import { applyDirectives } from './apply-directives.js';
import type { CheckpointWriter } from './checkpoint-writer.js';
import type { RunCheckpoint } from './checkpointer.js';
import type { ModelCallOutcome } from './controller.js';
import { defaultInterruptDirectives } from './default-interrupt-directives.js';
import { describeUnknown } from './describe-unknown.js';
import { type Draft, draftMessage, newDraft, recordPart } from './draft.js';
import { ReinsError } from './errors/reins-error.js';
import { UnknownToolError } from './errors/unknown-tool-error.js';
import type { Interrupt } from './interrupt.js';
import type { ToolCall, ToolResult } from './message.js';
import { type ModelCallEvent, type ModelCallInput, modelCallActor } from './model-call-actor.js';
import { parseToolArguments } from './parse-tool-arguments.js';
import { type QuietEvent, quietActor } from './quiet-actor.js';
import { toCheckpoint } from './to-checkpoint.js';
import { type ToolCallsEvent, toolCallsActor } from './tool-calls-actor.js';
import { readToolDirectives } from './tool-directives.js';
import { resolveToolSet } from './tool-set.js';
import { addUsage, emptyUsage } from './usage.js';

/** Events a caller (through the run handle) sends to the loop. */
export type AgentControlEvent =
  | { readonly type: 'START' }
  | { readonly type: 'INTERRUPT'; readonly interrupt: Interrupt }
  | { readonly type: 'PAUSE'; readonly reason: string }
  | { readonly type: 'RESUME' }
  | { readonly type: 'ABORT'; readonly reason: string };

/** Every event the loop machine accepts. */
export type AgentMachineEvent = AgentControlEvent | ModelCallEvent | ToolCallsEvent | QuietEvent;

const base = (context: AgentContext) => ({
  runId: context.runId,
  turn: context.turn,
  at: context.deps.clock.now(),
});

/** Queues a checkpoint of the run as it stands, when the run has a checkpointer. */
function saveCheckpoint(context: AgentContext, status: RunCheckpoint['status']): void {
  if (context.deps.checkpoints.enabled)
    context.deps.checkpoints.queue(toCheckpoint(context, status));
}

/**
 * The Reins id of a tool call: the turn and the call's position make it unique within the run
 * (a turn number is never reused once its step is saved), and a suffix derived from the run id
 * keeps calls of different runs apart.
 */
function callIdMaker(context: AgentContext): (position: number) => string {
  const { turn } = context;
  return (position) => `call_${turn}_${position}_${context.deps.callIdSuffix}`;
}

/** The model-call actor's input: the request, and where its parts go (draft and events). */
/**
 * Reads the tool sources for the coming turn. A source that throws or returns an invalid tool
 * fails the run (through `failure`), rather than offering the model a list it cannot call.
 */
function refreshToolSet(context: AgentContext): void {
  const { ownTools, toolSources } = context.deps;
  if (toolSources.length === 0) return;
  try {
    context.toolSet = resolveToolSet(ownTools, toolSources, context.toolSet);
  } catch (error) {
    context.failure ??= ReinsError.isInstance(error)
      ? error
      : new ReinsError(
          'internal',
          `A tool source failed to list its tools: ${describeUnknown(error)}`,
          { cause: error },
        );
  }
}

function modelCallInput(context: AgentContext): ModelCallInput {
  const draft = context.draft;
  return {
    backend: context.deps.backend,
    request: context.request ?? { messages: [], tools: [] },
    onPart: (part) => {
      if (draft !== undefined) recordPart(draft, part);
      context.deps.emit({ ...base(context), type: 'model.delta', part });
    },
  };
}

/**
 * Tells the controller how a model call ended (or that the call `beforeModel` prepared was not
 * made), with what a cost account needs to settle it.
 */
function reportModelCallEnd(
  context: AgentContext,
  draft: Draft | undefined,
  outcome: ModelCallOutcome,
): void {
  const { controller } = context.deps;
  if (controller.onModelCallEnd === undefined) return;
  const reported = draft !== undefined && Object.keys(draft.usage).length > 0;
  applyDirectives(
    context,
    controller.onModelCallEnd(context.view, {
      outcome,
      forced: draft?.forced ?? false,
      reportedUsage: reported ? addUsage(emptyUsage, draft.usage) : undefined,
      outputBytes: draft?.output.bytes ?? 0,
      restarts: draft?.restarts ?? 0,
    }),
  );
}

function recordResult(
  context: AgentContext,
  call: ToolCall,
  result: ToolResult,
  durationMs: number,
): void {
  context.results[call.id] = result;
  const stats = context.toolStats[call.name] ?? { calls: 0, errors: 0, cancelled: 0, totalMs: 0 };
  context.toolStats[call.name] = {
    calls: stats.calls + 1,
    errors: stats.errors + (result.status === 'error' ? 1 : 0),
    cancelled: stats.cancelled + (result.status === 'cancelled' ? 1 : 0),
    totalMs: stats.totalMs + durationMs,
  };
  context.deps.emit({ ...base(context), type: 'tool.end', call, result, durationMs });
  if (result.status !== 'cancelled') {
    applyDirectives(
      context,
      context.deps.controller.afterTool?.(context.view, { call, result, durationMs }),
    );
  }
}

/**
 * Ends the current turn in history: keeps a partial model output (marked interrupted), answers
 * every open tool call (with its result, or `cancelled`), and emits `turn.end`.
 */
function settleTurn(
  context: AgentContext,
  cancelReason: string,
  callOutcome: 'left' | 'failed' = 'left',
): void {
  const { draft } = context;
  if (draft !== undefined) {
    context.draft = undefined;
    const message = draftMessage(draft, true);
    context.usage = addUsage(context.usage, draft.usage);
    if (message.content !== '' || message.reasoning !== undefined) context.messages.push(message);
    context.deps.emit({
      ...base(context),
      type: 'model.end',
      message,
      finishReason: 'interrupted',
      usage: message.usage ?? emptyUsage,
      durationMs: context.deps.clock.now() - draft.startedAt,
    });
    reportModelCallEnd(context, draft, callOutcome);
  }
  if (context.openCalls.length > 0) {
    for (const call of context.openCalls) {
      if (context.results[call.id] === undefined) {
        recordResult(context, call, { status: 'cancelled', reason: cancelReason }, 0);
      }
    }
    for (const call of context.openCalls) {
      const result = context.results[call.id] as ToolResult;
      context.messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, result });
    }
    context.openCalls = [];
    context.runnableCalls = [];
    context.results = {};
  }
  if (context.turnOpen) {
    context.turnOpen = false;
    const turnUsage = addUsage(context.usage, {
      inputTokens: -context.usageAtTurnStart.inputTokens,
      cachedInputTokens: -context.usageAtTurnStart.cachedInputTokens,
      outputTokens: -context.usageAtTurnStart.outputTokens,
      reasoningTokens: -context.usageAtTurnStart.reasoningTokens,
      costUsd: -context.usageAtTurnStart.costUsd,
    });
    context.usageAtTurnStart = context.usage;
    context.deps.emit({
      ...base(context),
      type: 'turn.end',
      usage: turnUsage,
      totalUsage: context.usage,
    });
  }
}

/**
 * Whether the run ends with a forced final answer: a stop that asks for one, whether it ends the
 * run as stopped or as done.
 */
function forcesAnswer(ending: Ending | undefined): ending is Ending {
  return ending?.forceAnswer === true && ending.status !== 'cancelled';
}

/**
 * The instruction of the forced answer. After a call cut short in its reasoning, it closes the
 * reasoning explicitly; with a cap, it asks for the answer alone, so that reasoning does not
 * leak into it.
 */
function forcedAnswerInstruction(context: AgentContext): string {
  const ending = context.ending;
  const parts = [ending?.message ?? 'Stop now.'];
  const last = context.messages.at(-1);
  if (last?.role === 'assistant' && last.interrupted === true && last.reasoning !== undefined) {
    parts.push(
      'Your reasoning above was cut short on purpose and is now closed: do not continue it.',
    );
  }
  parts.push('Give your final answer now, from what you know, without calling tools.');
  if (ending?.answerMaxTokens !== undefined) {
    parts.push(
      `Reply with the answer only, in at most ${ending.answerMaxTokens} tokens: no reasoning, no explanation.`,
    );
  }
  return parts.join(' ');
}

/**
 * The agent loop as an XState v5 machine.
 *
 * ```text
 * idle ──START──▶ running.deciding ──▶ calling ──MODEL.END──▶ routing ──▶ acting ──TOOLS.DONE──▶ observing ─┐
 *                      ▲  │ (stop/cancel)            │                 │ (no tool calls)                  │
 *                      │  ▼                          │                 ▼                                  │
 *                      │ finishing ─▶ answering ─▶ stopped           done                                │
 *                      └──────────────────────────────────────────────────────────────────────────────────┘
 * routing ──(tool calls, with a checkpointer)──▶ recording (the step is saved: write-ahead) ──▶ acting
 * running ──PAUSE (at the next decision)──▶ paused ──RESUME──▶ running.deciding
 * finishing | answering ──(a stop with endAs: 'done')──▶ done
 * running ──RESUME (before the pause took effect)──▶ running, the pause cancelled
 * running | paused ──ABORT──▶ cancelled (answering ──ABORT──▶ stopped: the stop was decided);
 * model error / checkpoint error ──▶ failed
 * INTERRUPT (urgency now) in calling or acting ──▶ observing (in-flight work aborted)
 *   ──▶ gathering (more interrupts of the same burst queue up until it is quiet) ──▶ deciding
 * ```
 *
 * Leaving `calling` or `acting` for any reason stops their actor, which aborts the model
 * request or the running tools.
 */
export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    input: {} as AgentContext,
    events: {} as AgentMachineEvent,
  },
  actors: {
    modelCall: modelCallActor,
    toolCalls: toolCallsActor,
    flushCheckpoints: fromPromise<void, CheckpointWriter>(({ input }) => input.flush()),
    waitForQuiet: quietActor,
  },
  guards: {
    isEnding: ({ context }) => context.ending !== undefined,
    isForcingAnswer: ({ context }) => forcesAnswer(context.ending),
    isEndingDone: ({ context }) => context.ending?.status === 'done',
    isCancelling: ({ context }) => context.ending?.status === 'cancelled',
    isPauseRequested: ({ context }) => context.pauseReason !== undefined,
    hasFailed: ({ context }) => context.failure !== undefined,
    hasOpenCalls: ({ context }) => context.openCalls.length > 0,
    hasNoOpenCalls: ({ context }) => context.openCalls.length === 0,
    hasCheckpointer: ({ context }) => context.deps.checkpoints.enabled,
    isUrgent: ({ event }) => event.type === 'INTERRUPT' && event.interrupt.urgency === 'now',
    isGathering: ({ context }) => context.gathering,
  },
  actions: {
    startGathering: ({ context }) => {
      context.gathering = true;
    },
    receiveInterrupt: ({ context, event }) => {
      if (event.type !== 'INTERRUPT') return;
      context.pendingInterrupts.push(event.interrupt);
      context.deps.emit({
        ...base(context),
        type: 'interrupt.received',
        interrupt: event.interrupt,
      });
    },
    requestPause: ({ context, event }) => {
      if (event.type === 'PAUSE') context.pauseReason ??= event.reason;
    },
    cancelPause: ({ context }) => {
      context.pauseReason = undefined;
    },
    decide: ({ context }) => {
      const { controller } = context.deps;
      refreshToolSet(context);
      const interrupts = context.pendingInterrupts;
      context.pendingInterrupts = [];
      context.gathering = false;
      if (interrupts.length > 0 && controller.onInterrupts !== undefined) {
        for (const interrupt of interrupts) context.intentUpdates.push(interrupt);
        const directives =
          controller.onInterrupts(context.view, interrupts) ??
          interrupts.flatMap(defaultInterruptDirectives);
        applyDirectives(context, directives, interrupts);
        for (const interrupt of interrupts)
          context.deps.emit({ ...base(context), type: 'interrupt.applied', interrupt, directives });
      } else {
        for (const interrupt of interrupts) {
          context.intentUpdates.push(interrupt);
          const directives =
            controller.onInterrupt?.(context.view, interrupt) ??
            defaultInterruptDirectives(interrupt);
          applyDirectives(context, directives, interrupt);
          context.deps.emit({ ...base(context), type: 'interrupt.applied', interrupt, directives });
        }
      }
      if (context.ending === undefined && context.pauseReason === undefined) {
        applyDirectives(context, controller.beforeModel?.(context.view));
        // The call beforeModel prepared will not be made: release what it holds.
        if (context.ending !== undefined || context.pauseReason !== undefined)
          reportModelCallEnd(context, undefined, 'not-made');
      }
    },
    prepareForcedAnswer: ({ context }) => {
      const ending = context.ending;
      const { controller } = context.deps;
      if (!forcesAnswer(ending)) return;
      const directives = controller.beforeForcedAnswer?.(context.view);
      applyDirectives(context, directives);
      // A stop here refuses the extra call: the run ends without the answer (a run ending as
      // done keeps its last text as its output).
      if (directives?.some((directive) => directive.type === 'stop'))
        context.ending = { ...ending, forceAnswer: false };
    },
    startTurn: ({ context }) => {
      context.turn += 1;
      context.turnOpen = true;
      context.deps.emit({ ...base(context), type: 'turn.start' });
      const hints = context.deps.controller.hints?.(context.view);
      // The live history, not a copy: it does not change while the call runs.
      const messages =
        context.ephemeral.length > 0
          ? context.messages.concat(context.ephemeral)
          : context.messages;
      const { toolSet } = context;
      const tools =
        context.offeredTools.length > 0
          ? toolSet.specs.concat(context.offeredTools)
          : toolSet.specs;
      const settings =
        context.nextSettings === undefined
          ? context.deps.modelSettings
          : { ...context.deps.modelSettings, ...context.nextSettings };
      context.request = {
        messages,
        tools,
        ...(hints === undefined ? {} : { hints }),
        ...(settings === undefined ? {} : { settings }),
      };
      context.ephemeral = [];
      context.offeredTools = [];
      context.nextSettings = undefined;
      context.draft = newDraft(context.deps.clock.now(), false, callIdMaker(context));
      context.deps.emit({
        ...base(context),
        type: 'model.start',
        messageCount: messages.length,
        toolNames: tools === toolSet.specs ? toolSet.names : tools.map((tool) => tool.name),
        ...(hints === undefined ? {} : { hints }),
        ...(settings === undefined ? {} : { settings }),
      });
    },
    startForcedAnswer: ({ context }) => {
      context.turn += 1;
      context.turnOpen = true;
      context.deps.emit({ ...base(context), type: 'turn.start' });
      const ending = context.ending;
      const instruction = forcedAnswerInstruction(context);
      const messages = context.messages.concat(context.ephemeral, [
        { role: 'user', content: instruction, origin: { kind: 'controller', source: 'loop' } },
      ]);
      const merged = { ...context.deps.modelSettings, ...context.nextSettings };
      const cap = ending?.answerMaxTokens;
      const settings = {
        ...merged,
        toolChoice: 'none' as const,
        ...(cap === undefined ? {} : { maxTokens: Math.min(cap, merged.maxTokens ?? cap) }),
      };
      context.request = { messages, tools: [], settings };
      context.ephemeral = [];
      context.draft = newDraft(context.deps.clock.now(), true, callIdMaker(context));
      context.deps.emit({
        ...base(context),
        type: 'model.start',
        messageCount: messages.length,
        toolNames: [],
        settings,
      });
    },
    completeStep: ({ context }) => {
      const draft = context.draft;
      if (draft === undefined) return;
      context.draft = undefined;
      const drafted = draftMessage(draft, false);
      // A forced answer is made without tools: tool calls a model returns anyway never run, so
      // they are dropped rather than left unanswered in history.
      const message =
        draft.forced && drafted.toolCalls.length > 0 ? { ...drafted, toolCalls: [] } : drafted;
      const usage = message.usage ?? emptyUsage;
      context.usage = addUsage(context.usage, usage);
      context.messages.push(message);
      const durationMs = context.deps.clock.now() - draft.startedAt;
      const finishReason = draft.finishReason ?? 'other';
      context.deps.emit({
        ...base(context),
        type: 'model.end',
        message,
        finishReason,
        usage,
        durationMs,
      });
      reportModelCallEnd(context, draft, 'completed');
      if (draft.forced) {
        context.output = message.content;
        return;
      }
      context.openCalls = message.toolCalls.slice();
      context.results = {};
      applyDirectives(
        context,
        context.deps.controller.afterModel?.(context.view, {
          message,
          finishReason,
          usage,
          durationMs,
          ...(draft.logprobs.length > 0 ? { logprobs: draft.logprobs } : {}),
        }),
      );
      if (context.openCalls.length === 0) context.output = message.content;
      else saveCheckpoint(context, 'running');
    },
    planToolCalls: ({ context }) => {
      const { deps } = context;
      const runnable: RunnableCall[] = [];
      for (const call of context.openCalls) {
        if (context.results[call.id] !== undefined) continue;
        const {
          decided: directed,
          timeoutMs,
          others,
        } = readToolDirectives(call, deps.controller.beforeTool?.(context.view, call));
        let decided = directed;
        applyDirectives(context, others);
        const tool = context.toolSet.tools.get(call.name);
        if (decided === undefined && tool === undefined) {
          decided = {
            status: 'error',
            error: new UnknownToolError(call.name, [...context.toolSet.tools.keys()]).toJSON(),
          };
        }
        if (decided === undefined && tool !== undefined) {
          const parsed = parseToolArguments(call, tool);
          if ('error' in parsed) decided = { status: 'error', error: parsed.error.toJSON() };
          else
            runnable.push({
              call,
              tool,
              input: parsed.input,
              timeoutMs: timeoutMs ?? tool.timeoutMs ?? deps.toolTimeoutMs,
            });
        }
        if (decided !== undefined) {
          deps.emit({ ...base(context), type: 'tool.start', call });
          recordResult(context, call, decided, 0);
        }
      }
      context.runnableCalls = runnable;
    },
    finishTool: ({ context, event }) => {
      if (event.type !== 'TOOL.END') return;
      recordResult(context, event.call, event.result, event.durationMs);
      saveCheckpoint(context, 'running');
    },
    commitTurn: ({ context }) => {
      settleTurn(context, 'Interrupted by the user before it finished.');
      saveCheckpoint(context, 'running');
    },
    settleForEnding: ({ context }) => {
      settleTurn(
        context,
        `The run ended before the call finished: ${context.ending?.message ?? 'stopped'}`,
      );
    },
    settleForAbort: ({ context, event }) => {
      const reason = event.type === 'ABORT' ? event.reason : 'Aborted.';
      context.ending ??= {
        status: 'cancelled',
        reason: 'aborted',
        message: reason,
        forceAnswer: false,
      };
      settleTurn(context, `Aborted: ${reason}`);
    },
    recordFailure: ({ context, event }) => {
      const error =
        context.failure !== undefined
          ? context.failure
          : event.type === 'MODEL.ERROR'
            ? event.error
            : ReinsError.isInstance((event as { error?: unknown }).error)
              ? ((event as { error?: unknown }).error as ReinsError)
              : new ReinsError('internal', describeUnknown((event as { error?: unknown }).error), {
                  cause: (event as { error?: unknown }).error,
                });
      context.error = error.toJSON();
      settleTurn(context, `The run failed: ${error.message}`, 'failed');
    },
    keepLastTextAsOutput: ({ context }) => {
      const last = context.messages.findLast((message) => message.role === 'assistant');
      if (last !== undefined && last.content !== '') context.output = last.content;
    },
    completeForcedAnswerWithError: ({ context, event }) => {
      if (event.type === 'MODEL.ERROR') context.error = event.error.toJSON();
      settleTurn(context, 'The forced answer failed.', 'failed');
    },
    announcePause: ({ context }) => {
      const reason = context.pauseReason ?? 'paused';
      context.pauseReason = undefined;
      saveCheckpoint(context, 'paused');
      context.deps.emit({ ...base(context), type: 'run.pause', reason });
    },
    announceCheckpoint: ({ context }) => {
      context.deps.emit({
        ...base(context),
        type: 'checkpoint.saved',
        messageCount: context.messages.length,
      });
    },
    announceResume: ({ context }) => {
      context.deps.emit({ ...base(context), type: 'run.resume' });
    },
  },
}).createMachine({
  id: 'agent',
  context: ({ input }) => input,
  initial: 'idle',
  states: {
    idle: {
      on: {
        RESUME: { actions: 'cancelPause' },
        START: [
          { guard: 'hasOpenCalls', target: 'running.acting' },
          { target: 'running.deciding' },
        ],
        ABORT: { target: 'cancelled', actions: 'settleForAbort' },
        INTERRUPT: { actions: 'receiveInterrupt' },
        PAUSE: { actions: 'requestPause' },
      },
    },
    running: {
      // A controller hook threw: the run fails, whatever the state was doing.
      always: { guard: 'hasFailed', target: '#agent.failed', actions: 'recordFailure' },
      on: {
        INTERRUPT: { actions: 'receiveInterrupt' },
        PAUSE: { actions: 'requestPause' },
        // A resume before the pause took effect cancels it.
        RESUME: { actions: 'cancelPause' },
        ABORT: { target: 'cancelled', actions: 'settleForAbort' },
      },
      initial: 'deciding',
      states: {
        deciding: {
          entry: 'decide',
          always: [
            { guard: 'hasFailed', target: '#agent.failed', actions: 'recordFailure' },
            { guard: 'isEnding', target: 'finishing' },
            { guard: 'isPauseRequested', target: '#agent.paused' },
            { target: 'calling', actions: 'startTurn' },
          ],
        },
        calling: {
          invoke: {
            src: 'modelCall',
            input: ({ context }) => modelCallInput(context),
          },
          on: {
            'MODEL.END': { target: 'routing', actions: 'completeStep' },
            'MODEL.ERROR': { target: '#agent.failed', actions: 'recordFailure' },
            INTERRUPT: [
              {
                guard: 'isUrgent',
                target: 'observing',
                actions: ['receiveInterrupt', 'startGathering'],
              },
              { actions: 'receiveInterrupt' },
            ],
          },
        },
        routing: {
          always: [
            { guard: 'hasFailed', target: '#agent.failed', actions: 'recordFailure' },
            { guard: 'hasNoOpenCalls', target: '#agent.done', actions: 'settleForEnding' },
            { guard: 'isEnding', target: 'finishing' },
            { guard: 'hasCheckpointer', target: 'recording' },
            { target: 'acting' },
          ],
        },
        // Write-ahead: the step that asks for tools is durable before any of them starts, so
        // a call that ran before a crash is found again, under the same id, on resume.
        recording: {
          invoke: {
            src: 'flushCheckpoints',
            input: ({ context }) => context.deps.checkpoints,
            onDone: { target: 'acting' },
            onError: { target: '#agent.failed', actions: 'recordFailure' },
          },
          on: {
            INTERRUPT: [
              {
                guard: 'isUrgent',
                target: 'observing',
                actions: ['receiveInterrupt', 'startGathering'],
              },
              { actions: 'receiveInterrupt' },
            ],
          },
        },
        acting: {
          entry: 'planToolCalls',
          invoke: {
            src: 'toolCalls',
            input: ({ context }) => ({
              calls: context.runnableCalls,
              parallel: context.deps.parallelToolCalls,
              runId: context.runId,
              clock: context.deps.clock,
              onStart: (call: ToolCall) =>
                context.deps.emit({ ...base(context), type: 'tool.start', call }),
            }),
          },
          on: {
            'TOOL.END': { actions: 'finishTool' },
            // The common path commits the turn on the way out, without the transient
            // `observing` state that urgent interrupts go through.
            'TOOLS.DONE': [
              { guard: 'hasCheckpointer', target: 'persisting', actions: 'commitTurn' },
              { target: 'deciding', actions: 'commitTurn' },
            ],
            INTERRUPT: [
              {
                guard: 'isUrgent',
                target: 'observing',
                actions: ['receiveInterrupt', 'startGathering'],
              },
              { actions: 'receiveInterrupt' },
            ],
          },
        },
        observing: {
          entry: 'commitTurn',
          always: [
            { guard: 'isGathering', target: 'gathering' },
            { guard: 'hasCheckpointer', target: 'persisting' },
            { target: 'deciding' },
          ],
        },
        gathering: {
          invoke: {
            src: 'waitForQuiet',
            input: ({ context }) => ({
              clock: context.deps.clock,
              quietMs: context.deps.interruptQuietMs,
            }),
          },
          on: {
            QUIET: [{ guard: 'hasCheckpointer', target: 'persisting' }, { target: 'deciding' }],
            INTERRUPT: { target: 'gathering', reenter: true, actions: 'receiveInterrupt' },
          },
        },
        persisting: {
          invoke: {
            src: 'flushCheckpoints',
            input: ({ context }) => context.deps.checkpoints,
            onDone: { target: 'deciding', actions: 'announceCheckpoint' },
            onError: { target: '#agent.failed', actions: 'recordFailure' },
          },
        },
        finishing: {
          entry: ['settleForEnding', 'prepareForcedAnswer'],
          always: [
            { guard: 'isCancelling', target: '#agent.cancelled' },
            { guard: 'isForcingAnswer', target: 'answering' },
            { guard: 'isEndingDone', target: '#agent.done', actions: 'keepLastTextAsOutput' },
            { target: '#agent.stopped' },
          ],
        },
        answering: {
          entry: 'startForcedAnswer',
          invoke: {
            src: 'modelCall',
            input: ({ context }) => modelCallInput(context),
          },
          on: {
            'MODEL.END': [
              {
                guard: 'isEndingDone',
                target: '#agent.done',
                actions: ['completeStep', 'settleForEnding'],
              },
              { target: '#agent.stopped', actions: ['completeStep', 'settleForEnding'] },
            ],
            'MODEL.ERROR': [
              {
                guard: 'isEndingDone',
                target: '#agent.done',
                actions: ['completeForcedAnswerWithError', 'keepLastTextAsOutput'],
              },
              { target: '#agent.stopped', actions: 'completeForcedAnswerWithError' },
            ],
            // The stop was decided already: an abort cancels the extra answer, not the ending.
            ABORT: { target: '#agent.stopped', actions: 'settleForAbort' },
          },
        },
      },
    },
    paused: {
      entry: 'announcePause',
      always: { guard: 'hasFailed', target: 'failed', actions: 'recordFailure' },
      on: {
        RESUME: { target: 'running.deciding', actions: 'announceResume' },
        INTERRUPT: { actions: 'receiveInterrupt' },
        PAUSE: {},
        ABORT: { target: 'cancelled', actions: 'settleForAbort' },
      },
    },
    done: { type: 'final' },
    stopped: { type: 'final' },
    failed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});
