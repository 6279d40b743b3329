import {
  addUsage,
  type Controller,
  type Directive,
  emptyUsage,
  type Message,
  type RunView,
  type ToolDirective,
  type ToolResult,
  type ToolStats,
  type Usage,
} from '@reins/core';
import {
  type ControllerFiring,
  type ControllerHook,
  type ControllerStop,
  type ControllerTrace,
  classifyDirective,
  directiveSource,
} from './controller-trace.js';
import { toReplayTurns } from './replay-turns.js';
import type { Trajectory } from './trajectory.js';

/** Options of {@link simulateController}. */
export interface SimulateControllerOptions {
  /** The run id the controller sees. @defaultValue the trajectory's id */
  readonly runId?: string;
}

/**
 * Replays a recorded run against a controller without the agent loop: the controller's hooks are
 * called in the loop's order (`beforeModel` → `hints` → model call → `afterModel` → per call
 * `beforeTool` → `afterTool`), on a {@link RunView} holding the same history, usage, tool
 * statistics and times the loop would show, and its directives are applied as the loop applies
 * them. This is the fast path of evaluation; `replayTrajectory` runs the real loop, and the two
 * agree (tests compare them).
 *
 * After a decision that is not a stop (a reminder, a compaction), the recording goes on as
 * recorded: what the agent would have done differently is unknown.
 *
 * @param trajectory - the recorded run.
 * @param controller - any controller.
 * @param options - the run id.
 * @returns what the controller did: its firings, where it stopped, calls made.
 * @example
 * ```ts
 * const trace = simulateController(trajectory, turnCap);
 * if (trace.stop) console.log(`stopped before call ${trace.stop.turn}`);
 * ```
 */
