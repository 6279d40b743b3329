import { fileURLToPath } from 'node:url';
import { createAgent, type Message, type ToolMessage } from '@reins/core';
import { createScriptedBackend, type ScriptedResponse } from '@reins/core/testing';
import { describe, expect, it } from 'vitest';
import { connectMcpServer } from '../src/index.js';

const entry = fileURLToPath(new URL('./fixtures/stdio-server.mjs', import.meta.url));

/** A small seeded generator (mulberry32), so that a failing round can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
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

describe('a stdio server SIGKILLed at random instants', () => {
  const seed = Number(process.env.REINS_MCP_KILL_SEED ?? 20261204);

  it(`answers every call once and ends every run (seed ${seed})`, async () => {
    const random = seeded(seed);
    const outcomes = new Map<string, number>();
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      const connection = await connectMcpServer({
        name: 'victim',
        transport: { type: 'stdio', command: process.execPath, args: [entry] },
      });
      const turns: ScriptedResponse[] = Array.from({ length: 6 }, () => ({
        toolCalls: [
          { name: 'sleep', arguments: { ms: 50 + Math.floor(random() * 50) } },
          { name: 'echo', arguments: { text: 'ping' } },
        ],
      }));
      const backend = createScriptedBackend({ responses: [...turns, { text: 'Survived.' }] });
      const handle = createAgent({ backend, toolSources: [connection] }).run('Keep calling.');
      // A kill follows the start of a call at 0–30 ms, while a `sleep` call (50–100 ms) runs.
      handle.on('tool.start', (event) => {
        if (event.call.name !== 'sleep' || random() > 0.4) return;
        const pid = connection.pid;
        setTimeout(
          () => {
            if (pid === undefined) return;
            try {
              process.kill(pid, 'SIGKILL');
              kills += 1;
            } catch {
              // Gone already.
            }
          },
          Math.floor(random() * 30),
        );
      });
      const result = await handle.result;
      expect(result.status).toBe('done');
      expectConsistentHistory(result.messages);
      for (const message of result.messages) {
        if (message.role !== 'tool') continue;
        const key =
          message.result.status === 'error' ? message.result.error.code : message.result.status;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
      await connection.close();
    }
    // Only these outcomes: a result, a lost connection, or a failed reconnect.
    for (const key of outcomes.keys())
      expect(['ok', 'mcp-connection-lost', 'mcp-server-unavailable']).toContain(key);
    expect(kills).toBeGreaterThan(0);
    expect(outcomes.get('mcp-connection-lost') ?? 0).toBeGreaterThan(0);
  }, 180_000);
});
