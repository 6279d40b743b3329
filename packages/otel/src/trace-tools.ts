import type { Tool, ToolExecuteContext } from '@reins/core';
import { getToolCallSpan } from './active-tool-spans.js';
import { openTelemetryApi } from './opentelemetry-api.js';

const traced = new WeakSet<object>();

/**
 * Wraps tools so that their code runs inside the span of its call (`execute_tool <name>`):
 * `trace.getActiveSpan()` in a tool returns that span, and any instrumented client the tool
 * uses (HTTP, a database) makes its spans children of it. The context the code runs in is
 * the run's (the one active when `traceRun` was called, or its `parentContext`) with the call's
 * span set. In a run that is not traced, a wrapped tool calls the original directly.
 *
 * Entering that context costs an AsyncLocalStorage `run` per call (on Node 20 a few
 * microseconds, see the package README's bench); without `traceTools`, the same spans are made
 * and only the tool code's own spans lose their parent.
 *
 * @param tools - tools from `defineTool`.
 * @returns the same tools, each wrapped once (wrapping twice changes nothing).
 * @example
 * ```ts
 * const agent = createAgent({ backend, tools: traceTools([readFile, runTests]) });
 * traceRun(agent.run('Fix the failing test'));
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: a list of tools with different input and output types
export function traceTools<TTools extends readonly Tool<any, any>[]>(tools: TTools): TTools {
  return tools.map((tool) => traceTool(tool)) as unknown as TTools;
}

/**
 * Wraps one tool; see {@link traceTools}.
 * @example
 * ```ts
 * const tracedReadFile = traceTool(readFile);
 * ```
 */
export function traceTool<TInput, TOutput>(tool: Tool<TInput, TOutput>): Tool<TInput, TOutput> {
  if (traced.has(tool)) return tool;
  const api = openTelemetryApi();
  if (api === undefined) return tool;
  const wrapped: Tool<TInput, TOutput> = Object.freeze({
    ...tool,
    execute: (input: TInput, context: ToolExecuteContext) => {
      const call = getToolCallSpan(context.runId, context.callId);
      if (call === undefined) return tool.execute(input, context);
      // The call's context is its turn's with its span: reading the active context here would
      // cost an AsyncLocalStorage lookup per call, and give the same context.
      return api.context.with(api.trace.setSpan(call.parent, call.span), () =>
        tool.execute(input, context),
      );
    },
  });
  traced.add(wrapped);
  return wrapped;
}
