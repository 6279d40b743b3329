import type { Clock, TimerHandle } from '../clock.js';

/** A clock whose time moves only when a test moves it. */
export interface SimulatedClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order (each at its own time). */
  advance(ms: number): void;
  /** Sets the time (never backwards), firing due timers. */
  set(time: number): void;
  /** Timers not yet fired. */
  readonly pendingTimers: number;
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * Creates a simulated clock for deterministic tests of timeouts, deadlines and budgets.
 *
 * @param start - the initial time in milliseconds.
 * @example
 * ```ts
 * const clock = createSimulatedClock();
 * const agent = createAgent({ backend, tools, clock });
 * clock.advance(60_000); // a tool's timeout fires
 * ```
 */
export function createSimulatedClock(start = 0): SimulatedClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();

  const set = (time: number) => {
    if (time < now)
      throw new RangeError(`Cannot move a simulated clock back from ${now} to ${time}.`);
    for (;;) {
      let due: Timer | undefined;
      for (const timer of timers.values()) {
        if (
          timer.at <= time &&
          (due === undefined || timer.at < due.at || (timer.at === due.at && timer.id < due.id))
        )
          due = timer;
      }
      if (due === undefined) break;
      timers.delete(due.id);
      now = due.at;
      due.callback();
    }
    now = time;
  };

  return {
    now: () => now,
    setTimeout(callback, ms): TimerHandle {
      const id = nextId++;
      timers.set(id, { id, at: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance: (ms) => set(now + ms),
    set,
    get pendingTimers() {
      return timers.size;
    },
  };
}