export function simulateController(
  trajectory: Trajectory,
  controller: Controller,
  options: SimulateControllerOptions = {},
): ControllerTrace {
  const runId = options.runId ?? trajectory.id;
  const turns = toReplayTurns(trajectory);
  const session = controller.open({ runId, task: trajectory.task });
  const startedAt = turns.find((turn) => turn.startedAt !== undefined)?.startedAt ?? 0;
  const state = {
    messages: [] as Message[],
    turn: 0,
    grantedTurns: 0,
    usage: emptyUsage as Usage,
    now: startedAt,
    toolStats: {} as Record<string, ToolStats>,
  };
  if (trajectory.system !== undefined)
    state.messages.push({ role: 'system', content: trajectory.system });
  state.messages.push({ role: 'user', content: trajectory.task, origin: { kind: 'task' } });
  const model = Object.freeze({
    provider: trajectory.model?.provider ?? 'replay',
    modelId: trajectory.model?.modelId ?? 'replay',
    capabilities: Object.freeze({ toolCalls: true, reasoning: true, logprobs: false }),
  });
  const view: RunView = Object.freeze({
    runId,
    task: trajectory.task,
    intentUpdates: [],
    get messages() {
      return state.messages;
    },
    get turn() {
      return state.turn;
    },
    get grantedTurns() {
      return state.grantedTurns;
    },
    get usage() {
      return state.usage;
    },
    startedAt,
    get now() {
      return state.now;
    },
    get toolStats() {
      return state.toolStats;
    },
    model,
  });

  const firings: ControllerFiring[] = [];
  let stop: ControllerStop | undefined;
  let pauseRequested = false;
  const apply = (
    directives: readonly (Directive | ToolDirective)[] | undefined,
    hook: ControllerHook,
    turn: number,
  ) => {
    if (directives === undefined) return;
    for (const directive of directives) {
      const { kind, name } = classifyDirective(directive);
      const source = directiveSource(directive);
      firings.push({ turn, hook, kind, name, ...(source === undefined ? {} : { source }) });
      switch (directive.type) {
        case 'stop':
          stop ??= {
            turn,
            hook,
            reason: directive.reason,
            source: directive.source,
            forcedAnswer: directive.finalAnswer === 'force',
          };
          break;
        case 'cancel':
          stop ??= {
            turn,
            hook,
            reason: directive.reason,
            source: directive.source,
            forcedAnswer: false,
          };
          break;
        case 'pause':
          pauseRequested = true;
          break;
        case 'grant-turns':
          state.grantedTurns += directive.turns;
          break;
        case 'inject':
          if (!directive.ephemeral) {
            state.messages.push(
              directive.role === 'system'
                ? { role: 'system', content: directive.content }
                : {
                    role: 'user',
                    content: directive.content,
                    origin: { kind: 'controller', source: directive.source },
                  },
            );
          }
          break;
        case 'compact':
          state.messages = [
            ...state.messages.slice(0, directive.from),
            {
              role: 'user',
              content: directive.summary,
              origin: { kind: 'controller', source: directive.source },
            },
            ...state.messages.slice(directive.to),
          ];
          break;
        default:
          break;
      }
    }
  };
  const recordTool = (name: string, result: ToolResult) => {
    const stats = state.toolStats[name] ?? { calls: 0, errors: 0, cancelled: 0, totalMs: 0 };
    state.toolStats = {
      ...state.toolStats,
      [name]: {
        calls: stats.calls + 1,
        errors: stats.errors + (result.status === 'error' ? 1 : 0),
        cancelled: stats.cancelled + (result.status === 'cancelled' ? 1 : 0),
        totalMs: stats.totalMs,
      },
    };
  };

  let modelCalls = 0;
  // One more call than recorded: the loop asks the replay backend once more after a last turn
  // that ended with tool calls, and gets the empty end-of-recording answer.
  for (let position = 0; position <= turns.length; position += 1) {
    const turn = turns[position];
    const upcoming = position + 1;
    // deciding: beforeModel, again after each pause (the loop re-decides on resume).
    for (let decisions = 0; decisions < 10 && stop === undefined; decisions += 1) {
      pauseRequested = false;
      apply(session.beforeModel?.(view), 'beforeModel', upcoming);
      if (!pauseRequested) break;
    }
    if (stop !== undefined) break;
    state.turn = upcoming;
    if (turn?.startedAt !== undefined && turn.startedAt > state.now) state.now = turn.startedAt;
    session.hints?.(view);
    if (turn === undefined) {
      const message: Message = { role: 'assistant', content: '', toolCalls: [], usage: emptyUsage };
      state.messages.push(message);
      apply(
        session.afterModel?.(view, {
          message,
          finishReason: 'stop',
          usage: emptyUsage,
          durationMs: 0,
        }),
        'afterModel',
        upcoming,
      );
      break;
    }
    modelCalls = upcoming;
    const message = turn.message;
    state.usage = addUsage(state.usage, turn.usage);
    state.messages.push(message);
    const calls = message.toolCalls;
    apply(
      session.afterModel?.(view, {
        message,
        finishReason: calls.length > 0 ? 'tool-calls' : 'stop',
        usage: turn.usage,
        durationMs: 0,
      }),
      'afterModel',
      upcoming,
    );
    if (calls.length === 0) break;
    if (stop !== undefined) break;
    const results = new Map<string, ToolResult>();
    const runnable: typeof calls = [];
    for (const call of calls) {
      let decided: ToolResult | undefined;
      const toolDirectives = session.beforeTool?.(view, call) ?? [];
      for (const directive of toolDirectives) {
        if (directive.type === 'deny')
          decided ??= {
            status: 'error',
            error: {
              code: 'tool-denied',
              message: `Tool call '${call.name}' was denied by ${directive.source}: ${directive.reason}`,
            },
          };
        else if (directive.type === 'resolve')
          decided ??= { status: 'ok', output: directive.output };
      }
      apply(toolDirectives, 'beforeTool', upcoming);
      if (decided === undefined) {
        runnable.push(call);
        continue;
      }
      results.set(call.id, decided);
      recordTool(call.name, decided);
      apply(
        session.afterTool?.(view, { call, result: decided, durationMs: 0 }),
        'afterTool',
        upcoming,
      );
    }
    for (const call of runnable) {
      const result: ToolResult = { status: 'ok', output: turn.outputs.get(call.id) ?? '' };
      results.set(call.id, result);
      recordTool(call.name, result);
      apply(session.afterTool?.(view, { call, result, durationMs: 0 }), 'afterTool', upcoming);
    }
    for (const call of calls) {
      state.messages.push({
        role: 'tool',
        toolCallId: call.id,
        toolName: call.name,
        result: results.get(call.id) as ToolResult,
      });
    }
  }
  return { runId, firings, ...(stop === undefined ? {} : { stop }), modelCalls };
}
