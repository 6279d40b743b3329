import { createAgent, type Message, type ToolMessage } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectMcpServer,
  createStopOnServerLoss,
  type McpEvent,
  type McpServerConnection,
} from '../src/index.js';
import { type HttpServerProcess, startHttpServer } from './http-server-process.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fixture server and a connection to it, with the connection's events. */
async function setUp(settings: { toolTimeoutMs?: number; reconnect?: boolean } = {}) {
  const server = await startHttpServer();
  cleanups.push(() => server.kill());
  return connectTo(server, settings);
}

async function connectTo(
  server: HttpServerProcess,
  settings: { toolTimeoutMs?: number; reconnect?: boolean } = {},
) {
  const events: McpEvent[] = [];
  const waiters: { type: McpEvent['type']; resolve: (event: McpEvent) => void }[] = [];
  const connection = await connectMcpServer({
    name: 'fixture',
    transport: { type: 'http', url: server.url },
    ...settings,
    onEvent: (event) => {
      events.push(event);
      for (const waiter of waiters.filter((candidate) => candidate.type === event.type)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    },
  });
  cleanups.push(() => connection.close());
  const nextEvent = (type: McpEvent['type']) =>
    new Promise<McpEvent>((resolve) => {
      const seen = events.find((event) => event.type === type);
      if (seen !== undefined) resolve(seen);
      else waiters.push({ type, resolve });
    });
  return { server, connection, events, nextEvent };
}

function toolResults(messages: readonly Message[]): ToolMessage[] {
  return messages.filter((message): message is ToolMessage => message.role === 'tool');
}

/** Every tool call in history has exactly one result, right after its assistant message. */
function expectConsistentHistory(messages: readonly Message[]): void {
  for (const [index, message] of messages.entries()) {
    if (message.role !== 'assistant') continue;
    const results: ToolMessage[] = [];
    let next = index + 1;
    while (messages[next]?.role === 'tool') results.push(messages[next++] as ToolMessage);
    expect(results.map((result) => result.toolCallId)).toEqual(
      message.toolCalls.map((call) => call.id),
    );
  }
}

function agentOn(
  connection: McpServerConnection,
  responses: Parameters<typeof createScriptedBackend>[0]['responses'],
) {
  const backend = createScriptedBackend({ responses });
  return { backend, agent: createAgent({ backend, toolSources: [connection] }) };
}

describe('an SDK-built streamable HTTP server on loopback', () => {
  it('cancels a hung call on the server when the run is interrupted now, and drops its late result', async () => {
    const { server, connection, nextEvent } = await setUp();
    const { agent } = agentOn(connection, [
      { toolCalls: [{ name: 'hang', arguments: { label: 'A' } }] },
      { toolCalls: [{ name: 'echo', arguments: { text: 'still connected' } }] },
      { text: 'Stopped waiting.' },
    ]);
    const handle = agent.run('Wait for A.');
    const started = await server.next('started');
    handle.interrupt({ kind: 'addition', text: 'Do not wait for A.', urgency: 'now' });

    const cancelled = await server.next('cancelled');
    expect(cancelled.requestId).toEqual(started.requestId);
    const sent = await nextEvent('call.cancelled');
    expect(sent).toMatchObject({ toolName: 'hang', requestId: started.requestId });
    await server.next('late-sent');
    const discarded = await nextEvent('result.discarded');
    expect(discarded).toMatchObject({ toolName: 'hang', requestId: started.requestId });

    const result = await handle.result;
    expect(result.status).toBe('done');
    expectConsistentHistory(result.messages);
    const [hang, echo] = toolResults(result.messages);
    expect(hang?.result.status).toBe('cancelled');
    expect(echo?.result).toEqual({ status: 'ok', output: 'still connected' });
    expect(JSON.stringify(result.messages)).not.toContain('late result');
  });

  it('cancels a call on the server when it times out, and records the timeout', async () => {
    const { server, connection, nextEvent } = await setUp({ toolTimeoutMs: 300 });
    const { agent } = agentOn(connection, [
      { toolCalls: [{ name: 'hang', arguments: { label: 'B' } }] },
      { text: 'Gave up.' },
    ]);
    const result = await agent.run('Wait for B.').result;
    const [hang] = toolResults(result.messages);
    expect(hang?.result).toMatchObject({ status: 'error', error: { code: 'tool-timeout' } });
    const cancelled = await server.next('cancelled');
    expect(cancelled.reason).toContain('did not finish within 300 ms');
    await nextEvent('result.discarded');
    expect(JSON.stringify(result.messages)).not.toContain('late result');
  });

  it('offers a tool the server added from the next turn on', async () => {
    const { connection, nextEvent } = await setUp();
    const { agent, backend } = agentOn(connection, [
      { toolCalls: [{ name: 'add_tool', arguments: { name: 'shout' } }] },
      { toolCalls: [{ name: 'shout', arguments: { text: 'hi' } }] },
      { text: 'Done.' },
    ]);
    const result = await agent.run('Add a tool and use it.').result;
    expect(result.status).toBe('done');
    expect(backend.requests[0]?.tools.map((tool) => tool.name)).not.toContain('shout');
    expect(backend.requests[1]?.tools.map((tool) => tool.name)).toContain('shout');
    expect(toolResults(result.messages)[1]?.result).toEqual({ status: 'ok', output: 'shout:hi' });
    expect(await nextEvent('tools.changed')).toMatchObject({
      toolNames: expect.arrayContaining(['shout']),
    });
  });

  it("records a server's error result as a typed mcp-tool-error", async () => {
    const { connection } = await setUp();
    const { agent } = agentOn(connection, [
      { toolCalls: [{ name: 'fail', arguments: {} }] },
      { text: 'ok' },
    ]);
    const result = await agent.run('Fail.').result;
    expect(toolResults(result.messages)[0]?.result).toMatchObject({
      status: 'error',
      error: { code: 'mcp-tool-error', message: expect.stringContaining('the disk is full') },
    });
  });
});

describe('an HTTP server frozen mid-call (SIGSTOP)', () => {
  it('times the call out instead of waiting on it, and the run goes on', async () => {
    const { server, connection } = await setUp({ toolTimeoutMs: 500 });
    const { agent } = agentOn(connection, [
      { toolCalls: [{ name: 'hang', arguments: { label: 'E' } }] },
      { toolCalls: [{ name: 'echo', arguments: { text: 'frozen' } }] },
      { text: 'The server does not answer.' },
    ]);
    const handle = agent.run('Call a frozen server.');
    await server.next('started');
    server.child.kill('SIGSTOP');
    const result = await handle.result;
    expect(result.status).toBe('done');
    expectConsistentHistory(result.messages);
    const [hang, echo] = toolResults(result.messages);
    expect(hang?.result).toMatchObject({ status: 'error', error: { code: 'tool-timeout' } });
    expect(echo?.result).toMatchObject({ status: 'error', error: { code: 'tool-timeout' } });
  });
});

describe('an HTTP server killed mid-call', () => {
  it('fails the call with a typed error, not a hang; the run goes on, and a later call reconnects', async () => {
    const first = await startHttpServer();
    cleanups.push(() => first.kill());
    const { connection, events, nextEvent } = await connectTo(first);
    const port = Number(new URL(first.url).port);
    let restarted: HttpServerProcess | undefined;
    cleanups.push(async () => restarted?.kill());
    const { agent, backend } = agentOn(connection, [
      { toolCalls: [{ name: 'hang', arguments: { label: 'C' } }] },
      { toolCalls: [{ name: 'echo', arguments: { text: 'while down' } }] },
      { toolCalls: [{ name: 'echo', arguments: { text: 'back' } }] },
      { text: 'Recovered.' },
    ]);
    const handle = agent.run('Survive a crash.');
    handle.on('tool.end', (event) => {
      if (event.result.status === 'error' && event.result.error.code === 'mcp-server-unavailable')
        handle.pause('restarting the server');
    });
    handle.on('run.pause', () => {
      void startHttpServer(port).then((server) => {
        restarted = server;
        handle.resume();
      });
    });
    await first.next('started');
    await first.kill();

    const result = await handle.result;
    expect(result.status).toBe('done');
    expectConsistentHistory(result.messages);
    const [lost, down, back] = toolResults(result.messages);
    expect(lost?.result).toMatchObject({ status: 'error', error: { code: 'mcp-connection-lost' } });
    expect(lost?.result.status === 'error' && lost.result.error.message).toContain(
      "during a call of 'hang'",
    );
    expect(down?.result).toMatchObject({
      status: 'error',
      error: { code: 'mcp-server-unavailable' },
    });
    expect(back?.result).toEqual({ status: 'ok', output: 'back' });
    expect(await nextEvent('connection.restored')).toMatchObject({ server: 'fixture' });
    expect(events.map((event) => event.type)).toContain('connection.lost');
    expect(backend.requests).toHaveLength(4);
  });

  it('stops the run cleanly with createStopOnServerLoss', async () => {
    const server = await startHttpServer();
    cleanups.push(() => server.kill());
    const { connection } = await connectTo(server);
    const backend = createScriptedBackend({
      responses: [
        { toolCalls: [{ name: 'hang', arguments: { label: 'D' } }] },
        { text: 'never asked' },
      ],
    });
    const agent = createAgent({
      backend,
      toolSources: [connection],
      controller: createStopOnServerLoss(),
    });
    const handle = agent.run('Stop if the server dies.');
    await server.next('started');
    await server.kill();
    const result = await handle.result;
    expect(result).toMatchObject({ status: 'stopped', reason: 'mcp-server-lost' });
    expect(result.message).toContain("MCP server 'fixture' was lost");
    expectConsistentHistory(result.messages);
    expect(backend.requests).toHaveLength(1);
  });
});
