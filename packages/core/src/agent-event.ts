import type { ControllerEventName, ControllerEventPayload, Directive } from './directive.js';
import type { Interrupt } from './interrupt.js';
import type { AssistantMessage, ToolCall, ToolResult } from './message.js';
import type { ModelCallSettings } from './model-backend.js';
import type { RunResult } from './run-result.js';
import type { SchedulingHints } from './scheduling-hints.js';
import type { FinishReason, ModelStreamPart } from './stream-part.js';
import type { Usage } from './usage.js';

/** Fields every event carries. */
export interface AgentEventBase {
  readonly runId: string;
  /** The turn (model call number) the event belongs to; 0 before the first. */
  readonly turn: number;
  /** Clock time in milliseconds. */
  readonly at: number;
}

/**
 * Every event a run emits, discriminated on `type` (dotted `noun.verb`).
 *
 * Order: `run.start`, then per turn `turn.start` → `model.start` → `model.delta`* →
 * `model.end` → (`tool.start` → `tool.end`)* → `turn.end` → `checkpoint.saved`; controller
 * directives (`directive.applied`, and named controller events such as `budget.reminder`)
 * between them; `interrupt.received` whenever one arrives, `interrupt.applied` at the next
 * decision point; `run.pause`/`run.resume`; finally exactly one `run.end`.
 */
export type AgentEvent =
  | (AgentEventBase & {
      readonly type: 'run.start';
      readonly task: string;
      readonly resumed: boolean;
    })
  | (AgentEventBase & { readonly type: 'turn.start' })
  | (AgentEventBase & {
      readonly type: 'model.start';
      readonly messageCount: number;
      readonly toolNames: readonly string[];
      readonly hints?: SchedulingHints;
      readonly settings?: ModelCallSettings;
    })
  | (AgentEventBase & { readonly type: 'model.delta'; readonly part: ModelStreamPart })
  | (AgentEventBase & {
      readonly type: 'model.end';
      readonly message: AssistantMessage;
      readonly finishReason: FinishReason | 'interrupted';
      readonly usage: Usage;
      readonly durationMs: number;
    })
  | (AgentEventBase & { readonly type: 'tool.start'; readonly call: ToolCall })
  | (AgentEventBase & {
      readonly type: 'tool.end';
      readonly call: ToolCall;
      readonly result: ToolResult;
      readonly durationMs: number;
    })
  | (AgentEventBase & {
      readonly type: 'turn.end';
      readonly usage: Usage;
      readonly totalUsage: Usage;
    })
  | (AgentEventBase & { readonly type: 'checkpoint.saved'; readonly messageCount: number })
  | (AgentEventBase & { readonly type: 'directive.applied'; readonly directive: Directive })
  | (AgentEventBase & { readonly type: 'interrupt.received'; readonly interrupt: Interrupt })
  | (AgentEventBase & {
      readonly type: 'interrupt.applied';
      readonly interrupt: Interrupt;
      readonly directives: readonly Directive[];
    })
  | (AgentEventBase & { readonly type: 'run.pause'; readonly reason: string })
  | (AgentEventBase & { readonly type: 'run.resume' })
  | (AgentEventBase & { readonly type: 'run.end'; readonly result: RunResult })
  | ControllerEvent;

/** An event a controller emitted with an `emit` directive, e.g. `stuck.detected`. */
export type ControllerEvent = AgentEventBase &
  Omit<ControllerEventPayload, 'name'> & {
    readonly type: ControllerEventPayload['name'];
    /** Set on controller events only, to tell them from the loop's own. */
    readonly controller: true;
  };

/** The `type` of every event. */
export type AgentEventType = AgentEvent['type'];

/** The event of a given `type` (a controller event's `type` narrowed to that name). */
export type AgentEventOf<TType extends AgentEventType> = TType extends ControllerEventName
  ? ControllerEvent & { readonly type: TType }
  : Extract<AgentEvent, { type: TType }>;
