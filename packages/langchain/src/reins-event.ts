import type { AgentEventBase, AgentEventOf, ControllerEvent } from '@reins/core';

/**
 * The events of a run controlled through LangChain, as the Reins loop names them: `run.start`
 * (an invocation opened a run), `turn.start` (a model call begins), `directive.applied` (one
 * per directive other than `emit`), the controller's own events (`budget.reminder`,
 * `stuck.detected`, …, with `controller: true`), `interrupt.received`, `interrupt.applied`, and
 * `run.stop` when the controller ends the run.
 */
export type ReinsEvent =
  | AgentEventOf<'run.start'>
  | AgentEventOf<'turn.start'>
  | AgentEventOf<'directive.applied'>
  | AgentEventOf<'interrupt.received'>
  | AgentEventOf<'interrupt.applied'>
  | ControllerEvent
  | (AgentEventBase & {
      readonly type: 'run.stop';
      readonly status: 'stopped' | 'cancelled' | 'paused';
      readonly reason: string;
      readonly message: string;
      readonly source: string;
    });

/** The `type` of every {@link ReinsEvent}. */
export type ReinsEventType = ReinsEvent['type'];

/** A listener of every event (`'*'`). */
export type ReinsEventListener = (event: ReinsEvent) => void;

/** The event of a given `type`, or every event for `'*'`. */
export type ReinsEventOf<TType extends ReinsEventType | '*'> = TType extends '*'
  ? ReinsEvent
  : TType extends ControllerEvent['type']
    ? ControllerEvent & { readonly type: TType }
    : Extract<ReinsEvent, { readonly type: TType }>;

/** Subscribes to a run's events; the returned function unsubscribes. */
export interface ReinsEventSource {
  /**
   * Listens to events of one `type` (e.g. `'stuck.detected'`) or of every type (`'*'`).
   * @returns a function that removes the listener.
   */
  on<TType extends ReinsEventType | '*'>(
    type: TType,
    listener: (event: ReinsEventOf<TType>) => void,
  ): () => void;
}

/** A minimal typed emitter: listeners by type and for `'*'`, one event object per call. */
export interface ReinsEventEmitter extends ReinsEventSource {
  emit(event: ReinsEvent): void;
  /** Whether anything listens, so that events are built only when they will be read. */
  readonly listening: boolean;
}

/**
 * Creates the emitter behind a middleware's or an observer's `on()`. A listener that throws
 * does not break the run: its error is rethrown on a later microtask.
 *
 * @example
 * ```ts
 * const events = createReinsEventEmitter();
 * events.on('stuck.detected', (event) => log(event.message));
 * ```
 */
export function createReinsEventEmitter(): ReinsEventEmitter {
  const listeners = new Map<string, Set<ReinsEventListener>>();
  let count = 0;
  const deliver = (set: Set<ReinsEventListener> | undefined, event: ReinsEvent) => {
    if (set === undefined) return;
    for (const listener of set) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };
  return {
    get listening() {
      return count > 0;
    },
    on(type, typedListener) {
      const listener = typedListener as ReinsEventListener;
      let set = listeners.get(type);
      if (set === undefined) {
        set = new Set();
        listeners.set(type, set);
      }
      if (!set.has(listener)) {
        set.add(listener);
        count += 1;
      }
      return () => {
        if (set?.delete(listener)) count -= 1;
      };
    },
    emit(event) {
      if (count === 0) return;
      deliver(listeners.get(event.type), event);
      deliver(listeners.get('*'), event);
    },
  };
}
