/**
 * Reins and LangChain together. `fromLangChainModel(chatModel)` makes any LangChain chat
 * model a Reins `ModelBackend` (streaming, tool binding, usage, reasoning, abort);
 * `toLangChainTool` and `fromLangChainTool` carry tools across; message converters go both
 * ways. `reinsMiddleware(controller)` puts a Reins controller inside a LangChain `createAgent`
 * agent; `createReinsObserver(controller)` watches other LangChain runs through callbacks.
 *
 * Middleware events per run: `run.start`, then per turn `turn.start`, `directive.applied` and
 * controller events (`budget.reminder`, `stuck.detected`, …) as decisions are made,
 * `interrupt.received` whenever one arrives and `interrupt.applied` at the next hook, and
 * `run.stop` when the controller ends the run.
 *
 * Stream order per call (as every Reins backend): `reasoning-delta`*, `text-delta`* and
 * `tool-call-delta`* as the model streams them, then the complete `tool-call`s, one `usage`
 * when the model reports `usage_metadata`, and exactly one `finish`. An aborted call ends
 * without `finish`.
 *
 * @module @reins/langchain
 */
export type { AroundCall, ReinsCall } from './around-call.js';
export {
  fromLangChainMessages,
  reasoningOf,
  textOf,
} from './convert-from-langchain-messages.js';
export {
  type ToLangChainMessagesOptions,
  toLangChainMessages,
} from './convert-to-langchain-messages.js';
export { fromLangChainModel, type LangChainModelOptions } from './from-langchain-model.js';
export { fromLangChainTool, type LangChainToolLike } from './from-langchain-tool.js';
export type { LangChainRunEnding } from './langchain-run.js';
export { mapLangChainFinishReason } from './map-langchain-finish-reason.js';
export { mapLangChainUsage } from './map-langchain-usage.js';
export { type AgentSteps, agentStepsOf, recursionLimitForTurns } from './recursion-window.js';
export type {
  ReinsEvent,
  ReinsEventListener,
  ReinsEventOf,
  ReinsEventSource,
  ReinsEventType,
} from './reins-event.js';
export {
  defaultReinsMiddlewareOptions,
  type InterruptTarget,
  type ReinsMiddleware,
  type ReinsMiddlewareHandle,
  type ReinsMiddlewareOptions,
  type ReinsModelIdentity,
  reinsMiddleware,
} from './reins-middleware.js';
export {
  createReinsObserver,
  type ReinsObserver,
  type ReinsObserverOptions,
} from './reins-observer.js';
export type { ReinsThreadState } from './reins-thread-state.js';
export { toLangChainTool } from './to-langchain-tool.js';
