import { InvalidOptionsError } from './errors/invalid-options-error.js';
import type { Tool, ToolSpec } from './tool.js';
import { toToolSpec } from './tool.js';
import type { ToolSource } from './tool-source.js';

/** The tools one turn offers: by name, as specs for the backend, and their names. */
export interface ToolSet {
  readonly tools: ReadonlyMap<string, Tool>;
  readonly specs: readonly ToolSpec[];
  readonly names: readonly string[];
  /** What each source returned when the set was made: an unchanged source reuses the set. */
  readonly sourced: readonly (readonly unknown[])[];
}

const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Checks one tool's fields.
 * @param field - where the tool came from, for the error, e.g. `tools[2]`.
 * @throws {InvalidOptionsError} naming the field and the fix.
 */
// biome-ignore lint/suspicious/noExplicitAny: a tool of any input and output type
export function checkTool(tool: Tool<any, any>, field: string): void {
  if (typeof tool?.name !== 'string' || !toolNamePattern.test(tool.name)) {
    throw new InvalidOptionsError(
      `${field}.name`,
      `Tool name ${JSON.stringify(tool?.name)} is invalid: use 1–64 letters, digits, '_' or '-'.`,
    );
  }
  if (typeof tool.execute !== 'function') {
    throw new InvalidOptionsError(
      `${field}.execute`,
      `Tool '${tool.name}' has no execute function. Define it with defineTool({ execute }).`,
    );
  }
  if (typeof (tool.input as { safeParse?: unknown })?.safeParse !== 'function') {
    throw new InvalidOptionsError(
      `${field}.input`,
      `Tool '${tool.name}' needs a zod schema as input, e.g. input: z.object({ path: z.string() }).`,
    );
  }
  if (tool.timeoutMs !== undefined && !(tool.timeoutMs > 0)) {
    throw new InvalidOptionsError(
      `${field}.timeoutMs`,
      `Tool '${tool.name}' has timeoutMs ${tool.timeoutMs}; use a positive number of milliseconds.`,
    );
  }
}

/**
 * Makes the tool set of a turn: the agent's own tools, then each source's current tools.
 * Returns `previous` unchanged when every source returned the same array as last time.
 *
 * @throws {InvalidOptionsError} when a source's tool is invalid or two tools share a name.
 */
export function resolveToolSet(
  own: readonly Tool[],
  sources: readonly ToolSource[],
  previous?: ToolSet,
): ToolSet {
  const sourced = sources.map((source, index) => {
    const tools = source.currentTools();
    if (!Array.isArray(tools)) {
      throw new InvalidOptionsError(
        `toolSources[${index}]`,
        `Tool source '${String(source.name)}' returned ${typeof tools} from currentTools(); return an array of tools.`,
      );
    }
    return tools as readonly Tool[];
  });
  if (
    previous !== undefined &&
    previous.sourced.length === sourced.length &&
    previous.sourced.every((tools, index) => tools === sourced[index])
  ) {
    return previous;
  }
  const tools = new Map<string, Tool>();
  const origins = new Map<string, string>();
  const add = (tool: Tool, field: string, origin: string) => {
    checkTool(tool, field);
    const earlier = origins.get(tool.name);
    if (earlier !== undefined) {
      throw new InvalidOptionsError(
        `${field}.name`,
        `Tool '${tool.name}' from ${origin} is defined twice (also by ${earlier}). Give each tool a unique name, e.g. with a prefix per tool source.`,
      );
    }
    origins.set(tool.name, origin);
    tools.set(tool.name, tool);
  };
  for (const [index, tool] of own.entries()) add(tool, `tools[${index}]`, 'the agent');
  for (const [sourceIndex, list] of sourced.entries()) {
    const origin = `tool source '${String(sources[sourceIndex]?.name)}'`;
    for (const [index, tool] of list.entries())
      add(tool, `toolSources[${sourceIndex}][${index}]`, origin);
  }
  const specs = [...tools.values()].map(toToolSpec);
  return { tools, specs, names: specs.map((spec) => spec.name), sourced };
}
