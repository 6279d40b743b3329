import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { defineTool, type Tool } from '@reins/core';
import { z } from 'zod';
import { textOf } from './convert-from-langchain-messages.js';

/** What {@link fromLangChainTool} needs of a LangChain tool (any `StructuredTool` or `tool()`). */
export interface LangChainToolLike {
  readonly name: string;
  readonly description: string;
  /** A zod schema (3 or 4) or a JSON Schema. */
  readonly schema: unknown;
  invoke(input: never, config?: { signal?: AbortSignal }): Promise<unknown>;
}

/**
 * Turns a LangChain tool into a Reins tool. A zod 4 schema is used as it is; any other schema
 * (zod 3, JSON Schema) is converted through JSON Schema, so the model sees the same input
 * shape and Reins validates arguments against it. The call's signal is passed to `invoke`.
 *
 * @param structuredTool - a LangChain `StructuredTool` or `tool()`.
 * @returns a Reins tool for `createAgent({ tools })`.
 * @example
 * ```ts
 * const search = tool(async ({ query }) => `results for ${query}`, {
 *   name: 'search', description: 'Searches.', schema: z.object({ query: z.string() }) });
 * const agent = createAgent({ backend, tools: [fromLangChainTool(search)] });
 * ```
 */
export function fromLangChainTool(structuredTool: LangChainToolLike): Tool<unknown, string> {
  const schema = structuredTool.schema;
  const isZod4 = typeof schema === 'object' && schema !== null && '_zod' in schema;
  const jsonSchema = isZod4
    ? undefined
    : (toJsonSchema(schema as never) as Record<string, unknown>);
  const input: z.ZodType =
    jsonSchema === undefined
      ? (schema as z.ZodType)
      : z.fromJSONSchema(jsonSchema as Parameters<typeof z.fromJSONSchema>[0]);
  return defineTool<unknown, string>({
    name: structuredTool.name,
    description: structuredTool.description,
    input,
    // The model sees the tool's own JSON Schema, not one derived back from zod.
    ...(jsonSchema === undefined ? {} : { inputJsonSchema: jsonSchema }),
    async execute(value, context) {
      const output: unknown = await structuredTool.invoke(value as never, {
        signal: context.signal,
      });
      if (typeof output === 'string') return output;
      if (typeof output === 'object' && output !== null && 'content' in output)
        return textOf((output as { content: never }).content);
      return JSON.stringify(output) ?? String(output);
    },
  });
}
