import type { RunView, SchedulingHints } from '@reins/core';

/** Scheduling hints for each model call: the `hints` hook's shape. */
export interface HintsPolicy {
  hints(view: RunView): SchedulingHints | undefined;
}

/**
 * The default hints policy: the run's id as program id and cache key, and the turn. Supply your
 * own policy object to `createController({ hints })` for TTLs, pauses and priorities.
 *
 * @returns a policy giving `{ programId: runId, turn, cacheKey: runId }`.
 * @example
 * ```ts
 * const controller = createController({
 *   hints: { hints: (view) => ({ programId: view.runId, turn: Math.max(1, view.turn), ttlMs: 30_000 }) },
 * });
 * ```
 */
export function createDefaultHintsPolicy(): HintsPolicy {
  return {
    hints: (view) => ({
      programId: view.runId,
      turn: Math.max(1, view.turn),
      cacheKey: view.runId,
    }),
  };
}
