import { InvalidOptionsError } from '@reins/core';
import type { McpEvent } from './mcp-event.js';

/** A server started as a child process, spoken to over its stdin and stdout. */
export interface McpStdioTransportSettings {
  readonly type: 'stdio';
  /** The program to run, e.g. `'node'` or `'npx'`. */
  readonly command: string;
  /** Its arguments. @defaultValue `[]` */
  readonly args?: readonly string[];
  /**
   * Its environment. The SDK's default keeps only a few safe variables (`HOME`, `PATH`, …):
   * secrets of this process are not passed on unless listed here.
   * @defaultValue the SDK's default environment
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Its working directory. @defaultValue this process's */
  readonly cwd?: string;
}

/** A server reached over MCP's streamable HTTP transport. */
export interface McpHttpTransportSettings {
  readonly type: 'http';
  /** The MCP endpoint, e.g. `http://127.0.0.1:3000/mcp`. */
  readonly url: string | URL;
  /** Headers sent with every request, e.g. an `Authorization` header. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Settings of {@link connectMcpServer}. */
export interface McpServerSettings {
  /** Names the server in errors, events and the tool source's name. */
  readonly name: string;
  /** How to reach the server. */
  readonly transport: McpStdioTransportSettings | McpHttpTransportSettings;
  /**
   * Put before every tool name, to keep several servers' tools apart (e.g. `'fs_'`).
   * @defaultValue `''`
   */
  readonly toolNamePrefix?: string;
  /** Offer only these tools (by their names on the server). @defaultValue every tool */
  readonly includeTools?: readonly string[];
  /**
   * Timeout of each call of this server's tools, in milliseconds; on timeout the call is
   * cancelled on the server. @defaultValue the agent's `toolTimeoutMs`
   */
  readonly toolTimeoutMs?: number;
  /**
   * Reconnect on the next call after the connection was lost. When `false`, a lost server
   * stays lost: its calls fail at once with `McpConnectionLostError`.
   * @defaultValue true
   */
  readonly reconnect?: boolean;
  /**
   * How long connecting (starting the process, the MCP handshake, the first tool list) may
   * take, in milliseconds. @defaultValue `defaultMcpServerSettings.connectTimeoutMs` (30 000)
   */
  readonly connectTimeoutMs?: number;
  /** Told of tool-list changes, cancellations, dropped late results, losses and reconnects. */
  readonly onEvent?: (event: McpEvent) => void;
}

/** Defaults of {@link McpServerSettings}. */
export const defaultMcpServerSettings = Object.freeze({
  toolNamePrefix: '',
  reconnect: true,
  connectTimeoutMs: 30_000,
});

/**
 * Checks settings before anything starts.
 * @throws {InvalidOptionsError} naming the field and the fix.
 */
export function checkMcpServerSettings(settings: McpServerSettings): void {
  if (typeof settings !== 'object' || settings === null) {
    throw new InvalidOptionsError(
      'settings',
      "connectMcpServer() needs settings: connectMcpServer({ name, transport: { type: 'stdio', command } }).",
    );
  }
  if (typeof settings.name !== 'string' || settings.name.trim() === '') {
    throw new InvalidOptionsError(
      'name',
      `MCP server name ${JSON.stringify(settings.name)} is invalid: give a non-empty name, e.g. name: 'filesystem'.`,
    );
  }
  const transport = settings.transport as { type?: unknown } | undefined;
  if (transport?.type === 'stdio') {
    const { command } = settings.transport as McpStdioTransportSettings;
    if (typeof command !== 'string' || command === '') {
      throw new InvalidOptionsError(
        'transport.command',
        `MCP server '${settings.name}': transport.command ${JSON.stringify(command)} is invalid; give the program to run, e.g. command: 'node'.`,
      );
    }
  } else if (transport?.type === 'http') {
    const { url } = settings.transport as McpHttpTransportSettings;
    if (!URL.canParse(String(url)) || !/^https?:$/.test(new URL(String(url)).protocol)) {
      throw new InvalidOptionsError(
        'transport.url',
        `MCP server '${settings.name}': transport.url ${JSON.stringify(String(url))} is not an http(s) URL; give the server's MCP endpoint, e.g. 'http://127.0.0.1:3000/mcp'.`,
      );
    }
  } else {
    throw new InvalidOptionsError(
      'transport.type',
      `MCP server '${settings.name}': transport.type ${JSON.stringify(transport?.type)} is not supported; use 'stdio' or 'http'.`,
    );
  }
  const prefix = settings.toolNamePrefix;
  if (prefix !== undefined && !/^[a-zA-Z0-9_-]{0,32}$/.test(prefix)) {
    throw new InvalidOptionsError(
      'toolNamePrefix',
      `toolNamePrefix ${JSON.stringify(prefix)} is invalid: use up to 32 letters, digits, '_' or '-'.`,
    );
  }
  for (const field of ['toolTimeoutMs', 'connectTimeoutMs'] as const) {
    const value = settings[field];
    if (value !== undefined && !(value > 0)) {
      throw new InvalidOptionsError(
        field,
        `${field} is ${value}; use a positive number of milliseconds.`,
      );
    }
  }
}
