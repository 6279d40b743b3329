import type { Interrupt } from '@reins/core';

/** One typed change of the task, as the user made it. */
export interface IntentUpdate {
  /** The interruption's id. */
  readonly id: string;
  readonly kind: 'addition' | 'revision' | 'retraction';
  readonly text: string;
  /** The turn during which it arrived. */
  readonly turn: number;
}

/**
 * What the user wants now: the original task plus the ordered, typed updates made while the
 * run went on, and whether the task still stands.
 */
export interface CurrentIntent {
  /** The original task. */
  readonly task: string;
  /** Additions, revisions and requirement retractions, in the order they arrived. */
  readonly updates: readonly IntentUpdate[];
  /**
   * `active` while the task stands; `stopped` after a stop or answer-now (end with what is
   * done); `dropped` after the whole task was retracted.
   */
  readonly status: 'active' | 'stopped' | 'dropped';
}

/**
 * The current intent of a run from its task and its applied interruptions
 * (`view.intentUpdates`). The first stop or task retraction decides the status; updates after
 * it are still listed, in order.
 *
 * @param task - the original task.
 * @param interrupts - the interruptions applied so far, in order.
 * @returns the task, its typed updates and its status.
 * @example
 * ```ts
 * toCurrentIntent('Top-5 products in Feb 2023', [
 *   { id: 'a', kind: 'revision', text: 'Top-3, not top-5', urgency: 'now', receivedAt: 0, turn: 2 },
 * ]);
 * // { task: 'Top-5 products in Feb 2023', status: 'active',
 * //   updates: [{ id: 'a', kind: 'revision', text: 'Top-3, not top-5', turn: 2 }] }
 * ```
 */
export function toCurrentIntent(task: string, interrupts: readonly Interrupt[]): CurrentIntent {
  const updates: IntentUpdate[] = [];
  let status: CurrentIntent['status'] = 'active';
  for (const interrupt of interrupts) {
    if (interrupt.kind === 'stop' || interrupt.kind === 'answer-now') {
      if (status === 'active') status = 'stopped';
    } else if (interrupt.kind === 'retraction' && interrupt.scope === 'task') {
      if (status === 'active') status = 'dropped';
    } else {
      updates.push({
        id: interrupt.id,
        kind: interrupt.kind,
        text: interrupt.text,
        turn: interrupt.turn,
      });
    }
  }
  return { task, updates, status };
}
