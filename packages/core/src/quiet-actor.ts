import { fromCallback } from 'xstate';
import type { Clock } from './clock.js';

/** The event the quiet actor sends when the burst of interrupts is over. */
export interface QuietEvent {
  readonly type: 'QUIET';
}

/** Input of the quiet actor. */
export interface QuietInput {
  readonly clock: Clock;
  /** Milliseconds of quiet to wait for on `clock`; 0 waits one macrotask. */
  readonly quietMs: number;
}

/**
 * Waits, after an urgent interrupt, for the burst it may belong to: interrupts sent in the same
 * tick (or within `quietMs`, when set) queue up and are applied together at one decision point,
 * so a burst costs one decision and one new model call, not one per interrupt. The loop restarts
 * the actor on every interrupt that arrives meanwhile.
 */
export const quietActor = fromCallback<QuietEvent, QuietInput>(({ input, sendBack }) => {
  if (input.quietMs > 0) {
    const timer = input.clock.setTimeout(() => sendBack({ type: 'QUIET' }), input.quietMs);
    return () => input.clock.clearTimeout(timer);
  }
  const immediate = setImmediate(() => sendBack({ type: 'QUIET' }));
  return () => clearImmediate(immediate);
});
