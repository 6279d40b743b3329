import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describeUnknown } from '@reins/core';
import { type CallTrackingHooks, CallTrackingTransport } from './call-tracking-transport.js';
import { McpServerUnavailableError } from './errors/mcp-server-unavailable-error.js';
import type { McpServerSettings } from './mcp-server-settings.js';

/** The stderr bytes of a stdio server kept for error messages. */
const stderrTailBytes = 2048;

/** One connection to a server: a client, its transport, and what was seen of the process. */
export interface McpSession {
  readonly client: Client;
  readonly transport: CallTrackingTransport;
  /** The last stderr output of a stdio server. */
  stderrTail(): string;
  /** The process id of a stdio server. */
  pid(): number | undefined;
  /** Set once the session is lost or closed; what happened. */
  endedBecause: string | undefined;
}

/** What the session tells its connection. */
export interface McpSessionHooks extends CallTrackingHooks {
  /** The transport closed (the process exited, or the session was closed). */
  readonly onClose: (session: McpSession) => void;
  /** The transport reported an error (a stream cut, a failed reconnect). */
  readonly onError: (session: McpSession, error: Error) => void;
  /** The server said its tool list changed. */
  readonly onToolListChanged: (session: McpSession) => void;
}

/**
 * Starts (stdio) or reaches (HTTP) the server and runs the MCP handshake.
 * @throws {McpServerUnavailableError} when the process does not start or the server does not answer.
 */
export async function openSession(
  settings: McpServerSettings,
  hooks: McpSessionHooks,
  timeoutMs: number,
): Promise<McpSession> {
  let stderr = '';
  const inner = createTransport(settings, (chunk) => {
    stderr = (stderr + chunk).slice(-stderrTailBytes);
  });
  const transport = new CallTrackingTransport(inner, hooks);
  const client = new Client({ name: 'reins', version: '0.1.0' }, { capabilities: {} });
  const session: McpSession = {
    client,
    transport,
    stderrTail: () => stderr.trim(),
    pid: () => (inner instanceof StdioClientTransport ? (inner.pid ?? undefined) : undefined),
    endedBecause: undefined,
  };
  client.setNotificationHandler(ToolListChangedNotificationSchema, () =>
    hooks.onToolListChanged(session),
  );
  client.onerror = (error) => hooks.onError(session, error);
  try {
    await client.connect(transport, { timeout: timeoutMs });
  } catch (error) {
    session.endedBecause = 'connect failed';
    await client.close().catch(() => undefined);
    const tail = session.stderrTail();
    throw new McpServerUnavailableError(
      settings.name,
      `Could not connect to MCP server '${settings.name}' (${describeTarget(settings)}): ${describeUnknown(error)}${tail === '' ? '' : `. Its stderr ended with: ${tail}`}. Check that the server starts and answers MCP, or raise connectTimeoutMs.`,
      { cause: error },
    );
  }
  client.onclose = () => hooks.onClose(session);
  return session;
}

function createTransport(
  settings: McpServerSettings,
  onStderr: (chunk: string) => void,
): Transport {
  const { transport } = settings;
  if (transport.type === 'http') {
    return new StreamableHTTPClientTransport(new URL(String(transport.url)), {
      ...(transport.headers === undefined
        ? {}
        : { requestInit: { headers: { ...transport.headers } } }),
    });
  }
  const stdio = new StdioClientTransport({
    command: transport.command,
    args: [...(transport.args ?? [])],
    ...(transport.env === undefined ? {} : { env: { ...transport.env } }),
    ...(transport.cwd === undefined ? {} : { cwd: transport.cwd }),
    stderr: 'pipe',
  });
  stdio.stderr?.on('data', (chunk: Buffer) => onStderr(chunk.toString('utf8')));
  return stdio;
}

/** The command or URL, for messages. */
export function describeTarget(settings: McpServerSettings): string {
  const { transport } = settings;
  return transport.type === 'http'
    ? String(transport.url)
    : [transport.command, ...(transport.args ?? [])].join(' ');
}
