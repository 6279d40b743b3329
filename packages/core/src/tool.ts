import { z } from 'zod';

/** What a tool's `execute` receives besides its input. */
export interface ToolExecuteContext {
  /** Aborted when the call is cancelled: interrupt, stop, abort, or timeout. Honour it. */
  readonly signal: AbortSignal;
  /** The run the call belongs to. */
  readonly runId: string;
  /**
   * Reins' id for this call: unique in the run, and the same if the call runs again after a
   * crash. Pass it (with `runId`) as the idempotency key of any side effect.
   */
  readonly callId: string;
  /** The id the model server gave the call, when it gave one (see `ToolCall.providerCallId`). */
  readonly providerCallId?: string;
}

/** A tool the agent can call. Create one with {@link defineTool}. */
export interface Tool<TInput = unknown, TOutput = unknown> {
  /** Name the model calls it by: letters, digits, `_` and `-`, at most 64 characters. */
  readonly name: string;
  /** What the tool does and when to use it, as the model reads it. */
  readonly description: string;
  /** Schema of the input; the model's arguments are validated against it before `execute`. */
  readonly input: z.ZodType<TInput>;
  /**
   * The JSON Schema the model sees, for a tool described in JSON Schema rather than zod (an
   * MCP server's tool, for instance). `input` still validates the arguments.
   * @defaultValue the JSON Schema derived from `input`
   */
  readonly inputJsonSchema?: Readonly<Record<string, unknown>>;
  /** Runs the tool. A thrown error becomes the call's error result; the run goes on. */
  execute(input: TInput, context: ToolExecuteContext): Promise<TOutput> | TOutput;
  /**
   * Milliseconds after which the call is cancelled and answered with a timeout error.
   * @defaultValue the agent's `toolTimeoutMs`
   */
  readonly timeoutMs?: number;
}

/** A tool as a backend sends it to a model: name, description and JSON Schema of the input. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

/** The options of {@link defineTool}: a tool's fields. */
export type DefineToolOptions<TInput, TOutput> = Tool<TInput, TOutput>;

/**
 * Defines a tool. The input schema is a zod schema; its JSON Schema is what the model sees.
 *
 * @param options - name, description, input schema, `execute`, optional `timeoutMs`.
 * @returns the tool, ready for `createAgent({ tools })`.
 * @example
 * ```ts
 * const add = defineTool({
 *   name: 'add',
 *   description: 'Adds two numbers.',
 *   input: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => a + b,
 * });
 * ```
 */
export function defineTool<TInput, TOutput>(
  options: DefineToolOptions<TInput, TOutput>,
): Tool<TInput, TOutput> {
  return Object.freeze({ ...options });
}

/** Specs already computed, by tool: a tool's JSON Schema is derived once. */
const specCache = new WeakMap<object, ToolSpec>();

/**
 * Converts a tool to the spec a backend sends to the model.
 * @param tool - a tool from {@link defineTool}.
 * @returns name, description and the JSON Schema of its input (`inputJsonSchema` when set,
 * without its `$schema` key).
 */
// biome-ignore lint/suspicious/noExplicitAny: accepts a tool of any input and output type
export function toToolSpec(tool: Tool<any, any>): ToolSpec {
  const cached = specCache.get(tool);
  if (cached !== undefined) return cached;
  const schema =
    tool.inputJsonSchema ??
    (z.toJSONSchema(tool.input as z.ZodType, {
      target: 'draft-7',
      unrepresentable: 'any',
    }) as Record<string, unknown>);
  const { $schema: _ignored, ...inputSchema } = schema;
  const spec: ToolSpec = Object.freeze({
    name: tool.name,
    description: tool.description,
    inputSchema,
  });
  specCache.set(tool, spec);
  return spec;
}

/**
 * Renders what a tool returned as the text the model reads: strings as they are, anything
 * else as JSON.
 */
export function toolOutputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === undefined) return '';
  return JSON.stringify(output) ?? String(output);
}
