/**
 * Tools from MCP servers as Reins tools. `connectMcpServer()` reaches a server over stdio or
 * streamable HTTP and returns a connection that is a `ToolSource`: pass it to
 * `createAgent({ toolSources })`. The server's JSON Schemas validate the model's arguments;
 * interrupts, stops and timeouts cancel calls on the server (`notifications/cancelled`) and
 * late results are dropped; a server that exits or stops answering fails its calls with a typed
 * error and is reconnected on the next call; tool-list changes are offered from the next turn.
 *
 * Events of a connection (`onEvent`): `tools.changed`; per cancelled call `call.cancelled`,
 * then at most one `result.discarded`; `connection.lost`, then `connection.restored` when a
 * later call reconnects.
 *
 * @module @reins/mcp
 */
export { callToolResultText } from './call-tool-result-text.js';
export {
  connectMcpServer,
  type McpConnectionStatus,
  type McpServerConnection,
} from './connect-mcp-server.js';
export {
  createStopOnServerLoss,
  type StopOnServerLossOptions,
} from './create-stop-on-server-loss.js';
export { McpConnectionLostError } from './errors/mcp-connection-lost-error.js';
export { McpServerUnavailableError } from './errors/mcp-server-unavailable-error.js';
export { McpToolError } from './errors/mcp-tool-error.js';
export { jsonSchemaInput } from './json-schema-input.js';
export type { McpEvent, McpEventBase } from './mcp-event.js';
export {
  defaultMcpServerSettings,
  type McpHttpTransportSettings,
  type McpServerSettings,
  type McpStdioTransportSettings,
} from './mcp-server-settings.js';
export { toReinsToolName } from './tool-name.js';
