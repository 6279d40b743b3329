import type { Context, Span } from '@opentelemetry/api';

/** A running tool call's span, and the context it was started in (its turn's). */
export interface ToolCallSpan {
  readonly span: Span;
  readonly parent: Context;
}

/**
 * The tool calls running in each traced run, by run id: each run's tracer registers its own map
 * of call id to span once, and adds a call to it on `tool.start` (emitted just before the
 * tool's `execute` is called) and removes it on `tool.end`; a traced tool looks its call up to
 * run inside its span.
 */
const runs = new Map<string, ReadonlyMap<string, ToolCallSpan>>();

/** Makes a run's running tool calls findable by {@link getToolCallSpan}. */
export function registerToolCalls(runId: string, calls: ReadonlyMap<string, ToolCallSpan>): void {
  runs.set(runId, calls);
}

/** Forgets a run's tool calls (unless another tracer of the same run replaced them). */
export function unregisterToolCalls(runId: string, calls: ReadonlyMap<string, ToolCallSpan>): void {
  if (runs.get(runId) === calls) runs.delete(runId);
}

/** The span of a running tool call and its parent context, if its run is traced. */
export function getToolCallSpan(runId: string, callId: string): ToolCallSpan | undefined {
  return runs.size === 0 ? undefined : runs.get(runId)?.get(callId);
}
