import type { Interrupt } from '@reins/core';

/**
 * The current intent as one text: the task, then every applied update in order. Used to
 * re-anchor a drifting agent and to measure how close its work stays to what was asked.
 *
 * @param task - the original task.
 * @param updates - the interruptions applied so far (`view.intentUpdates`).
 * @returns the task, followed by a numbered list of updates when there are any.
 * @example
 * ```ts
 * toIntentText('Fix the login bug.', view.intentUpdates);
 * // 'Fix the login bug.\n\nUpdates since:\n1. (revision) Only the OAuth flow.'
 * ```
 */
export function toIntentText(task: string, updates: readonly Interrupt[]): string {
  const relevant = updates.filter((update) => update.kind !== 'stop' && update.text !== '');
  if (relevant.length === 0) return task;
  const lines = relevant.map((update, index) => `${index + 1}. (${update.kind}) ${update.text}`);
  return `${task}\n\nUpdates since:\n${lines.join('\n')}`;
}
