import type { Tool, ToolExecuteContext } from '@reins/core';
import { getToolSpan } from './active-tool-spans.js';
import { openTelemetryApi } from './opentelemetry-api.js';

const traced = new WeakSet<object>();

/**
 * Wraps tools so that their code runs inside the span of its call (`execute_tool <name>`):
 * `trace.getActiveSpan()` in a tool returns that span, and any instrumented client the tool
 * uses (HTTP, a database) makes its spans children of it. In a run that is not traced, a
 * wrapped tool calls the original directly.
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
      const span = getToolSpan(context.runId, context.callId);
      if (span === undefined) return tool.execute(input, context);
      return api.context.with(api.trace.setSpan(api.context.active(), span), () =>
        tool.execute(input, context),
      );
    },
  });
  traced.add(wrapped);
  return wrapped;
}
