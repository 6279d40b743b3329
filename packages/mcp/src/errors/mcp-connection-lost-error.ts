import { ReinsError } from '@reins/core';

const code = 'mcp-connection-lost';

/**
 * The connection to an MCP server broke: its process exited, its HTTP endpoint stopped
 * answering, or the stream carrying a call's result was cut. A call in flight fails with this
 * error instead of waiting for a result that cannot come; the next call reconnects (unless the
 * connection was made with `reconnect: false`).
 */
export class McpConnectionLostError extends ReinsError {
  /** The server's name, as given to `connectMcpServer`. */
  readonly serverName: string;
  /** The tool whose call was cut, when the loss happened during a call. */
  readonly toolName: string | undefined;

  /**
   * @param serverName - the server's name.
   * @param detail - what was seen: the exit, the transport's error, the server's last stderr lines.
   * @param options - the tool whose call was cut, and the underlying `cause`.
   */
  constructor(
    serverName: string,
    detail: string,
    options?: { toolName?: string; cause?: unknown; reconnects?: boolean },
  ) {
    const during = options?.toolName === undefined ? '' : ` during a call of '${options.toolName}'`;
    const next =
      options?.reconnects === false
        ? 'The connection was made with reconnect: false; connect again with connectMcpServer().'
        : 'The next call reconnects; the call may be made again if it is safe to repeat.';
    super(
      code,
      `The connection to MCP server '${serverName}' was lost${during}: ${detail}. ${next}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'McpConnectionLostError';
    this.serverName = serverName;
    this.toolName = options?.toolName;
  }

  /** Whether `value` is an {@link McpConnectionLostError}. */
  static override isInstance(value: unknown): value is McpConnectionLostError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
