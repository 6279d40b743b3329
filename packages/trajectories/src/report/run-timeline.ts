import type { AgentEvent, Evidence, RunResult, Usage } from '@reins/core';

/** One decision, controller event, interruption or pause on a run's timeline. */
export interface TimelineEntry {
  /** `decision` (a directive applied), `event` (a controller event), `interrupt`, `pause`. */
  readonly kind: 'decision' | 'event' | 'interrupt' | 'pause';
  /** What happened, e.g. `stop`, `grant-turns`, `budget.extended`, `interrupt.received`. */
  readonly name: string;
  /** The policy or part that decided (`turn-budget`, `loop`, …), when known. */
  readonly source?: string;
  /** A sentence: the reason, the controller's message or the interruption's text. */
  readonly text: string;
  /** The numbers it was based on. */
  readonly evidence?: Evidence;
  /** Milliseconds since the run started. */
  readonly atMs: number;
}

/** One tool call of a turn. */
export interface TimelineToolCall {
  readonly name: string;
  readonly callId: string;
  readonly status: 'ok' | 'error' | 'cancelled' | 'running';
  readonly durationMs?: number;
  /** The error message or cancellation reason. */
  readonly detail?: string;
}

/** One turn: its model call, its tool calls, and what was decided during and right after it. */
export interface TimelineTurn {
  readonly turn: number;
  readonly startMs: number;
  model?: {
    readonly finishReason: string;
    readonly usage: Usage;
    readonly durationMs: number;
    readonly toolNames: readonly string[];
  };
  readonly tools: TimelineToolCall[];
  /** Entries in order, those at the decision point after the turn included. */
  readonly entries: TimelineEntry[];
}

/** A run's timeline, built from its events. */
export interface RunTimeline {
  readonly runId: string;
  task?: string;
  /** Entries before the first turn. */
  readonly before: TimelineEntry[];
  readonly turns: TimelineTurn[];
  result?: RunResult;
}

function directiveText(event: AgentEvent & { type: 'directive.applied' }): string {
  const { directive } = event;
  switch (directive.type) {
    case 'stop':
      return `${directive.reason}: ${directive.message}`;
    case 'grant-turns':
      return `+${directive.turns} turns: ${directive.reason}`;
    case 'inject':
      return `${directive.ephemeral ? 'reminder' : 'message'} (${directive.role}): ${directive.content}`;
    case 'cancel':
    case 'pause':
      return directive.reason;
    case 'model-settings':
      return JSON.stringify(directive.settings);
    case 'offer-tools':
      return directive.tools.map((tool) => tool.name).join(', ');
    case 'compact':
      return `messages ${directive.from}–${directive.to} summarised`;
    case 'emit':
      return directive.event.message;
  }
}

/**
 * Builds each run's timeline from its events (from `readEventLog` or `handle.on('*')`): turns
 * with their model call and tool calls, and every decision, controller event, interruption and
 * pause with its evidence, placed in the turn it was made in or right after.
 * @param events - events of one or more runs, in the order they were emitted.
 * @returns one timeline per run, in order of first appearance.
 * @example
 * ```ts
 * const [timeline] = toRunTimelines(await readEventLog('runs/events.jsonl'));
 * ```
 */
export function toRunTimelines(events: readonly AgentEvent[]): RunTimeline[] {
  const runs = new Map<string, RunTimeline & { startedAt: number }>();
  for (const event of events) {
    let run = runs.get(event.runId);
    if (run === undefined) {
      run = { runId: event.runId, before: [], turns: [], startedAt: event.at };
      runs.set(event.runId, run);
    }
    const atMs = event.at - run.startedAt;
    const current = run.turns.at(-1);
    const add = (entry: TimelineEntry) =>
      (current === undefined ? run.before : current.entries).push(entry);
    switch (event.type) {
      case 'run.start':
        run.task = event.task;
        break;
      case 'turn.start':
        run.turns.push({ turn: event.turn, startMs: atMs, tools: [], entries: [] });
        break;
      case 'model.start':
        break;
      case 'model.end':
        if (current !== undefined)
          current.model = {
            finishReason: event.finishReason,
            usage: event.usage,
            durationMs: event.durationMs,
            toolNames: event.message.toolCalls.map((call) => call.name),
          };
        break;
      case 'tool.start':
        current?.tools.push({ name: event.call.name, callId: event.call.id, status: 'running' });
        break;
      case 'tool.end': {
        if (current === undefined) break;
        const index = current.tools.findIndex((tool) => tool.callId === event.call.id);
        const { result } = event;
        const detail =
          result.status === 'error'
            ? result.error.message
            : result.status === 'cancelled'
              ? result.reason
              : undefined;
        const call: TimelineToolCall = {
          name: event.call.name,
          callId: event.call.id,
          status: result.status,
          durationMs: event.durationMs,
          ...(detail === undefined ? {} : { detail }),
        };
        if (index >= 0) current.tools[index] = call;
        else current.tools.push(call);
        break;
      }
      case 'directive.applied': {
        const { directive } = event;
        if (directive.type === 'emit') break;
        add({
          kind: 'decision',
          name: directive.type,
          source: directive.source,
          text: directiveText(event),
          atMs,
          ...('evidence' in directive && directive.evidence !== undefined
            ? { evidence: directive.evidence }
            : {}),
        });
        break;
      }
      case 'interrupt.received':
      case 'interrupt.applied':
        add({
          kind: 'interrupt',
          name: event.type,
          text: `${event.interrupt.kind} (${event.interrupt.urgency})${event.interrupt.text === '' ? '' : `: ${event.interrupt.text}`}`,
          atMs,
          evidence: {
            id: event.interrupt.id,
            ...(event.type === 'interrupt.applied'
              ? { directives: event.directives.map((directive) => directive.type).join(', ') }
              : {}),
          },
        });
        break;
      case 'run.pause':
        add({ kind: 'pause', name: 'run.pause', text: event.reason, atMs });
        break;
      case 'run.resume':
        add({ kind: 'pause', name: 'run.resume', text: 'Resumed.', atMs });
        break;
      case 'run.end':
        run.result = event.result;
        break;
      default:
        if ('controller' in event)
          add({
            kind: 'event',
            name: event.type,
            source: event.policy,
            text: event.message,
            evidence: event.evidence,
            atMs,
          });
    }
  }
  return [...runs.values()].map(({ startedAt: _startedAt, ...run }) => run);
}
