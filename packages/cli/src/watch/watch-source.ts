import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent, Usage } from '@reins/core';
import { parseEventLog } from '@reins/trajectories';
import type { WatchedRun } from './watch-state.js';

/** What one read of a watched path found. */
export interface WatchRead {
  /** Events appended to event logs since the last read, in file order. */
  readonly events: AgentEvent[];
  /** Runs read from checkpoint state files (`<runId>.json`), as they stand now. */
  readonly checkpoints: WatchedRun[];
}

/** Reads what is new in an event log, or a folder of event logs and checkpoints, at each call. */
export interface WatchSource {
  read(): Promise<WatchRead>;
}

/** Files named like this in a folder are event logs (`recordEventLog`). */
const eventLogName = /\.events\.jsonl$/;

/** Follows one event log: each read returns the complete lines appended since the last. */
function createEventLogTail(file: string) {
  let offset = 0;
  let pending = '';
  return async (): Promise<AgentEvent[]> => {
    const { size } = await stat(file);
    if (size < offset) {
      // The file was replaced: start again from its beginning.
      offset = 0;
      pending = '';
    }
    if (size === offset) return [];
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      offset += bytesRead;
      const text = pending + buffer.subarray(0, bytesRead).toString('utf8');
      const complete = text.lastIndexOf('\n') + 1;
      pending = text.slice(complete);
      return parseEventLog(text.slice(0, complete), file);
    } finally {
      await handle.close();
    }
  };
}

interface StoredCheckpointState {
  readonly runId: string;
  readonly task: string;
  readonly status: WatchedRun['status'];
  readonly turn: number;
  readonly usage: Usage;
  readonly grantedTurns: number;
  readonly savedAt: number;
  readonly intentUpdates: readonly { kind: string; urgency: string; text: string; turn: number }[];
  readonly pendingInterrupts: readonly {
    kind: string;
    urgency: string;
    text: string;
    turn: number;
  }[];
  readonly toolStats: Readonly<Record<string, { readonly errors: number }>>;
  readonly result?: { readonly reason?: string; readonly message?: string };
}

function isCheckpointState(value: unknown): value is StoredCheckpointState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    typeof state.runId === 'string' &&
    typeof state.status === 'string' &&
    typeof state.turn === 'number' &&
    typeof state.usage === 'object' &&
    typeof state.messagesFile === 'string'
  );
}

/** A run as its checkpoint state file tells it. */
function fromCheckpoint(state: StoredCheckpointState): WatchedRun {
  const interruption = (interrupt: StoredCheckpointState['intentUpdates'][number], verb: string) =>
    `${interrupt.kind} (${interrupt.urgency}) ${verb} at turn ${interrupt.turn}${interrupt.text === '' ? '' : `: ${interrupt.text}`}`;
  const ending = [state.result?.reason, state.result?.message].filter((part) => part !== undefined);
  return {
    runId: state.runId,
    task: state.task,
    status: state.status,
    turn: state.turn,
    usage: state.usage,
    policies: new Map(),
    interruptions: [
      ...state.intentUpdates.map((interrupt) => interruption(interrupt, 'applied')),
      ...state.pendingInterrupts.map((interrupt) => interruption(interrupt, 'pending')),
    ],
    ...(state.grantedTurns > 0 ? { lastDecision: `${state.grantedTurns} turns granted` } : {}),
    runningTools: new Map(),
    toolErrors: Object.values(state.toolStats).reduce((sum, stats) => sum + stats.errors, 0),
    ...(ending.length > 0 ? { ending: ending.join(': ') } : {}),
    lastAt: state.savedAt,
  };
}

/**
 * Creates the reader of a watched path: an event log file (`recordEventLog`), or a folder
 * holding event logs (`*.events.jsonl`) and checkpoint state files (`<runId>.json`, from
 * `createFileCheckpointer`), new files included as they appear.
 * @example
 * ```ts
 * const source = await createWatchSource('runs/events.jsonl');
 * const { events } = await source.read();
 * ```
 */
export async function createWatchSource(path: string): Promise<WatchSource> {
  const info = await stat(path);
  if (info.isFile()) {
    const tail = createEventLogTail(path);
    return { read: async () => ({ events: await tail(), checkpoints: [] }) };
  }
  const tails = new Map<string, () => Promise<AgentEvent[]>>();
  return {
    read: async () => {
      const names = (await readdir(path)).sort();
      const events: AgentEvent[] = [];
      const checkpoints: WatchedRun[] = [];
      for (const name of names) {
        const file = join(path, name);
        if (eventLogName.test(name)) {
          let tail = tails.get(file);
          if (tail === undefined) {
            tail = createEventLogTail(file);
            tails.set(file, tail);
          }
          events.push(...(await tail()));
        } else if (name.endsWith('.json')) {
          let value: unknown;
          try {
            value = JSON.parse(await readFile(file, 'utf8'));
          } catch {
            continue; // being replaced, or not a checkpoint
          }
          if (isCheckpointState(value)) checkpoints.push(fromCheckpoint(value));
        }
      }
      return { events, checkpoints };
    },
  };
}
