import type { AgentEvent, Evidence, Usage } from '@reins/core';

/** `key=value` pairs of a decision's evidence. */
export function formatEvidence(evidence: Evidence | undefined): string {
  if (evidence === undefined) return '';
  const pairs = Object.entries(evidence).map(([key, value]) => `${key}=${String(value)}`);
  return pairs.length === 0 ? '' : ` {${pairs.join(', ')}}`;
}

/** Tokens and cost of a usage, as `620 in / 58 out tokens, $0.0123`. */
export function formatUsage(usage: Usage): string {
  return `${usage.inputTokens} in / ${usage.outputTokens} out tokens, $${usage.costUsd.toFixed(4)}`;
}

/**
 * One line for an event worth a line when `reins watch` writes plain lines (its output is not a
 * terminal): turn ends with the totals, decisions and controller events with their evidence,
 * interruptions, failed and cancelled tools, pauses and the run's end.
 * @returns the line (without the newline), or `undefined` for events that get none.
 * @example
 * ```ts
 * const line = describeWatchEvent(event); // '[run-1] turn 3 ended: 300 in / 30 out tokens, $0.0000'
 * ```
 */
export function describeWatchEvent(event: AgentEvent): string | undefined {
  const prefix = `[${event.runId}]`;
  switch (event.type) {
    case 'run.start':
      return `${prefix} run started${event.resumed ? ' (resumed)' : ''}: ${event.task}`;
    case 'turn.end':
      return `${prefix} turn ${event.turn} ended: ${formatUsage(event.totalUsage)} so far`;
    case 'tool.end':
      if (event.result.status === 'error')
        return `${prefix} tool ${event.call.name} failed at turn ${event.turn}: ${event.result.error.message}`;
      if (event.result.status === 'cancelled')
        return `${prefix} tool ${event.call.name} cancelled at turn ${event.turn}: ${event.result.reason}`;
      return undefined;
    case 'directive.applied': {
      const { directive } = event;
      if (directive.type === 'emit' || directive.type === 'inject') return undefined;
      const detail =
        directive.type === 'stop'
          ? `${directive.reason}: ${directive.message}${formatEvidence(directive.evidence)}`
          : directive.type === 'grant-turns'
            ? `+${directive.turns} turns: ${directive.reason}${formatEvidence(directive.evidence)}`
            : 'reason' in directive
              ? directive.reason
              : '';
      return `${prefix} decision ${directive.type} by ${directive.source} after turn ${event.turn}${detail === '' ? '' : `: ${detail}`}`;
    }
    case 'interrupt.received':
    case 'interrupt.applied': {
      const { interrupt } = event;
      const verb = event.type === 'interrupt.received' ? 'received' : 'applied';
      return `${prefix} interruption ${verb} at turn ${event.turn}: ${interrupt.kind} (${interrupt.urgency})${interrupt.text === '' ? '' : ` ${interrupt.text}`}`;
    }
    case 'run.pause':
      return `${prefix} paused at turn ${event.turn}: ${event.reason}`;
    case 'run.resume':
      return `${prefix} resumed at turn ${event.turn}`;
    case 'run.end': {
      const { result } = event;
      const why = result.reason === undefined ? '' : ` (${result.reason})`;
      return `${prefix} run ended ${result.status}${why} after ${result.turns} turns: ${formatUsage(result.usage)}`;
    }
    default:
      if ('controller' in event)
        return `${prefix} ${event.type} by ${event.policy} at turn ${event.turn}: ${event.message}${formatEvidence(event.evidence)}`;
      return undefined;
  }
}
