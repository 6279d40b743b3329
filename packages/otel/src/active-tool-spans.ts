import type { Span } from '@opentelemetry/api';

/**
 * The span of every tool call that is running in a traced run, by run and call id. The run's
 * tracer adds a call's span on `tool.start` (emitted just before the tool's `execute` is
 * called) and removes it on `tool.end`; a traced tool looks its span up to run inside it.
 */
const spans = new Map<string, Span>();

const key = (runId: string, callId: string) => `${runId}\u0000${callId}`;

/** Records the span of a running tool call. */
export function setToolSpan(runId: string, callId: string, span: Span): void {
  spans.set(key(runId, callId), span);
}

/** The span of a running tool call, if its run is traced. */
export function getToolSpan(runId: string, callId: string): Span | undefined {
  return spans.size === 0 ? undefined : spans.get(key(runId, callId));
}

/** Forgets a tool call's span. */
export function deleteToolSpan(runId: string, callId: string): void {
  spans.delete(key(runId, callId));
}
