import type {
  ControllerOpenContext,
  Directive,
  ModelStep,
  RunView,
  SchedulingHints,
  ToolOutcome,
} from '@reins/core';
import type { HintsPolicy } from './hints-policy.js';

/** One run's hints: the `hints` hook, plus what it learns from the run's calls and tools. */
export interface HintsSession {
  hints(view: RunView): SchedulingHints | undefined;
  /** After each model call; may report the hints it chose as events. */
  afterModel?(view: RunView, step: ModelStep): readonly Directive[] | undefined;
  /** After each tool call, with its duration. */
  afterTool?(view: RunView, outcome: ToolOutcome): readonly Directive[] | undefined;
}

/** A hints policy that keeps per-run state: `createController` opens one session per run. */
export interface SessionHintsPolicy extends HintsPolicy {
  open(context: ControllerOpenContext): HintsSession;
}

/**
 * Opens a run's hints session: the policy's own `open` when it has one, else the policy itself
 * (a stateless `hints(view)`).
 *
 * @param policy - any hints policy.
 * @param context - the run being opened.
 * @returns the session whose hooks the controller calls.
 * @example
 * ```ts
 * const session = openHintsSession(createKvCacheHintsPolicy(), { runId: 'run-1', task: 'fix it' });
 * session.hints(view);
 * ```
 */
export function openHintsSession(
  policy: HintsPolicy,
  context: ControllerOpenContext,
): HintsSession {
  const open = (policy as Partial<SessionHintsPolicy>).open;
  return typeof open === 'function' ? open.call(policy, context) : policy;
}
