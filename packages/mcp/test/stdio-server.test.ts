import { fileURLToPath } from 'node:url';
import { createAgent, type Message, type ToolMessage } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { connectMcpServer, type McpEvent, McpServerUnavailableError } from '../src/index.js';

const entry = fileURLToPath(new URL('./fixtures/stdio-server.mjs', import.meta.url));

function toolResults(messages: readonly Message[]): ToolMessage[] {
  return messages.filter((message): message is ToolMessage => message.role === 'tool');
}

describe('a stdio server that crashes mid-call', () => {
  it('fails the call with a typed error carrying its stderr, then restarts it on the next call', async () => {
    const events: McpEvent[] = [];
    const connection = await connectMcpServer({
      name: 'crashy',
      transport: { type: 'stdio', command: process.execPath, args: [entry] },
      onEvent: (event) => events.push(event),
    });
    try {
      const backend = createScriptedBackend({
        responses: [
          { toolCalls: [{ name: 'echo', arguments: { text: 'before' } }] },
          { toolCalls: [{ name: 'crash', arguments: {} }] },
          { toolCalls: [{ name: 'echo', arguments: { text: 'after' } }] },
          { text: 'Recovered.' },
        ],
      });
      const result = await createAgent({ backend, toolSources: [connection] }).run('Crash once.')
        .result;
      expect(result.status).toBe('done');
      const [before, crash, after] = toolResults(result.messages);
      expect(crash?.result).toMatchObject({
        status: 'error',
        error: { code: 'mcp-connection-lost' },
      });
      const message = crash?.result.status === 'error' ? crash.result.error.message : '';
      expect(message).toContain("during a call of 'crash'");
      expect(message).toContain('out of memory (simulated)');
      const pid = (output: ToolMessage | undefined) =>
        output?.result.status === 'ok' ? output.result.output.split(' from ')[1] : undefined;
      expect(pid(after)).toBeDefined();
      expect(pid(after)).not.toBe(pid(before));
      expect(events.map((event) => event.type)).toEqual(['connection.lost', 'connection.restored']);
    } finally {
      await connection.close();
    }
  });

  it("records a result that is not an MCP tool result as the server's error, and goes on", async () => {
    const connection = await connectMcpServer({
      name: 'broken',
      transport: { type: 'stdio', command: process.execPath, args: [entry] },
    });
    try {
      const backend = createScriptedBackend({
        responses: [
          { toolCalls: [{ name: 'malformed', arguments: {} }] },
          { toolCalls: [{ name: 'echo', arguments: { text: 'next' } }] },
          { text: 'ok' },
        ],
      });
      const result = await createAgent({ backend, toolSources: [connection] }).run('Try.').result;
      const [malformed, echo] = toolResults(result.messages);
      expect(malformed?.result).toMatchObject({
        status: 'error',
        error: {
          code: 'mcp-tool-error',
          message: expect.stringContaining('not a valid MCP tool result'),
        },
      });
      expect(echo?.result.status).toBe('ok');
    } finally {
      await connection.close();
    }
  });

  it('stays down with reconnect: false, failing calls at once with the fix', async () => {
    const connection = await connectMcpServer({
      name: 'crashy',
      transport: { type: 'stdio', command: process.execPath, args: [entry] },
      reconnect: false,
    });
    const [crash, echo] = ['crash', 'echo'].map((name) =>
      connection.currentTools().find((tool) => tool.name === name),
    );
    const signal = new AbortController().signal;
    const context = { signal, runId: 'r', callId: 'c' };
    await expect(crash?.execute({}, context)).rejects.toMatchObject({
      code: 'mcp-connection-lost',
    });
    await expect(echo?.execute({ text: 'x' }, context)).rejects.toThrow(
      /reconnect: false; connect again with connectMcpServer\(\)/,
    );
    await connection.close();
    expect(connection.currentTools()).toEqual([]);
  });

  it('fails a call in flight when the connection is closed, naming the fix', async () => {
    const connection = await connectMcpServer({
      name: 'closing',
      transport: { type: 'stdio', command: process.execPath, args: [entry] },
    });
    const sleep = connection.currentTools().find((tool) => tool.name === 'sleep');
    const failure = Promise.resolve(
      sleep?.execute(
        { ms: 60_000 },
        { signal: new AbortController().signal, runId: 'r', callId: 'c' },
      ),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    await connection.close();
    const error = await failure;
    expect(McpServerUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/was closed during a call of 'sleep'/);
    expect(connection.status).toBe('closed');
  });

  it('reports a command that does not start as McpServerUnavailableError naming the command', async () => {
    const attempt = connectMcpServer({
      name: 'missing',
      transport: { type: 'stdio', command: '/nonexistent/mcp-server' },
    });
    await expect(attempt).rejects.toSatisfy(McpServerUnavailableError.isInstance);
    await expect(attempt).rejects.toThrow(/\/nonexistent\/mcp-server/);
  });
});
