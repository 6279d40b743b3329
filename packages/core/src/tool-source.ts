import type { Tool } from './tool.js';

/**
 * Tools whose list may change while a run goes on, such as an MCP server's. The loop reads
 * `currentTools()` before every turn (and once when a run starts or resumes): a change is offered
 * to the model from the next turn on, and a turn's tool calls run against the list that turn
 * offered.
 *
 * @example
 * ```ts
 * const source: ToolSource = { name: 'clock', currentTools: () => [now] };
 * const agent = createAgent({ backend, toolSources: [source] });
 * ```
 */
export interface ToolSource {
  /** Names the source in error messages, e.g. `'mcp:filesystem'`. */
  readonly name: string;
  /**
   * The tools on offer now. Called at the start of every turn: synchronous and cheap (return
   * the same array while nothing changed).
   */
  // biome-ignore lint/suspicious/noExplicitAny: tools with different input and output types
  currentTools(): readonly Tool<any, any>[];
}
