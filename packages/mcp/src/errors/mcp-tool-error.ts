import { ReinsError } from '@reins/core';

const code = 'mcp-tool-error';

/**
 * An MCP server answered a tool call with an error: a result marked `isError`, or a JSON-RPC
 * error (unknown tool, invalid params). Recorded as the call's error result; the run goes on.
 */
export class McpToolError extends ReinsError {
  /** The server's name. */
  readonly serverName: string;
  /** The tool's name on the server. */
  readonly toolName: string;
  /** The JSON-RPC error code, when the server answered with a protocol error. */
  readonly rpcCode: number | undefined;

  /**
   * @param serverName - the server's name.
   * @param toolName - the tool's name on the server.
   * @param detail - the server's error text.
   * @param options - the JSON-RPC code and the underlying `cause`.
   */
  constructor(
    serverName: string,
    toolName: string,
    detail: string,
    options?: { rpcCode?: number; cause?: unknown },
  ) {
    super(
      code,
      `MCP server '${serverName}' reported an error from tool '${toolName}': ${detail}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'McpToolError';
    this.serverName = serverName;
    this.toolName = toolName;
    this.rpcCode = options?.rpcCode;
  }

  /** Whether `value` is an {@link McpToolError}. */
  static override isInstance(value: unknown): value is McpToolError {
    return ReinsError.isInstance(value) && value.code === code;
  }
}
