import { ReinsError } from '@reins/core';

const code = 'mcp-server-unavailable';

/**
 * An MCP server could not be reached: connecting or reconnecting failed (the command does not
 * start, the URL does not answer, initialisation timed out), or the connection was closed.
 */
export class McpServerUnavailableError extends ReinsError {
  /** The server's name, as given to `connectMcpServer`. */
  readonly serverName: string;

  /**
   * @param serverName - the server's name.
   * @param message - what failed and how to fix it.
   * @param options - the underlying `cause`.
   */
  constructor(serverName: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'McpServerUnavailableError';
    this.serverName = serverName;
  }

  /** Whether `value` is an {@link McpServerUnavailableError}. */
  static override isInstance(value: unknown): value is McpServerUnavailableError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
