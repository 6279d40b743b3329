import { InvalidOptionsError } from '@reins/core';
import type { ServingPolicy } from './serving-policy.js';

/** Options of {@link createClairvoyantPinPolicy}. */
export interface ClairvoyantPinPolicyOptions {
  /**
   * The longest true pause pinned, in milliseconds: a longer pause is not pinned at all.
   * `Infinity` pins every pause. @defaultValue `Infinity`
   */
  readonly maxPauseMs?: number;
  /** Added to the true pause, so that the pin outlasts the return. @defaultValue 100 */
  readonly marginMs?: number;
}

/**
 * A pin rule no client or server can run, for the oracle: it reads each pause's true length
 * from the workload and, when the pause is at most `maxPauseMs`, pins the cache for exactly that
 * pause (plus `marginMs`); it never pins after a last step or across a longer pause. Against a
 * constant pin of `maxPauseMs` it holds memory only for pauses that end within the pin, and not
 * for a moment longer; requests are ordered by program arrival.
 *
 * @param options - the longest pause pinned, the margin.
 * @returns the policy, named `clairvoyant<seconds>` (`clairvoyant30`), or `clairvoyantAll`.
 * @throws {InvalidOptionsError} for a `maxPauseMs` that is not > 0, or a negative margin.
 * @example
 * ```ts
 * simulate({ programs, policy: createClairvoyantPinPolicy({ maxPauseMs: 30_000 }) });
 * ```
 */
export function createClairvoyantPinPolicy(
  options: ClairvoyantPinPolicyOptions = {},
): ServingPolicy {
  const maxPauseMs = options.maxPauseMs ?? Number.POSITIVE_INFINITY;
  const marginMs = options.marginMs ?? 100;
  if (!(maxPauseMs > 0)) {
    throw new InvalidOptionsError(
      'maxPauseMs',
      `maxPauseMs must be > 0 milliseconds (Infinity pins every pause); got ${String(maxPauseMs)}. Pass e.g. 30000.`,
    );
  }
  if (!(marginMs >= 0) || !Number.isFinite(marginMs)) {
    throw new InvalidOptionsError(
      'marginMs',
      `marginMs must be a finite number of milliseconds ≥ 0; got ${String(marginMs)}. Pass e.g. 100.`,
    );
  }
  return {
    name: Number.isFinite(maxPauseMs) ? `clairvoyant${maxPauseMs / 1000}` : 'clairvoyantAll',
    scheduling: 'program-fcfs',
    pin({ program, turnIndex, isLastStep }) {
      const pauseMs = program.turns[turnIndex]?.pauseMs ?? 0;
      if (isLastStep || pauseMs > maxPauseMs) return { pin: false, ttlMs: 0 };
      return { pin: true, ttlMs: pauseMs + marginMs };
    },
  };
}
