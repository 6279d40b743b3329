/**
 * The Reins agent loop. `createAgent` builds an agent from a {@link ModelBackend}, tools made
 * with {@link defineTool} and a {@link Controller}; `agent.run(task)` returns a {@link RunHandle}
 * with typed events, controls (`interrupt`, `pause`, `resume`, `abort`) and a `result` promise.
 * The loop is an XState v5 machine (`agentMachine`); every turn is checkpointed through a
 * {@link Checkpointer}, so `agent.resume(runId)` continues a run in another process.
 *
 * Event order per run: `run.start`, then per turn `turn.start` → `model.start` →
 * `model.delta`* → `model.end` → (`tool.start` → `tool.end`)* → `turn.end` →
 * `checkpoint.saved`, and exactly one `run.end`.
 *
 * @module @reins/core
 */
export type {
  AgentEvent,
  AgentEventBase,
  AgentEventOf,
  AgentEventType,
  ControllerEvent,
} from './agent-event.js';
export { type AgentControlEvent, type AgentMachineEvent, agentMachine } from './agent-machine.js';
export { type Checkpointer, checkpointVersion, type RunCheckpoint } from './checkpointer.js';
export { type Clock, systemClock, type TimerHandle } from './clock.js';
export type {
  Controller,
  ControllerOpenContext,
  ControllerSession,
  ModelCallEnd,
  ModelCallOutcome,
  ModelStep,
  ToolOutcome,
} from './controller.js';
export {
  type Agent,
  type AgentOptions,
  createAgent,
  defaultAgentOptions,
  type RunOptions,
  runAgent,
} from './create-agent.js';
export {
  defaultAnswerMaxTokens,
  defaultInterruptDirectives,
} from './default-interrupt-directives.js';
export { describeUnknown } from './describe-unknown.js';
export type {
  ControllerEventName,
  ControllerEventPayload,
  Directive,
  Evidence,
  StopReason,
  ToolDirective,
} from './directive.js';
export { CheckpointError, type CheckpointErrorLocation } from './errors/checkpoint-error.js';
export { ControllerHookError } from './errors/controller-hook-error.js';
export { InvalidOptionsError } from './errors/invalid-options-error.js';
export { InvalidToolInputError } from './errors/invalid-tool-input-error.js';
export { MalformedResponseError } from './errors/malformed-response-error.js';
export { ModelCallError } from './errors/model-call-error.js';
export { ReinsError } from './errors/reins-error.js';
export { RunStateError } from './errors/run-state-error.js';
export { ToolExecutionError } from './errors/tool-execution-error.js';
export { ToolTimeoutError } from './errors/tool-timeout-error.js';
export { UnknownToolError } from './errors/unknown-tool-error.js';
export { createFileCheckpointer, type FileCheckpointerSettings } from './file-checkpointer.js';
export {
  type Interrupt,
  type InterruptInput,
  type InterruptKind,
  interruptInputSchema,
  interruptKindSchema,
  interruptSchema,
} from './interrupt.js';
export { createMemoryCheckpointer } from './memory-checkpointer.js';
export {
  type AssistantMessage,
  type Message,
  messageSchema,
  type SystemMessage,
  type ToolCall,
  type ToolMessage,
  type ToolResult,
  toolCallSchema,
  toolResultSchema,
  toolResultText,
  type UserMessage,
} from './message.js';
export type {
  ModelBackend,
  ModelCallSettings,
  ModelCapabilities,
  ModelRequest,
} from './model-backend.js';
export { createNoopController } from './noop-controller.js';
export { createOutputMeter, type OutputMeter } from './output-meter.js';
export { providerCallIds } from './provider-call-ids.js';
export { type AgentEventListeners, RunHandle, type RunPhase } from './run-handle.js';
export type { RunResult, RunStatus } from './run-result.js';
export type { RunView, ToolStats } from './run-view.js';
export { type SchedulingHints, schedulingHintsSchema } from './scheduling-hints.js';
export {
  type FinishReason,
  finishReasonSchema,
  type ModelStreamPart,
  modelStreamPartSchema,
  type TokenLogprob,
  tokenLogprobSchema,
} from './stream-part.js';
export {
  type DefineToolOptions,
  defineTool,
  type Tool,
  type ToolExecuteContext,
  type ToolSpec,
  toolOutputText,
  toToolSpec,
} from './tool.js';
export { readToolDirectives, type ToolDirectives } from './tool-directives.js';
export type { ToolSource } from './tool-source.js';
export { addUsage, emptyUsage, type Usage, type UsagePatch, usageSchema } from './usage.js';
export { utf8Length } from './utf8-length.js';
