import { once } from 'node:events';
import { createServer } from 'node:net';
import { createAgent } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import {
  createInspector,
  createWebSocketInspector,
  createWebSocketReceiver,
  type StatelyInspectionEvent,
} from '@statelyai/inspect';
import { createInspectorServer } from '@statelyai/inspect/server';
import { describe, expect, it, vi } from 'vitest';
import { eventfulAgentOptions, shell } from './traced-run.test-helpers.js';

/** A free loopback port (the inspector server takes a port number, not 0). */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The state value of a snapshot event, as a dotted path (`running.calling`). */
function stateOf(event: StatelyInspectionEvent): string | undefined {
  if (event.type !== '@xstate.snapshot') return undefined;
  const value = (event.snapshot as { value?: unknown }).value;
  const path = (node: unknown): string =>
    typeof node === 'string'
      ? node
      : Object.entries(node as Record<string, unknown>)
          .map(([key, child]) => `${key}.${path(child)}`)
          .join(',');
  return value === undefined ? undefined : path(value);
}

describe('the XState inspector on a run', () => {
  it('receives the machine, every event sent to it and every state it passes through', async () => {
    const received: StatelyInspectionEvent[] = [];
    const inspector = createInspector({ send: (event) => received.push(event) });
    const agent = createAgent(eventfulAgentOptions());
    const handle = agent.run('Fix the failing test.', { inspect: inspector.inspect });
    handle.on('tool.start', (event) => {
      if (event.call.arguments.includes('wait'))
        handle.interrupt({ kind: 'addition', text: 'Also check the API docs.', urgency: 'now' });
    });
    const result = await handle.result;
    expect(result.status).toBe('stopped');
    // The inspector converts XState's events when the event loop is idle: wait for the last.
    const rootSnapshots = () =>
      received.filter(
        (event) => event.type === '@xstate.snapshot' && event.sessionId === received[0]?.sessionId,
      );
    await vi.waitFor(
      () => {
        const last = rootSnapshots().at(-1);
        expect(last?.type === '@xstate.snapshot' && last.snapshot.status).toBe('done');
      },
      { timeout: 10_000, interval: 10 },
    );
    inspector.stop();

    const root = received.find(
      (event) => event.type === '@xstate.actor' && event.parentId === undefined,
    );
    expect(root).toBeDefined();
    const rootId = root?.sessionId;
    // The model and tool actors the machine invokes are registered as its children.
    const children = received.filter(
      (event) => event.type === '@xstate.actor' && event.parentId === rootId,
    );
    // Five model calls, five tool-call batches, the wait for more interrupts after the urgent one,
    // and the forced final answer.
    expect(children.map((event) => event.type === '@xstate.actor' && event.name)).toEqual(
      [
        ...['calling', 'acting', 'calling', 'acting', 'calling', 'acting', 'gathering'],
        ...['calling', 'acting', 'calling', 'acting', 'answering'],
      ].map((state) => `0.agent.running.${state}`),
    );
    // The interruption reached the machine as an event, with its payload.
    const sent = received.filter(
      (event) => event.type === '@xstate.event' && event.sessionId === rootId,
    );
    const interrupts = sent.filter(
      (event) => event.type === '@xstate.event' && event.event.type === 'INTERRUPT',
    );
    expect(interrupts).toHaveLength(1);
    expect(interrupts[0]?.type === '@xstate.event' && interrupts[0].event.interrupt).toMatchObject({
      kind: 'addition',
      urgency: 'now',
    });
    // The states the run passed through, in order, end in `stopped`.
    const states = received
      .filter((event) => event.sessionId === rootId)
      .map(stateOf)
      .filter((state): state is string => state !== undefined);
    expect(states).toContain('running.calling');
    expect(states).toContain('running.acting');
    expect(states.at(-1)).toBe('stopped');
    const last = received
      .filter((event) => event.type === '@xstate.snapshot' && event.sessionId === rootId)
      .at(-1);
    expect(last?.type === '@xstate.snapshot' && last.snapshot.status).toBe('done');
  });

  it('streams them over a WebSocket to the inspector server, where a receiver reads them', async () => {
    const port = await freePort();
    const server = createInspectorServer({ port, autoOpen: false });
    const url = `ws://127.0.0.1:${port}`;
    const received: StatelyInspectionEvent[] = [];
    const receiver = createWebSocketReceiver({ server: url });
    const subscription = receiver.subscribe((event) => received.push(event));
    const inspector = createWebSocketInspector({ url });
    try {
      const backend = createScriptedBackend({
        responses: [
          { toolCalls: [{ name: 'run', arguments: { command: 'ls' } }] },
          { text: 'Done.' },
        ],
      });
      const result = await createAgent({ backend, tools: [shell] }).run('List the files.', {
        inspect: inspector.inspect,
      }).result;
      expect(result.status).toBe('done');
      await vi.waitFor(
        () => {
          const states = received.map(stateOf).filter((state) => state !== undefined);
          expect(states.at(-1)).toBe('done');
          expect(states).toContain('running.acting');
        },
        { timeout: 10_000, interval: 20 },
      );
      const sent = received.flatMap((event) =>
        event.type === '@xstate.event' ? [event.event.type] : [],
      );
      expect(sent).toEqual(
        expect.arrayContaining(['START', 'MODEL.END', 'TOOL.END', 'TOOLS.DONE']),
      );
    } finally {
      subscription.unsubscribe();
      inspector.stop();
      server.stop();
    }
  });
});
