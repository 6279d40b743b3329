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
  readonly threadId: string | undefined;
  readonly runId: string;
  /** Made on first read of the call's signal: creating an `AbortSignal` costs microseconds. */
  abort: AbortController | undefined;
  interrupted: boolean;
  /** Rejects the call's {@link CallInFlight.race}, while one waits. */
  reject: ((reason: unknown) => void) | undefined;
}

/** A model or tool call registered with {@link InterruptMailbox.track}. */
export interface CallInFlight {
  /** Aborted by an urgent interruption for the call's thread or run. */
  readonly signal: AbortSignal;
  /** Whether an urgent interruption aborted the call. */
  interrupted(): boolean;
  /**
   * Settles with the work, or rejects with the interruption's reason as soon as an urgent
   * interruption arrives (the work keeps running; its late rejection is ignored). The same as
   * racing the work against {@link CallInFlight.signal}, without making the signal.
   */
  race<T>(work: T | Promise<T>): Promise<T>;
  /** Removes the call (in a `finally`). */
  done(): void;
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
   * @returns the call's abort signal, whether an interruption aborted it, a race against an
   *   interruption, and its removal.
   */
  track(threadId: string | undefined, runId: string): CallInFlight;
}

/** Why an urgent interruption aborts the calls in flight. */
const interruptedReason = 'Interrupted by the user before it finished.';

const anyKey = 'any';
const threadKey = (threadId: string | undefined) =>
  threadId === undefined ? 'thread:' : `thread:${threadId}`;
const runKey = (runId: string) => `run:${runId}`;

/** Creates an empty {@link InterruptMailbox}. */
export function createInterruptMailbox(): InterruptMailbox {
  const queued = new Map<string, Interrupt[]>();
  /** Calls in flight, found by their thread or run only when an urgent interruption arrives. */
  const inFlight = new Set<InFlight>();
  const keyOf = (target: InterruptTarget) =>
    target.runId !== undefined
      ? runKey(target.runId)
      : target.threadId !== undefined
        ? threadKey(target.threadId)
        : anyKey;
  /** Whether an interruption for `target` aborts the call (`''` is the thread of no id). */
  const aimsAt = (target: InterruptTarget, entry: InFlight) =>
    target.runId !== undefined
      ? entry.runId === target.runId
      : target.threadId === undefined || (entry.threadId ?? '') === target.threadId;
  const drain = (key: string, into: Interrupt[]) => {
    const list = queued.get(key);
    if (list === undefined) return;
    queued.delete(key);
    into.push(...list);
  };
  const abort = (entry: InFlight) => {
    if (entry.interrupted) return;
    const reason = new Error(interruptedReason);
    entry.interrupted = true;
    entry.abort?.abort(reason);
    entry.reject?.(reason);
  };
  return {
    post(interrupt, target) {
      const key = keyOf(target);
      const list = queued.get(key) ?? [];
      list.push(interrupt);
      queued.set(key, list);
      if (interrupt.urgency !== 'now') return;
      for (const entry of inFlight) if (aimsAt(target, entry)) abort(entry);
    },
    take(threadId, runId) {
      const taken: Interrupt[] = [];
      if (queued.size === 0) return taken;
      drain(threadKey(threadId), taken);
      drain(runKey(runId), taken);
      drain(anyKey, taken);
      return taken.sort((a, b) => a.receivedAt - b.receivedAt);
    },
    track(threadId, runId) {
      const entry: InFlight = {
        threadId,
        runId,
        abort: undefined,
        interrupted: false,
        reject: undefined,
      };
      inFlight.add(entry);
      return {
        get signal() {
          if (entry.abort === undefined) {
            entry.abort = new AbortController();
            if (entry.interrupted) entry.abort.abort(new Error(interruptedReason));
          }
          return entry.abort.signal;
        },
        interrupted: () => entry.interrupted,
        race<T>(work: T | Promise<T>): Promise<T> {
          const promise = Promise.resolve(work);
          if (entry.interrupted) {
            promise.catch(() => {});
            return Promise.reject(new Error(interruptedReason));
          }
          return new Promise<T>((resolve, reject) => {
            entry.reject = (reason) => {
              promise.catch(() => {});
              reject(reason);
            };
            promise.then(
              (value) => {
                entry.reject = undefined;
                resolve(value);
              },
              (error: unknown) => {
                entry.reject = undefined;
                reject(error);
              },
            );
          });
        },
        done: () => {
          inFlight.delete(entry);
        },
      };
    },
  };
}
