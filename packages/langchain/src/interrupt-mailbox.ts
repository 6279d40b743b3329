import type { Interrupt } from '@reins/core';

/** Which thread (or run) an interruption is for. */
export interface InterruptTarget {
  /** The LangGraph `thread_id` the agent is invoked with. */
  readonly threadId?: string;
  /** The run id of the controller's run (as events report it). */
  readonly runId?: string;
}

/** Work in flight on a thread that an urgent interruption aborts. */
interface InFlight {
  readonly abort: AbortController;
  interrupted: boolean;
}

/**
 * Interruptions waiting for the next decision point of their thread, and the model or tool
 * calls in flight that an urgent one aborts. Entries live only between the arrival of an
 * interruption and the decision point that applies it, and while a call runs (removed in a
 * `finally`): nothing here outlives an invocation that failed.
 */
export interface InterruptMailbox {
  /** Queues an interruption; an urgent one also aborts the target's calls in flight. */
  post(interrupt: Interrupt, target: InterruptTarget): void;
  /** Takes the interruptions for this thread or run (and those addressed to any). */
  take(threadId: string | undefined, runId: string): Interrupt[];
  /**
   * Registers a call in flight on a thread and run.
   * @returns the call's abort controller, whether an interruption aborted it, and its removal.
   */
  track(
    threadId: string | undefined,
    runId: string,
  ): { readonly signal: AbortSignal; interrupted(): boolean; done(): void };
}

const anyKey = 'any';
const threadKey = (threadId: string | undefined) =>
  threadId === undefined ? 'thread:' : `thread:${threadId}`;
const runKey = (runId: string) => `run:${runId}`;

/** Creates an empty {@link InterruptMailbox}. */
export function createInterruptMailbox(): InterruptMailbox {
  const queued = new Map<string, Interrupt[]>();
  const inFlight = new Map<string, Set<InFlight>>();
  const keyOf = (target: InterruptTarget) =>
    target.runId !== undefined
      ? runKey(target.runId)
      : target.threadId !== undefined
        ? threadKey(target.threadId)
        : anyKey;
  const drain = (key: string, into: Interrupt[]) => {
    const list = queued.get(key);
    if (list === undefined) return;
    queued.delete(key);
    into.push(...list);
  };
  const abortAll = (entries: Iterable<InFlight>) => {
    for (const entry of entries) {
      if (entry.abort.signal.aborted) continue;
      entry.interrupted = true;
      entry.abort.abort(new Error('Interrupted by the user before it finished.'));
    }
  };
  return {
    post(interrupt, target) {
      const key = keyOf(target);
      const list = queued.get(key) ?? [];
      list.push(interrupt);
      queued.set(key, list);
      if (interrupt.urgency !== 'now') return;
      if (key === anyKey) for (const entries of inFlight.values()) abortAll(entries);
      else abortAll(inFlight.get(key) ?? []);
    },
    take(threadId, runId) {
      const taken: Interrupt[] = [];
      drain(threadKey(threadId), taken);
      drain(runKey(runId), taken);
      drain(anyKey, taken);
      return taken.sort((a, b) => a.receivedAt - b.receivedAt);
    },
    track(threadId, runId) {
      const entry: InFlight = { abort: new AbortController(), interrupted: false };
      const keys = [threadKey(threadId), runKey(runId)];
      for (const key of keys) {
        const set = inFlight.get(key) ?? new Set();
        set.add(entry);
        inFlight.set(key, set);
      }
      return {
        signal: entry.abort.signal,
        interrupted: () => entry.interrupted,
        done: () => {
          for (const key of keys) {
            const set = inFlight.get(key);
            set?.delete(entry);
            if (set?.size === 0) inFlight.delete(key);
          }
        },
      };
    },
  };
}
