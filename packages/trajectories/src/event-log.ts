import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentEvent, RunHandle } from '@reins/core';
import { TrajectoryFormatError } from './errors/trajectory-format-error.js';
import { describeJsonValue, parseJsonText } from './json-reader.js';

/** Options of {@link recordEventLog}. */
export interface RecordEventLogOptions {
  /** The JSONL file the events are appended to, one per line (created with its folder). */
  readonly file: string;
  /**
   * Keep `model.delta` events (every streamed token): large, and not needed to follow a run.
   * @defaultValue false
   */
  readonly deltas?: boolean;
}

/**
 * Appends a run's events to a JSONL file as they happen, one event per line, so that
 * `reins watch` can follow the run from another process and `reins report --events` can draw
 * its timeline. Each line is written synchronously when the event is emitted: a line in the file
 * is an event that happened, in order, even if the process is killed just after. Several runs
 * may share one file (a fleet): each event carries its `runId`.
 *
 * @param handle - the run, right after `agent.run()`.
 * @param options - the file, and whether to keep token deltas.
 * @returns a function that stops recording (it stops by itself after `run.end`).
 * @example
 * ```ts
 * const handle = agent.run('Fix the failing test');
 * recordEventLog(handle, { file: 'runs/events.jsonl' });
 * ```
 */
export function recordEventLog(handle: RunHandle, options: RecordEventLogOptions): () => void {
  mkdirSync(dirname(options.file), { recursive: true });
  const deltas = options.deltas === true;
  const listener = (event: AgentEvent) => {
    if (event.type === 'model.delta' && !deltas) return;
    appendFileSync(options.file, `${JSON.stringify(event)}\n`, 'utf8');
    if (event.type === 'run.end') handle.off('*', listener);
  };
  handle.on('*', listener);
  return () => handle.off('*', listener);
}

/**
 * Parses the text of an event log written by {@link recordEventLog}. A last line without its
 * newline is a line being written: it is left out, not an error.
 * @param text - the file's text.
 * @param file - its name, for errors.
 * @returns the events, in order.
 * @throws {TrajectoryFormatError} naming the file and line of a line that is not an event.
 * @example
 * ```ts
 * const events = parseEventLog(text, 'runs/events.jsonl');
 * ```
 */
export function parseEventLog(text: string, file: string): AgentEvent[] {
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const events: AgentEvent[] = [];
  complete.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    const value = parseJsonText(line, where);
    if (!isAgentEvent(value)) {
      throw new TrajectoryFormatError({
        file: where,
        path: '',
        expected: 'a Reins event: an object with a string type and runId and a numeric turn and at',
        received: describeJsonValue(value),
        hint: 'Each line of an event log is one event of a run; write them with recordEventLog().',
      });
    }
    events.push(value);
  });
  return events;
}

/**
 * Reads an event log written by {@link recordEventLog}.
 * @example
 * ```ts
 * const events = await readEventLog('runs/events.jsonl');
 * ```
 */
export async function readEventLog(file: string): Promise<AgentEvent[]> {
  return parseEventLog(await readFile(file, 'utf8'), file);
}

function isAgentEvent(value: unknown): value is AgentEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    typeof event.type === 'string' &&
    typeof event.runId === 'string' &&
    typeof event.turn === 'number' &&
    typeof event.at === 'number'
  );
}
