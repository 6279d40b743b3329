import { InvalidOptionsError } from '@reins/core';
import type { ServingPolicy } from './serving-policy.js';

/**
 * The simplest pin rule: after every response but a program's last, pin its cache for the same
 * TTL, with no prediction; requests are ordered by program arrival, as Continuum does.
 *
 * @param ttlMs - the pin's length, in milliseconds.
 * @returns the policy, named `pin<seconds>` (`pin30` for 30 000 ms).
 * @throws {InvalidOptionsError} for a TTL that is not a finite number > 0.
 * @example
 * ```ts
 * simulate({ programs, policy: createConstantPinPolicy(30_000) });
 * ```
 */
export function createConstantPinPolicy(ttlMs: number): ServingPolicy {
  if (!(ttlMs > 0) || !Number.isFinite(ttlMs)) {
    throw new InvalidOptionsError(
      'ttlMs',
      `ttlMs must be a finite number of milliseconds > 0; got ${String(ttlMs)}. Pass e.g. 30000.`,
    );
  }
  return {
    name: `pin${ttlMs / 1000}`,
    scheduling: 'program-fcfs',
    pin: ({ isLastStep }) => ({ pin: !isLastStep, ttlMs: isLastStep ? 0 : ttlMs }),
  };
}
