import { tool as createLangChainTool, type DynamicStructuredTool } from '@langchain/core/tools';
import { InvalidToolInputError, type Tool, toolOutputText } from '@reins/core';

/**
 * Turns a Reins tool into a LangChain tool with the same name, description and schema: its
 * zod schema, or the JSON Schema of a tool described in JSON Schema (`inputJsonSchema`, as an
 * MCP server's tools are), whose arguments the tool's `input` still validates. The LangChain
 * run's `signal` reaches the tool's `execute`, and its output is rendered as the text a model
 * reads (strings as they are, anything else as JSON).
 *
 * @param reinsTool - a tool from `defineTool`.
 * @returns a LangChain `DynamicStructuredTool`, for `bindTools`, `ToolNode` or `createAgent`.
 * @example
 * ```ts
 * const add = defineTool({ name: 'add', description: 'Adds.', input: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => a + b });
 * await toLangChainTool(add).invoke({ a: 1, b: 2 }); // '3'
 * ```
 */
export function toLangChainTool<TInput, TOutput>(
  reinsTool: Tool<TInput, TOutput>,
): DynamicStructuredTool {
  return createLangChainTool(
    async (
      input: unknown,
      config?: { signal?: AbortSignal; runId?: string; toolCall?: { id?: string } },
    ) => {
      const output = await reinsTool.execute(validated(reinsTool, input), {
        signal: config?.signal ?? new AbortController().signal,
        runId: config?.runId ?? 'langchain',
        callId: config?.toolCall?.id ?? reinsTool.name,
      });
      return toolOutputText(output);
    },
    {
      name: reinsTool.name,
      description: reinsTool.description,
      schema: (reinsTool.inputJsonSchema ?? reinsTool.input) as never,
    },
  ) as unknown as DynamicStructuredTool;
}

/** The input as the tool's own schema reads it (LangChain checked a JSON Schema only). */
function validated<TInput>(reinsTool: Tool<TInput, unknown>, input: unknown): TInput {
  if (reinsTool.inputJsonSchema === undefined) return input as TInput;
  const parsed = reinsTool.input.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidToolInputError(
    reinsTool.name,
    JSON.stringify(input) ?? String(input),
    parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    { cause: parsed.error },
  );
}
