import { EventEmitter } from 'eventemitter3';
import type { AgentEvent, AgentEventOf, AgentEventType } from './agent-event.js';
import type { Interrupt, InterruptInput } from './interrupt.js';
import type { RunResult } from './run-result.js';

/** Listener signatures of a run's emitter: one per event type, and `'*'` for every event. */
export type AgentEventListeners = { [TType in AgentEventType]: [event: AgentEventOf<TType>] } & {
  '*': [event: AgentEvent];
};

/** Where a run is. */
export type RunPhase = 'idle' | 'running' | 'paused' | RunResult['status'];

/** What the handle asks of the run it controls. */
export interface RunControls {
  interrupt(input: InterruptInput): Interrupt;
  pause(reason: string): void;
  resume(): void;
  abort(reason: string): void;
  phase(): RunPhase;
}

/**
 * A running agent: typed events (an eventemitter3 emitter, and an async iterator), controls
 * (`interrupt`, `pause`, `resume`, `abort`) and the `result` promise.
 *
 * The run starts on the next macrotask, so listeners and iterators attached right after
 * `agent.run()` (or after awaiting `agent.resume()`) see every event from `run.start` on.
 *
 * @example
 * ```ts
 * const handle = agent.run('Fix the failing test');
 * handle.on('tool.end', (event) => console.log(event.call.name, event.result.status));
 * for await (const event of handle) if (event.type === 'model.delta') process.stdout.write('.');
 * const result = await handle.result;
 * ```
 */
export class RunHandle
  extends EventEmitter<AgentEventListeners>
  implements AsyncIterable<AgentEvent>
{
  /** The run's id; pass it to `agent.resume(runId)` after a crash. */
  readonly runId: string;
  /** Resolves when the run has ended (for every ending, failures included: check `status`). */
  readonly result: Promise<RunResult>;
  readonly #controls: RunControls;
  readonly #iterators = new Set<(event: AgentEvent | undefined) => void>();
  #ended = false;

  /** @internal Created by `createAgent`; use `agent.run()` or `agent.resume()`. */
  constructor(runId: string, controls: RunControls, result: Promise<RunResult>) {
    super();
    this.runId = runId;
    this.#controls = controls;
    this.result = result;
  }

  /**
   * Delivers an event to listeners and iterators.
   * @internal
   */
  deliver(event: AgentEvent): void {
    this.emit(event.type as AgentEventType, event as never);
    this.emit('*', event);
    for (const push of this.#iterators) push(event);
    if (event.type === 'run.end') {
      this.#ended = true;
      for (const push of this.#iterators) push(undefined);
    }
  }

  /**
   * Tells the run that its user changed their mind. `urgency: 'now'` aborts the model request
   * and running tools first; `'next-turn'` (default) waits for the next decision point.
   * @returns the interruption as recorded (with its id).
   */
  interrupt(input: InterruptInput): Interrupt {
    return this.#controls.interrupt(input);
  }

  /** Pauses at the next decision point (in-flight work finishes first). */
  pause(reason = 'Paused by the caller.'): void {
    this.#controls.pause(reason);
  }

  /** Resumes a paused run. */
  resume(): void {
    this.#controls.resume();
  }

  /** Ends the run now as `cancelled`: in-flight work is aborted, history kept consistent. */
  abort(reason = 'Aborted by the caller.'): void {
    this.#controls.abort(reason);
  }

  /** Where the run is now. */
  get phase(): RunPhase {
    return this.#controls.phase();
  }

  /** Every event from now until `run.end` (included), buffered while you await. */
  events(): AsyncIterableIterator<AgentEvent> {
    const buffer: (AgentEvent | undefined)[] = [];
    let wake: (() => void) | undefined;
    let done = this.#ended;
    const push = (event: AgentEvent | undefined) => {
      buffer.push(event);
      wake?.();
    };
    if (!done) this.#iterators.add(push);
    const finish = () => {
      done = true;
      this.#iterators.delete(push);
    };
    const iterator: AsyncIterableIterator<AgentEvent> = {
      next: async () => {
        while (!done) {
          if (buffer.length > 0) {
            const event = buffer.shift();
            if (event === undefined) break;
            return { value: event, done: false };
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        finish();
        return { value: undefined, done: true };
      },
      return: async () => {
        finish();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  [Symbol.asyncIterator](): AsyncIterator<AgentEvent> {
    return this.events();
  }
}
