import type { Directive, ToolDirective } from './directive.js';
import type { Interrupt } from './interrupt.js';
import type { AssistantMessage, ToolCall, ToolResult } from './message.js';
import type { RunView } from './run-view.js';
import type { SchedulingHints } from './scheduling-hints.js';
import type { FinishReason, TokenLogprob } from './stream-part.js';
import type { Usage } from './usage.js';

/** A completed model call, as `afterModel` sees it. */
export interface ModelStep {
  readonly message: AssistantMessage;
  readonly finishReason: FinishReason;
  readonly usage: Usage;
  readonly durationMs: number;
  /** Token log-probabilities, when the backend returned them. */
  readonly logprobs?: readonly TokenLogprob[];
}

/** A finished tool call, as `afterTool` sees it. */
export interface ToolOutcome {
  readonly call: ToolCall;
  readonly result: ToolResult;
  readonly durationMs: number;
}

/**
 * One run's controller: the hooks the loop calls. Every hook is optional, synchronous and cheap
 * (a bounded window, never the whole history), receives a read-only {@link RunView} and returns
 * serialisable directives (or nothing).
 *
 * Order within a turn: `onInterrupts` (once, with every queued interrupt) or `onInterrupt` (once
 * per queued interrupt) → `beforeModel` → `hints` →
 * model call → `afterModel` → per tool call `beforeTool` → tool runs → `afterTool`.
 */
export interface ControllerSession {
  /** Before each model call: reminders, budgets, stops, pauses, compaction, extra tools. */
  beforeModel?(view: RunView): readonly Directive[] | undefined;
  /** After each model call: monitors look at the output. */
  afterModel?(view: RunView, step: ModelStep): readonly Directive[] | undefined;
  /** Before each tool call: deny it, answer it (controller tools) or change its timeout. */
  beforeTool?(view: RunView, call: ToolCall): readonly ToolDirective[] | undefined;
  /** After each tool call. */
  afterTool?(view: RunView, outcome: ToolOutcome): readonly Directive[] | undefined;
  /**
   * When an interruption is applied. Returning `undefined` applies the default: the text is
   * appended as a user message (`stop` ends the run as stopped, a task retraction as cancelled).
   */
  onInterrupt?(view: RunView, interrupt: Interrupt): readonly Directive[] | undefined;
  /**
   * When interruptions are applied, all of those queued since the last decision point at once,
   * in arrival order (they are already in `view.intentUpdates`), so that they can be merged
   * into one update. When present it replaces `onInterrupt`. Returning `undefined` applies the
   * loop's default to each. Injected messages record every interruption as their origin.
   */
  onInterrupts?(view: RunView, interrupts: readonly Interrupt[]): readonly Directive[] | undefined;
  /** Scheduling hints for the next model call. */
  hints?(view: RunView): SchedulingHints | undefined;
  /** The session's state as JSON, saved with each checkpoint and handed back on resume. */
  snapshot?(): unknown;
}

/** What a controller learns when a run opens (or resumes) a session. */
export interface ControllerOpenContext {
  readonly runId: string;
  readonly task: string;
  /** The state from the last checkpoint's `snapshot()`, when the run is resumed. */
  readonly state?: unknown;
}

/**
 * The contract between the loop and a controller (implemented by `@reins/controller`).
 * A controller is configuration; `open` starts one run's session, which holds that run's state.
 *
 * @example
 * ```ts
 * const maxTenTurns: Controller = {
 *   name: 'max-ten-turns',
 *   open: () => ({
 *     beforeModel: (view) => view.turn >= 10
 *       ? [{ type: 'stop', reason: 'turn-budget', message: 'Ten turns used.', source: 'max-ten-turns' }]
 *       : undefined,
 *   }),
 * };
 * ```
 */
export interface Controller {
  /** Name used as the source of its directives and events. */
  readonly name: string;
  /** Opens a session for one run. */
  open(context: ControllerOpenContext): ControllerSession;
}
