/**
 * OpenTelemetry traces of Reins runs. `traceRun(handle)` turns a run's typed events into spans
 * that follow the GenAI semantic conventions: `invoke_agent <agent>` for the run, `reins.turn
 * <n>` per turn, `chat <model>` per model call and `execute_tool <tool>` per tool call, with
 * `gen_ai.*` attributes and Reins' own under `reins.*`. Controller decisions, controller events,
 * interruptions and KV-cache hints are span events carrying their evidence. `traceTools` runs
 * tool code inside its call's span; `createTracedAgent` does both for every run of an agent.
 *
 * Span tree of a run: `invoke_agent` ⊃ `reins.turn` ⊃ (`chat`, then `execute_tool`*). Decisions
 * made between turns (at the decision point before a model call) are events of the run span;
 * those made during a turn are events of the turn span.
 *
 * `createLangChainTracing` gives the same spans for a LangChain `createAgent` agent controlled
 * by `reinsMiddleware`, with model and tool calls run inside their spans.
 *
 * `@opentelemetry/api` is an optional peer dependency: without it, or without an SDK
 * registered, nothing is recorded and a run pays nothing per turn.
 *
 * @module @reins/otel
 */
export {
  createLangChainTracing,
  defaultLangChainTracingOptions,
  type LangChainCall,
  type LangChainEventSource,
  type LangChainRunEvent,
  type LangChainTracing,
  type LangChainTracingOptions,
} from './create-langchain-tracing.js';
export {
  createTracedAgent,
  type TracedAgentOptions,
} from './create-traced-agent.js';
export { genAiAttributes, genAiOperations, reinsAttributes } from './gen-ai-attributes.js';
export {
  defaultTraceRunOptions,
  type RunTrace,
  type TracedModel,
  type TraceRunOptions,
  traceRun,
} from './trace-run.js';
export { traceTool, traceTools } from './trace-tools.js';
