import type { Directive, StopReason, ToolDirective } from '@reins/core';

/** The controller hook a decision came from. */
export type ControllerHook = 'beforeModel' | 'afterModel' | 'beforeTool' | 'afterTool';

/**
 * What a decision amounts to: a reminder (`inject`), an extension (`grant-turns`), an
 * intervention (compaction, pause, settings, offered tools, a denied or answered tool call), a
 * stop (`stop`, `cancel`) or an event the controller emitted.
 */
export type FiringKind = 'remind' | 'extend' | 'intervene' | 'stop' | 'event';

/** One decision of a controller during a replay. */
export interface ControllerFiring {
  /** The model call the decision precedes (`beforeModel`) or follows (the other hooks). */
  readonly turn: number;
  readonly hook: ControllerHook;
  readonly kind: FiringKind;
  /** The directive's type, or the emitted event's name (`'stuck.detected'`). */
  readonly name: string;
  /** The policy or controller that decided. */
  readonly source?: string;
}

/** Where a controller ended a replayed run. */
export interface ControllerStop {
  readonly turn: number;
  readonly hook: ControllerHook;
  readonly reason: StopReason;
  readonly source: string;
  /** The stop asked for a forced final answer: one more model call. */
  readonly forcedAnswer: boolean;
}

/** Everything a controller did on one replayed run. */
export interface ControllerTrace {
  readonly runId: string;
  readonly firings: readonly ControllerFiring[];
  /** Set when the controller ended the run (stop or cancel). */
  readonly stop?: ControllerStop;
  /** Recorded model calls that were made before the run ended. */
  readonly modelCalls: number;
}

/**
 * Classifies a directive as a reminder, an extension, an intervention, a stop or an event.
 * @param directive - a directive or tool directive.
 * @returns its kind, and its name (the directive's type, or the emitted event's name).
 * @example
 * ```ts
 * classifyDirective({ type: 'grant-turns', turns: 5, reason: 'progress', source: 'budget' });
 * // { kind: 'extend', name: 'grant-turns' }
 * ```
 */
export function classifyDirective(directive: Directive | ToolDirective): {
  kind: FiringKind;
  name: string;
} {
  switch (directive.type) {
    case 'inject':
      return { kind: 'remind', name: 'inject' };
    case 'grant-turns':
      return { kind: 'extend', name: 'grant-turns' };
    case 'stop':
    case 'cancel':
      return { kind: 'stop', name: directive.type };
    case 'emit':
      return { kind: 'event', name: directive.event.name };
    default:
      return { kind: 'intervene', name: directive.type };
  }
}

/** The `source` of a directive, when it has one. */
export function directiveSource(directive: Directive | ToolDirective): string | undefined {
  return directive.type === 'emit' ? directive.event.policy : directive.source;
}
