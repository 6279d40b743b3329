/** Fields of every {@link McpEvent}. */
export interface McpEventBase {
  /** The server's name, as given to `connectMcpServer`. */
  readonly server: string;
  /** When it happened (`Date.now()`). */
  readonly at: number;
}

/**
 * What an MCP server connection reports through `onEvent`:
 * - `tools.changed`: the server's tool list was read again and differs; the agent offers the
 *   new list from its next turn.
 * - `call.cancelled`: a call was cancelled (interrupt, stop, timeout) and the server was sent
 *   `notifications/cancelled`.
 * - `result.discarded`: a result arrived for a call already cancelled, and was dropped.
 * - `connection.lost`: the server exited or stopped answering; calls in flight failed.
 * - `connection.restored`: a call reconnected after a loss.
 */
export type McpEvent =
  | (McpEventBase & { readonly type: 'tools.changed'; readonly toolNames: readonly string[] })
  | (McpEventBase & {
      readonly type: 'call.cancelled';
      readonly toolName: string;
      readonly requestId: string | number;
      readonly reason: string;
    })
  | (McpEventBase & {
      readonly type: 'result.discarded';
      readonly toolName: string;
      readonly requestId: string | number;
    })
  | (McpEventBase & { readonly type: 'connection.lost'; readonly detail: string })
  | (McpEventBase & { readonly type: 'connection.restored' });
