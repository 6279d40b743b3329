import type { AgentEvent, ToolResult } from '@reins/core';

/** Lines of Node's own report around an uncaught error, which say nothing about the test. */
const nodeInternals = /^(node:internal|\s+at |\s*\^\s*$|\s*triggerUncaughtException|Node\.js v)/;

/**
 * A tool's output as a few readable lines: for a script that failed, its own message (the
 * assertion and the values it compared), without the stack of Node internals around it.
 */
export function summariseToolOutput(result: ToolResult, maxLines = 5): string[] {
  const text =
    result.status === 'ok'
      ? result.output
      : result.status === 'error'
        ? `error: ${result.error.message}`
        : `cancelled: ${result.reason}`;
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !nodeInternals.test(line) && !/^file:\/\//.test(line));
  const shown = lines.slice(0, maxLines);
  if (lines.length > maxLines) shown.push(`… ${lines.length - maxLines} more lines`);
  return shown;
}

/**
 * One event of the run as the lines to print, or nothing for events the account leaves out
 * (model deltas are streamed separately). Every controller decision gets a line: which policy
 * decided what, and why.
 */
export function formatEvent(event: AgentEvent): string[] {
  // A reminder is shown as the message it adds (below), not twice.
  if ('controller' in event)
    return event.type === 'budget.reminder'
      ? []
      : [`  ⚑ ${event.type} (${event.policy}): ${event.message}`];
  switch (event.type) {
    case 'run.start':
      return [`run ${event.runId}: ${event.task}`];
    case 'turn.start':
      return [`turn ${event.turn}`];
    case 'tool.start':
      return [`  → ${event.call.name}(${event.call.arguments})`];
    case 'tool.end':
      return [
        `  ← ${event.result.status} in ${event.durationMs} ms`,
        ...summariseToolOutput(event.result).map((line) => `    │ ${line}`),
      ];
    case 'interrupt.received': {
      const { interrupt } = event;
      const text = 'text' in interrupt ? `: "${interrupt.text}"` : '';
      return [`  ✉ the user sends an ${interrupt.kind} (${interrupt.urgency})${text}`];
    }
    case 'directive.applied': {
      const { directive } = event;
      if (directive.type === 'stop')
        return [`  ■ ${directive.source} stops the run: ${directive.message}`];
      if (directive.type !== 'inject') return [];
      const text = directive.content.replaceAll('\n', ' ');
      const shown = text.length > 110 ? `${text.slice(0, 110)}…` : text;
      const how = directive.ephemeral ? 'tells the model, this call only' : 'adds to the history';
      return [`  ↳ ${directive.source} ${how}: "${shown}"`];
    }
    case 'run.end':
      return [
        `run ${event.result.status} after ${event.result.turns} turns: ${event.result.output ?? event.result.message ?? ''}`,
      ];
    default:
      return [];
  }
}
