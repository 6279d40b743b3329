import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createController,
  createKvCacheHintsPolicy,
  createStuckMonitor,
  createTurnBudget,
} from '@reins/controller';
import { type AgentEvent, createAgent, defineTool, type ToolSource } from '@reins/core';
import { createScriptedBackend } from '@reins/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectMcpServer, type McpServerConnection } from '../src/index.js';

const serverEntry = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-filesystem/dist/index.js',
);
let workspace: string;
let files: McpServerConnection;

beforeAll(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'reins-mcp-controller-'));
  writeFileSync(join(workspace, 'status.txt'), 'still pending');
  files = await connectMcpServer({
    name: 'filesystem',
    transport: { type: 'stdio', command: process.execPath, args: [serverEntry, workspace] },
    includeTools: ['read_text_file'],
  });
});

afterAll(async () => {
  await files?.close();
  rmSync(workspace, { recursive: true, force: true });
});

/** The same tool, local: what the MCP server's tool does, under its name. */
const localRead = defineTool({
  name: 'read_text_file',
  description: 'Reads a text file.',
  input: z.object({ path: z.string() }),
  execute: ({ path }) => readFileSync(path, 'utf8'),
});

/** Runs an agent that polls the status file until its budget ends, under one controller. */
async function pollUntilStopped(tools: {
  toolSources?: ToolSource[];
  tools?: (typeof localRead)[];
}) {
  const poll = {
    toolCalls: [{ name: 'read_text_file', arguments: { path: join(workspace, 'status.txt') } }],
  };
  const backend = createScriptedBackend({
    responses: [poll, poll, poll, poll, poll, poll, { text: 'It is still pending.' }],
  });
  const controller = createController({
    budget: createTurnBudget({ mode: 'fixed', limit: 5 }),
    monitors: [createStuckMonitor({ repeatedActionObservation: 3 })],
    hints: createKvCacheHintsPolicy(),
  });
  const handle = createAgent({ backend, controller, ...tools }).run(
    'Wait for the status to change.',
  );
  const events: AgentEvent[] = [];
  handle.on('*', (event) => {
    if (event.type !== 'model.delta') events.push(event);
  });
  const result = await handle.result;
  return { result, events, backend };
}

describe('the controller over MCP tools', () => {
  it('applies budgets, monitors and KV-cache hints to MCP tools exactly as to local ones', async () => {
    const overMcp = await pollUntilStopped({ toolSources: [files] });
    const local = await pollUntilStopped({ tools: [localRead] });

    // The same decisions, in the same order, on the same turns.
    const decisions = (events: AgentEvent[]) =>
      events.map((event) => `${event.turn}:${event.type}`);
    expect(decisions(overMcp.events)).toEqual(decisions(local.events));
    expect(overMcp.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['budget.reminder', 'stuck.detected', 'budget.exhausted']),
    );
    expect(overMcp.result).toMatchObject({
      status: local.result.status,
      reason: 'turn-budget',
      turns: local.result.turns,
    });

    // The MCP tool's results are what the local tool returns.
    const outputs = (messages: typeof local.result.messages) =>
      messages.flatMap((message) => (message.role === 'tool' ? [message.result] : []));
    expect(outputs(overMcp.result.messages)).toEqual(outputs(local.result.messages));

    // Hints reach every model call of the run, and the tool-duration prediction has seen the
    // MCP calls (an expected pause from turn 2 on).
    const hinted = overMcp.backend.requests.filter((request) => request.hints !== undefined);
    expect(hinted.map((request) => request.hints?.turn)).toEqual([1, 2, 3, 4, 5]);
    for (const request of hinted.slice(1)) {
      expect(request.hints).toMatchObject({ cacheKey: overMcp.result.runId, pin: true });
      expect(request.hints?.expectedPauseMs).toBeGreaterThanOrEqual(0);
      expect(request.hints?.ttlMs).toBeGreaterThan(0);
    }
  });
});
