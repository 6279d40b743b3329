import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServerConnection } from '@reins/mcp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPlaywrightMcp } from './connect-playwright-mcp.js';
import { createScriptedShopper } from './create-scripted-shopper.js';
import { runWebTask } from './run-web-task.js';
import { readWebTasks, type WebTask } from './web-task.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const interruptBench = resolve(repoRoot, '../shared/data/interruptbench');

let playwright: McpServerConnection;
let tasks: WebTask[];

beforeAll(async () => {
  // The Playwright MCP server from node_modules, on Debian's Chromium, offline.
  playwright = await connectPlaywrightMcp();
  tasks = await readWebTasks(interruptBench);
}, 60_000);

afterAll(async () => {
  await playwright?.close();
});

describe('the web agent on the Playwright MCP server instead of its built-in tools', () => {
  it('offers the server tools the shopper uses', () => {
    const names = playwright.currentTools().map((tool) => tool.name);
    for (const name of ['browser_navigate', 'browser_click', 'browser_type', 'browser_evaluate'])
      expect(names).toContain(name);
  });

  it.each(['addition', 'revision', 'retraction'])(
    'answers the %s task as updated, through MCP tool calls',
    async (kind) => {
      const task = tasks.find((each) => each.kind === kind) as WebTask;
      const backend = createScriptedShopper({ tools: 'playwright-mcp' });
      const outcome = await runWebTask({ task, playwrightMcp: playwright, backend });
      expect(outcome.result.status).toBe('done');
      expect(outcome.passed).toBe(true);
      const used = outcome.result.messages.flatMap((message) =>
        message.role === 'tool' ? [message.toolName] : [],
      );
      expect(used.length).toBeGreaterThan(2);
      expect(used.every((name) => name.startsWith('browser_'))).toBe(true);
      expect(
        outcome.result.messages.every(
          (message) => message.role !== 'tool' || message.result.status === 'ok',
        ),
      ).toBe(true);
    },
    60_000,
  );
});
