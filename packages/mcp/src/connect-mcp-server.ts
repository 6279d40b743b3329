import { ErrorCode, McpError, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { defineTool, describeUnknown, type Tool, type ToolSource } from '@reins/core';
import { callToolResultText } from './call-tool-result-text.js';
import { McpConnectionLostError } from './errors/mcp-connection-lost-error.js';
import { McpServerUnavailableError } from './errors/mcp-server-unavailable-error.js';
import { McpToolError } from './errors/mcp-tool-error.js';
import { jsonSchemaInput } from './json-schema-input.js';
import type { McpEvent } from './mcp-event.js';
import {
  checkMcpServerSettings,
  defaultMcpServerSettings,
  type McpServerSettings,
} from './mcp-server-settings.js';
import { describeTarget, type McpSession, openSession } from './open-session.js';
import { toReinsToolName, uniqueToolName } from './tool-name.js';

/** Where a connection stands. */
export type McpConnectionStatus = 'ready' | 'lost' | 'closed';

/**
 * A live connection to one MCP server, and a {@link ToolSource}: pass it to
 * `createAgent({ toolSources })` and the agent offers the server's tools, read again before
 * every turn.
 */
export interface McpServerConnection extends ToolSource {
  /** `mcp:` and the server's name. */
  readonly name: string;
  /** `ready`; `lost` after a crash or cut (the next call reconnects); `closed` after `close()`. */
  readonly status: McpConnectionStatus;
  /** The process id of a stdio server while connected; `undefined` over HTTP. */
  readonly pid: number | undefined;
  /** The server's own name and version, from the handshake. */
  readonly serverInfo: { readonly name: string; readonly version: string } | undefined;
  /** The server's tools as Reins tools (the same array until the list changes; empty once closed). */
  currentTools(): readonly Tool<Record<string, unknown>, string>[];
  /**
   * Reads the tool list from the server now (it is also read whenever the server announces a
   * change).
   * @returns the new list.
   */
  refreshTools(): Promise<readonly Tool<Record<string, unknown>, string>[]>;
  /** Closes the connection (a stdio server's process is ended). Calls in flight fail. */
  close(): Promise<void>;
}

/** The largest timer Node accepts: calls are timed by the agent, not by the SDK. */
const noSdkTimeout = 2_147_483_647;

/**
 * Connects to an MCP server over stdio or streamable HTTP and lists its tools.
 *
 * Each server tool becomes a Reins tool whose schema is the server's JSON Schema (arguments are
 * validated against it before the call; a mismatch is an `InvalidToolInputError` the model
 * reads). A call that is interrupted, stopped or timed out is cancelled on the server
 * (`notifications/cancelled`) and any result that still arrives is dropped. A server that exits
 * or stops answering fails the calls in flight with {@link McpConnectionLostError}, never a
 * hang; the next call reconnects. A `notifications/tools/list_changed` is followed by a new
 * listing, which a call announcing it waits for, so that the next turn offers the new list.
 *
 * @param settings - name, transport, tool-name prefix, timeouts, reconnect policy, events.
 * @returns the connection, ready to pass as a tool source.
 * @throws {InvalidOptionsError} for invalid settings.
 * @throws {McpServerUnavailableError} when the server cannot be started or reached.
 * @example
 * ```ts
 * const files = await connectMcpServer({
 *   name: 'filesystem',
 *   transport: { type: 'stdio', command: 'npx', args: ['@modelcontextprotocol/server-filesystem', dir] },
 *   toolNamePrefix: 'fs_',
 * });
 * const agent = createAgent({ backend, toolSources: [files] });
 * ```
 */
export async function connectMcpServer(settings: McpServerSettings): Promise<McpServerConnection> {
  checkMcpServerSettings(settings);
  const connection = new Connection(settings);
  await connection.open();
  return connection;
}

class Connection implements McpServerConnection {
  readonly name: string;
  status: McpConnectionStatus = 'lost';
  private session: McpSession | undefined;
  private tools: readonly Tool<Record<string, unknown>, string>[] = [];
  /** Tools by their definition, so an unchanged tool keeps its object (and compiled schema). */
  private toolsByDefinition = new Map<string, Tool<Record<string, unknown>, string>>();
  private reconnecting: Promise<McpSession> | undefined;
  /** The listing under way after a change notice; a call that saw the notice waits for it. */
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  /** Whether the tools were listed once: later listings that differ are announced. */
  private listed = false;
  /** Reins tool names by MCP name, for events. */
  private reinsNames = new Map<string, string>();
  private readonly prefix: string;
  private readonly reconnect: boolean;
  private readonly connectTimeoutMs: number;

  constructor(private readonly settings: McpServerSettings) {
    this.name = `mcp:${settings.name}`;
    this.prefix = settings.toolNamePrefix ?? defaultMcpServerSettings.toolNamePrefix;
    this.reconnect = settings.reconnect ?? defaultMcpServerSettings.reconnect;
    this.connectTimeoutMs = settings.connectTimeoutMs ?? defaultMcpServerSettings.connectTimeoutMs;
  }

  get pid() {
    return this.status === 'ready' ? this.session?.pid() : undefined;
  }

  get serverInfo() {
    const info = this.session?.client.getServerVersion();
    return info === undefined ? undefined : { name: info.name, version: info.version };
  }

  currentTools() {
    return this.status === 'closed' ? [] : this.tools;
  }

  async open(): Promise<void> {
    const session = await this.startSession();
    this.session = session;
    this.status = 'ready';
  }

  async refreshTools() {
    const session = await this.readySession(undefined);
    await this.listTools(session);
    return this.tools;
  }

  async close(): Promise<void> {
    if (this.status === 'closed') return;
    this.status = 'closed';
    const session = this.session;
    this.session = undefined;
    if (session !== undefined) {
      session.endedBecause ??= 'the connection was closed';
      await session.client.close().catch(() => undefined);
    }
  }

  /** Opens a session and reads its tools; a failed listing closes it again. */
  private async startSession(): Promise<McpSession> {
    const session = await openSession(
      this.settings,
      {
        onClose: (closed) => this.lose(closed, 'the server closed the connection'),
        onError: (failing, error) => this.checkAfterError(failing, error),
        onToolListChanged: (changed) => this.refreshSoon(changed),
        onCancelSent: (requestId, toolName, reason) =>
          this.emit({
            type: 'call.cancelled',
            toolName: this.reinsName(toolName),
            requestId,
            reason,
          }),
        onLateResult: (requestId, toolName) =>
          this.emit({ type: 'result.discarded', toolName: this.reinsName(toolName), requestId }),
      },
      this.connectTimeoutMs,
    );
    try {
      await this.listTools(session);
    } catch (error) {
      session.endedBecause = 'listing its tools failed';
      await session.client.close().catch(() => undefined);
      throw new McpServerUnavailableError(
        this.settings.name,
        `MCP server '${this.settings.name}' (${describeTarget(this.settings)}) connected but listing its tools failed: ${describeUnknown(error)}. Check the server's logs.`,
        { cause: error },
      );
    }
    return session;
  }

  /** The session to call on: the current one, or a new one after a loss. */
  private async readySession(signal: AbortSignal | undefined): Promise<McpSession> {
    if (this.status === 'closed') {
      throw new McpServerUnavailableError(
        this.settings.name,
        `MCP server '${this.settings.name}' was closed. Connect again with connectMcpServer().`,
      );
    }
    if (this.status === 'ready' && this.session !== undefined) return this.session;
    if (!this.reconnect) {
      throw new McpConnectionLostError(
        this.settings.name,
        this.session?.endedBecause ?? 'it is not connected',
        { reconnects: false },
      );
    }
    this.reconnecting ??= this.startSession().then(
      (session) => {
        this.reconnecting = undefined;
        if (this.status === 'closed') {
          void session.client.close().catch(() => undefined);
          throw new McpServerUnavailableError(
            this.settings.name,
            `MCP server '${this.settings.name}' was closed while reconnecting.`,
          );
        }
        this.session = session;
        this.status = 'ready';
        this.emit({ type: 'connection.restored' });
        return session;
      },
      (error: unknown) => {
        this.reconnecting = undefined;
        throw error;
      },
    );
    return abortable(this.reconnecting, signal);
  }

  /** Calls one tool; the execute of every Reins tool of this server. */
  async callTool(
    mcpName: string,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<string> {
    const session = await this.readySession(signal);
    let result: Awaited<ReturnType<typeof session.client.callTool>>;
    try {
      result = await session.client.callTool({ name: mcpName, arguments: input }, undefined, {
        signal,
        timeout: noSdkTimeout,
      });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // The last stderr lines of a crashed process may still be on their way.
      if (session.endedBecause !== undefined) await new Promise((resolve) => setImmediate(resolve));
      throw this.callError(session, mcpName, error);
    }
    // A change announced before this result is offered from the next turn on.
    if (this.refreshing !== undefined) await this.refreshing;
    if (result.isError === true) {
      throw new McpToolError(
        this.settings.name,
        mcpName,
        callToolResultText(result as never) || 'no detail given',
      );
    }
    return callToolResultText(result as never);
  }

  private callError(session: McpSession, mcpName: string, error: unknown): Error {
    if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) {
      return new McpToolError(this.settings.name, mcpName, error.message, {
        rpcCode: error.code,
        cause: error,
      });
    }
    // The SDK checks results with zod: a failed check carries its issues.
    if (Array.isArray((error as { issues?: unknown } | null)?.issues)) {
      return new McpToolError(
        this.settings.name,
        mcpName,
        `the result is not a valid MCP tool result (${describeUnknown(error)})`,
        { cause: error },
      );
    }
    if (this.status === 'closed') {
      return new McpServerUnavailableError(
        this.settings.name,
        `MCP server '${this.settings.name}' was closed during a call of '${this.reinsName(mcpName)}'. Connect again with connectMcpServer().`,
        { cause: error },
      );
    }
    // The connection closed under the call, or the request could not be sent at all.
    this.lose(session, session.endedBecause ?? describeUnknown(error));
    return new McpConnectionLostError(
      this.settings.name,
      describeEnd(session, describeUnknown(error)),
      {
        toolName: this.reinsName(mcpName),
        reconnects: this.reconnect,
        cause: error,
      },
    );
  }

  /** Marks `session` lost (once) and closes it, so that its calls in flight fail now. */
  private lose(session: McpSession, detail: string): void {
    if (session.endedBecause === undefined) session.endedBecause = detail;
    if (session !== this.session || this.status !== 'ready') return;
    this.status = 'lost';
    this.emit({ type: 'connection.lost', detail: session.endedBecause });
    void session.client.close().catch(() => undefined);
  }

  /**
   * A transport error (an HTTP stream cut, most often) may mean the server is gone while calls
   * wait for results that cannot come. With calls in flight, ask the server for a ping: no
   * answer, and the session is lost.
   */
  private checkAfterError(session: McpSession, error: Error): void {
    if (session !== this.session || this.status !== 'ready') return;
    if (session.transport.inFlight.size === 0) return;
    void session.client
      .ping({ timeout: Math.min(this.connectTimeoutMs, 5_000) })
      .catch((pingError: unknown) =>
        this.lose(session, `${error.message}; then a ping failed: ${describeUnknown(pingError)}`),
      );
  }

  private refreshSoon(session: McpSession): void {
    if (this.refreshing !== undefined) {
      this.refreshAgain = true;
      return;
    }
    const run = async (): Promise<void> => {
      do {
        this.refreshAgain = false;
        try {
          await this.listTools(session);
        } catch {
          // The old list stays; a lost connection is reported by the calls.
          return;
        }
      } while (this.refreshAgain);
    };
    this.refreshing = run().finally(() => {
      this.refreshing = undefined;
    });
  }

  private async listTools(session: McpSession): Promise<void> {
    const listed: McpTool[] = [];
    let cursor: string | undefined;
    do {
      const page = await session.client.listTools(cursor === undefined ? undefined : { cursor }, {
        timeout: this.connectTimeoutMs,
      });
      listed.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    // A listing of a session lost meanwhile must not replace a newer one.
    if (session.endedBecause !== undefined) return;
    const include = this.settings.includeTools;
    const chosen =
      include === undefined ? listed : listed.filter((tool) => include.includes(tool.name));
    const taken = new Set<string>();
    const reinsNames = new Map<string, string>();
    const byDefinition = new Map<string, Tool<Record<string, unknown>, string>>();
    const tools = chosen.map((mcpTool) => {
      const definition = JSON.stringify([mcpTool.name, mcpTool.description, mcpTool.inputSchema]);
      const name = uniqueToolName(toReinsToolName(mcpTool.name, this.prefix), mcpTool.name, taken);
      taken.add(name);
      reinsNames.set(mcpTool.name, name);
      const known = this.toolsByDefinition.get(definition);
      const tool = known?.name === name ? known : this.toReinsTool(mcpTool, name);
      byDefinition.set(definition, tool);
      return tool;
    });
    const changed =
      tools.length !== this.tools.length || tools.some((tool, index) => tool !== this.tools[index]);
    this.toolsByDefinition = byDefinition;
    this.reinsNames = reinsNames;
    const first = !this.listed;
    this.listed = true;
    if (!changed) return;
    this.tools = tools;
    if (!first) this.emit({ type: 'tools.changed', toolNames: tools.map((tool) => tool.name) });
  }

  private toReinsTool(mcpTool: McpTool, name: string): Tool<Record<string, unknown>, string> {
    const mcpName = mcpTool.name;
    return defineTool({
      name,
      description:
        mcpTool.description ??
        mcpTool.title ??
        `Tool '${mcpName}' of MCP server '${this.settings.name}'.`,
      input: jsonSchemaInput(mcpTool.inputSchema),
      inputJsonSchema: mcpTool.inputSchema,
      execute: (input, context) => this.callTool(mcpName, input, context.signal),
      ...(this.settings.toolTimeoutMs === undefined
        ? {}
        : { timeoutMs: this.settings.toolTimeoutMs }),
    });
  }

  private reinsName(mcpName: string): string {
    return this.reinsNames.get(mcpName) ?? toReinsToolName(mcpName, this.prefix);
  }

  private emit(event: DistributiveOmit<McpEvent, 'server' | 'at'>): void {
    this.settings.onEvent?.({ ...event, server: this.settings.name, at: Date.now() } as McpEvent);
  }
}

/** `Omit` applied to each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Why `session` ended, with the last stderr lines of a stdio server. */
function describeEnd(session: McpSession, fallback: string): string {
  const tail = session.stderrTail();
  return `${session.endedBecause ?? fallback}${tail === '' ? '' : ` (its stderr ended with: ${tail.slice(-500)})`}`;
}

/** `promise`, or the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
