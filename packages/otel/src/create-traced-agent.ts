import { type Agent, type AgentOptions, createAgent, type RunHandle } from '@reins/core';
import { type TraceRunOptions, traceRun } from './trace-run.js';
import { traceTools } from './trace-tools.js';

/** Options of {@link createTracedAgent}: those of {@link traceRun} but the model, taken from the backend. */
export type TracedAgentOptions = Omit<TraceRunOptions, 'model' | 'parentContext'>;

/**
 * Creates an agent whose every run (and resumed run) is traced with {@link traceRun}, with its
 * tools wrapped by {@link traceTools} so that tool code sees its call's span as the active one,
 * and the backend's provider and model id on every `chat` span. Each run's span is a child of
 * the context active when `run()` or `resume()` is called.
 *
 * @param options - the agent's options, as for `createAgent`.
 * @param tracing - tracer, agent name, whether to record content.
 * @returns the agent.
 * @example
 * ```ts
 * const agent = createTracedAgent({ backend, tools, controller }, { agentName: 'fixer' });
 * const result = await agent.run('Fix the failing test').result;
 * ```
 */
export function createTracedAgent(options: AgentOptions, tracing: TracedAgentOptions = {}): Agent {
  const agent = createAgent({
    ...options,
    ...(options.tools === undefined ? {} : { tools: traceTools(options.tools) }),
  });
  const model = { provider: options.backend.provider, modelId: options.backend.modelId };
  const traced = (handle: RunHandle) => {
    traceRun(handle, { ...tracing, model });
    return handle;
  };
  return {
    run: (task, runOptions) => traced(agent.run(task, runOptions)),
    resume: async (runId, runOptions) => traced(await agent.resume(runId, runOptions)),
  };
}
