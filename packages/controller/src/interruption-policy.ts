import type { Directive, Interrupt, RunView } from '@reins/core';

/**
 * How interruptions are applied: the `onInterrupt` hook's shape. Returning `undefined` leaves
 * the interruption to the loop's default (the text appended as a user message; `stop` ends the
 * run, a task retraction cancels it).
 */
export interface InterruptionPolicy {
  onInterrupt(view: RunView, interrupt: Interrupt): readonly Directive[] | undefined;
}

/**
 * The default interruption policy: it returns `undefined`, so the loop's default applies.
 * Supply your own policy object to `createController({ interruptions })` to frame updates
 * differently (for example restating the whole updated intent).
 *
 * @returns a policy that always defers to the loop.
 * @example
 * ```ts
 * const controller = createController({
 *   interruptions: {
 *     onInterrupt: (view, interrupt) => interrupt.kind === 'revision'
 *       ? [{ type: 'inject', role: 'user', content: `Change of plan: ${interrupt.text}`, ephemeral: false, source: 'mine' }]
 *       : undefined,
 *   },
 * });
 * ```
 */
export function createDefaultInterruptionPolicy(): InterruptionPolicy {
  return { onInterrupt: () => undefined };
}
