import type { AgentEvent, Evidence, Usage } from '@reins/core';

/** A monitor's or policy's latest report: its event name, message and evidence. */
export interface PolicyReading {
  readonly name: string;
  readonly message: string;
  readonly evidence: Evidence;
  readonly turn: number;
}

/** What `reins watch` knows of one run. */
export interface WatchedRun {
  readonly runId: string;
  task?: string;
  status: 'running' | 'paused' | 'done' | 'stopped' | 'failed' | 'cancelled';
  /** Turns started. */
  turn: number;
  /** The last turn that ended. */
  endedTurn?: number;
  /** Turns allowed now, when a budget reported it. */
  allowedTurns?: number;
  /** Turns left, when a budget reported it. */
  turnsLeft?: number;
  usage?: Usage;
  /** Each policy's latest report (budgets, monitors, hints), by policy name. */
  readonly policies: Map<string, PolicyReading>;
  /** Interruptions, as one line each, in order. */
  readonly interruptions: string[];
  /** The latest decision, as one line. */
  lastDecision?: string;
  /** Tool calls running now, by call id: name and start time. */
  readonly runningTools: Map<string, { readonly name: string; readonly startedAt: number }>;
  /** Tool calls that failed. */
  toolErrors: number;
  /** Why the run ended, once it has. */
  ending?: string;
  /** Clock time of its latest event. */
  lastAt: number;
}

/** Every run being watched, by run id, in order of first appearance. */
export type WatchState = Map<string, WatchedRun>;

/**
 * Applies one event to the watched runs: the live state `reins watch` draws.
 * @example
 * ```ts
 * const state: WatchState = new Map();
 * for (const event of events) applyWatchEvent(state, event);
 * ```
 */
export function applyWatchEvent(state: WatchState, event: AgentEvent): WatchedRun {
  let run = state.get(event.runId);
  if (run === undefined) {
    run = {
      runId: event.runId,
      status: 'running',
      turn: event.turn,
      policies: new Map(),
      interruptions: [],
      runningTools: new Map(),
      toolErrors: 0,
      lastAt: event.at,
    };
    state.set(event.runId, run);
  }
  run.lastAt = event.at;
  run.turn = Math.max(run.turn, event.turn);
  switch (event.type) {
    case 'run.start':
      run.task = event.task;
      run.status = 'running';
      break;
    case 'turn.end':
      run.usage = event.totalUsage;
      run.endedTurn = event.turn;
      break;
    case 'tool.start':
      run.runningTools.set(event.call.id, { name: event.call.name, startedAt: event.at });
      break;
    case 'tool.end':
      run.runningTools.delete(event.call.id);
      if (event.result.status === 'error') run.toolErrors += 1;
      break;
    case 'directive.applied': {
      const { directive } = event;
      if (directive.type === 'inject' || directive.type === 'emit') break;
      const reason =
        directive.type === 'stop'
          ? directive.reason
          : directive.type === 'grant-turns'
            ? `+${directive.turns}`
            : '';
      run.lastDecision = `${directive.type}${reason === '' ? '' : ` ${reason}`} by ${directive.source} after turn ${event.turn}`;
      break;
    }
    case 'interrupt.received':
    case 'interrupt.applied': {
      const { interrupt } = event;
      const verb = event.type === 'interrupt.received' ? 'received' : 'applied';
      run.interruptions.push(
        `${interrupt.kind} (${interrupt.urgency}) ${verb} at turn ${event.turn}${interrupt.text === '' ? '' : `: ${interrupt.text}`}`,
      );
      break;
    }
    case 'run.pause':
      run.status = 'paused';
      break;
    case 'run.resume':
      run.status = 'running';
      break;
    case 'run.end': {
      const { result } = event;
      run.status = result.status;
      run.usage = result.usage;
      run.turn = result.turns;
      run.runningTools.clear();
      run.ending = [result.reason, result.message ?? result.error?.message]
        .filter((part) => part !== undefined)
        .join(': ');
      break;
    }
    default:
      if ('controller' in event) {
        run.policies.set(event.policy, {
          name: event.type,
          message: event.message,
          evidence: event.evidence,
          turn: event.turn,
        });
        const { allowedTurns, turnsLeft } = event.evidence;
        if (typeof allowedTurns === 'number') run.allowedTurns = allowedTurns;
        if (typeof turnsLeft === 'number') run.turnsLeft = turnsLeft;
      }
  }
  return run;
}
