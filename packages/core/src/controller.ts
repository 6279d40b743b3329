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

/**
 * How a model call ended, as `onModelCallEnd` sees it:
 * - `completed`: the stream ended with its finish;
 * - `left`: the loop left it before its end (an urgent interrupt, an abort, a stop);
 * - `failed`: the backend failed;
 * - `not-made`: `beforeModel` prepared it, but the run stopped or paused before it started.
 */
export type ModelCallOutcome = 'completed' | 'left' | 'failed' | 'not-made';

/**
 * The end of one model call, whatever happened to it: what a cost account needs to settle it.
 */
export interface ModelCallEnd {
  readonly outcome: ModelCallOutcome;
  /** The call that forced a final answer after a stop. */
  readonly forced: boolean;
  /** The usage the backend reported, or `undefined` when it reported none (yet). */
  readonly reportedUsage: Usage | undefined;
  /**
   * UTF-8 bytes of the output streamed (text, reasoning, tool-call names and arguments) over
   * every attempt, voided ones included: a byte-level tokenizer's output tokens are at most this.
   */
  readonly outputBytes: number;
  /** Times the backend restarted the stream after output, sending the prompt again. */
  readonly restarts: number;
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
 * model call → `onModelCallEnd` → `afterModel` → per tool call `beforeTool` → tool runs →
 * `afterTool`. When the run stops with a forced answer: `beforeForcedAnswer` → model call →
 * `onModelCallEnd`.
 */
export interface ControllerSession {
  /** Before each model call: reminders, budgets, stops, pauses, compaction, extra tools. */
  beforeModel?(view: RunView): readonly Directive[] | undefined;
  /** After each completed model call: monitors look at the output. */
  afterModel?(view: RunView, step: ModelStep): readonly Directive[] | undefined;
  /**
   * After every model call however it ended (completed, left, failed), and after a
   * `beforeModel` whose call was not made: a cost account settles or releases what it reserved
   * here. Called before `afterModel`.
   */
  onModelCallEnd?(view: RunView, end: ModelCallEnd): readonly Directive[] | undefined;
  /**
   * Before the extra call that forces a final answer after a stop: `model-settings` set that
   * call's settings (its `maxTokens` is the lower of these and the stop's `answerMaxTokens`);
   * a `stop` directive refuses the call, and the run ends without the answer.
   */
  beforeForcedAnswer?(view: RunView): readonly Directive[] | undefined;
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
  /** The model the run calls, when the caller knows it (`createAgent` always does). */
  readonly model?: { readonly provider: string; readonly modelId: string };
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
