import {
  type AgentEvent,
  type Controller,
  createAgent,
  type Directive,
  type RunResult,
} from '@reins/core';
import { createSimulatedClock } from '@reins/core/testing';
import {
  type ControllerFiring,
  type ControllerHook,
  type ControllerStop,
  type ControllerTrace,
  classifyDirective,
  directiveSource,
} from './controller-trace.js';
import { createReplayBackend } from './replay-backend.js';
import type { Trajectory } from './trajectory.js';

/** Options of {@link replayTrajectory}. */
export interface ReplayTrajectoryOptions {
  /** The controller to drive the replayed run. @defaultValue none (a no-op controller) */
  readonly controller?: Controller;
  /** Every event of the run, as it happens. */
  readonly onEvent?: (event: AgentEvent) => void;
  /** Aborts the replay. */
  readonly signal?: AbortSignal;
}

/** What {@link replayTrajectory} returns. */
export interface ReplayResult {
  /** The loop's result for the replayed run. */
  readonly result: RunResult;
  /** What the controller did, read from the run's events. */
  readonly trace: ControllerTrace;
}

/**
 * Replays a recorded run through the real Reins loop (`createAgent` of `@reins/core`) with a
 * {@link createReplayBackend | replay backend} and its recorded tools, under a controller. The
 * clock is simulated and follows the recorded call times, so deadlines see recorded time. A
 * pause directive is resumed at once (a recording cannot wait) and counted as an intervention.
 *
 * @param trajectory - the recorded run.
 * @param options - the controller, an event listener, a signal.
 * @returns the run's result and the controller's trace.
 * @example
 * ```ts
 * const { result, trace } = await replayTrajectory(trajectory, { controller: turnCap });
 * console.log(result.status, trace.stop?.turn);
 * ```
 */
export async function replayTrajectory(
  trajectory: Trajectory,
  options: ReplayTrajectoryOptions = {},
): Promise<ReplayResult> {
  const firstStart = trajectory.turns.find((turn) => turn.startedAt !== undefined)?.startedAt ?? 0;
  const clock = createSimulatedClock(firstStart);
  const backend = createReplayBackend({
    trajectory,
    onTurnStart: ({ startedAt }) => {
      if (startedAt !== undefined && startedAt > clock.now()) clock.set(startedAt);
    },
  });
  let nextId = 0;
  const agent = createAgent({
    backend,
    tools: backend.tools,
    ...(trajectory.system === undefined ? {} : { instructions: trajectory.system }),
    ...(options.controller === undefined ? {} : { controller: options.controller }),
    clock,
    generateId: () => `replay-${++nextId}`,
    parallelToolCalls: false,
  });
  const runId = trajectory.id.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 120) || 'replay';
  const handle = agent.run(trajectory.task.trim() === '' ? '(no task recorded)' : trajectory.task, {
    runId,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const firings: ControllerFiring[] = [];
  let stop: ControllerStop | undefined;
  let hook: ControllerHook = 'beforeModel';
  let modelCalls = 0;
  const recorded = trajectory.turns.length;
  const record = (directive: Directive, turn: number) => {
    const { kind, name } = classifyDirective(directive);
    const source = directiveSource(directive);
    const firingTurn = hook === 'beforeModel' ? turn + 1 : turn;
    firings.push({
      turn: firingTurn,
      hook,
      kind,
      name,
      ...(source === undefined ? {} : { source }),
    });
    if ((directive.type === 'stop' || directive.type === 'cancel') && stop === undefined) {
      stop = {
        turn: firingTurn,
        hook,
        reason: directive.reason,
        source: directive.source,
        forcedAnswer: directive.type === 'stop' && directive.finalAnswer === 'force',
      };
    }
  };
  handle.on('*', (event: AgentEvent) => {
    options.onEvent?.(event);
    switch (event.type) {
      case 'turn.end':
      case 'run.start':
      case 'run.resume':
        hook = 'beforeModel';
        break;
      case 'model.end':
        hook = 'afterModel';
        if (event.turn <= recorded && stop === undefined) modelCalls = event.turn;
        break;
      case 'tool.start':
        hook = 'beforeTool';
        break;
      case 'tool.end':
        hook = 'afterTool';
        break;
      case 'directive.applied':
        record(event.directive, event.turn);
        break;
      case 'run.pause':
        queueMicrotask(() => handle.resume());
        break;
      default:
        if ('controller' in event && event.controller === true) {
          record(
            {
              type: 'emit',
              event: {
                name: event.type,
                policy: event.policy,
                message: event.message,
                evidence: event.evidence,
              },
            },
            event.turn,
          );
        }
    }
  });
  const result = await handle.result;
  return { result, trace: { runId, firings, ...(stop === undefined ? {} : { stop }), modelCalls } };
}
